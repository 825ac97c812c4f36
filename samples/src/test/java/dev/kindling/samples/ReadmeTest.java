package dev.kindling.samples;

import dev.kindling.samples.notebook.Chapters;
import dev.kindling.samples.notebook.Chapters.Chapter;
import dev.kindling.samples.notebook.Notebook;
import dev.kindling.samples.notebook.OutputMatch;
import dev.kindling.samples.notebook.SourceCells;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notebook READMEs are the generator's output for the current sources: every README re-renders identically
 * from its template, the current code and its own recorded outputs; for samples that run in seconds the recorded
 * outputs also match a fresh full run (numbers within a relative 1e-3, as BLAS kernels differ between CPUs).
 */
class ReadmeTest {
    static Stream<Chapter> chapters() { return Chapters.ALL.stream(); }

    static Stream<Chapter> quickChapters() { return Chapters.ALL.stream().filter(Chapter::quick); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chapters")
    void readmeIsTheGeneratorsOutputForTheCurrentSources(Chapter c) throws Exception {
        Path file = Path.of(c.dir(), "README.md");
        assertTrue(Files.exists(file), file + " is missing; generate it with: " + Notebook.COMMAND);
        String readme = Files.readString(file);
        assertTrue(readme.startsWith(Notebook.HEADER_PREFIX), file + " was not written by the generator");
        Map<String, String> outputs = Notebook.outputsOf(readme);
        assertFalse(outputs.isEmpty(), file + " records no outputs");
        assertEquals(Notebook.render(c, outputs), readme,
                file + " is out of date with its template or the sample's code; regenerate: " + Notebook.COMMAND);
        for (String line : readme.split("\n")) {
            if (line.startsWith("![")) {
                String image = line.substring(line.indexOf('(') + 1, line.indexOf(')'));
                assertTrue(Files.exists(Path.of(c.dir(), image)), file + " shows " + image + " which is missing");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quickChapters")
    void readmeOutputsMatchAFreshFullRun(Chapter c) throws Exception {
        String saved = System.getProperty("kindling.fast");
        System.setProperty("kindling.fast", "false");
        try {
            String readme = Files.readString(Path.of(c.dir(), "README.md"));
            Map<String, String> fresh = Notebook.run(c.kotlinMain());
            assertNull(Notebook.compare(readme, Notebook.render(c, fresh)),
                    c.dir() + "/README.md differs from a fresh run; regenerate: " + Notebook.COMMAND);
        } finally {
            if (saved == null) System.clearProperty("kindling.fast");
            else System.setProperty("kindling.fast", saved);
        }
    }

    @Test
    void outputMatchToleratesRoundingButNotChanges() {
        assertNull(OutputMatch.difference("loss: 0.123456  [   64/60000]", "loss: 0.123460  [   64/60000]"));
        assertNull(OutputMatch.difference("w = 1.9999", "w = 2.0000"));
        assertNotNull(OutputMatch.difference("w = 1.99", "w = 2.10"));
        assertNotNull(OutputMatch.difference("Accuracy: 84.4%", "Accuracy: 80.4%"));
        assertNotNull(OutputMatch.difference("[   64/60000]", "[  128/60000]"));
        assertNotNull(OutputMatch.difference("dtype: FLOAT32", "dtype: FLOAT64"));
        assertNotNull(OutputMatch.difference("a\nb", "a\nb\nc"));
        // a measured duration may differ freely; the same number without a unit of time may not
        assertNull(OutputMatch.difference("float32: 101.2 ms/epoch, val acc 88.10%", "float32: 57.1 ms/epoch, val acc 88.10%"));
        assertNull(OutputMatch.difference("took 3.2 s.", "took 1.9 s."));
        assertNotNull(OutputMatch.difference("float32: 101.2 epochs", "float32: 57.1 epochs"));
        assertNotNull(OutputMatch.difference("101.2 ms/epoch, val acc 88.10%", "101.2 ms/epoch, val acc 80.10%"));
    }

    @Test
    void sourceCellsEndAtTheEnclosingBlockAndDropMarkers() {
        String src = """
                class A {
                    void main() {
                        // cell: one
                        Cells.cell("one");
                        int x = 1;

                        // cell: two
                        Cells.cell("two");
                        print(x);
                    }
                    // cell: three
                    int y;
                    // end cell
                    int z;
                }
                """;
        Map<String, String> cells = SourceCells.parse(src);
        assertEquals(Map.of("one", "int x = 1;\n", "two", "print(x);\n", "three", "int y;\n"), cells);
        assertThrows(IllegalArgumentException.class, () -> SourceCells.parse("// cell: a\nx\n// cell: a\ny\n"));
    }
}
