package dev.kindling.samples;

import dev.kindling.samples.notebook.Chapters;
import dev.kindling.samples.notebook.Chapters.Chapter;
import dev.kindling.samples.notebook.Notebook;
import dev.kindling.samples.notebook.OutputMatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every sample's Java and Kotlin main in fast mode so that none can rot: both must finish, print every cell
 * their README shows, and print the same thing (the two are twins).
 */
class SamplesFastTest {
    private static String savedFast;

    @BeforeAll
    static void fastMode() {
        savedFast = System.getProperty("kindling.fast");
        System.setProperty("kindling.fast", "true");
    }

    @AfterAll
    static void restore() {
        if (savedFast == null) System.clearProperty("kindling.fast");
        else System.setProperty("kindling.fast", savedFast);
    }

    static Stream<Chapter> chapters() { return Chapters.ALL.stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chapters")
    void javaAndKotlinTwinsRunAndAgree(Chapter c) throws Exception {
        Map<String, String> kotlin = Notebook.run(c.kotlinMain());
        Map<String, String> java = Notebook.run(c.javaMain());
        assertEquals(kotlin.keySet(), java.keySet(), c.dir() + ": Kotlin and Java print different cells");
        for (String cell : kotlin.keySet()) {
            assertNull(OutputMatch.difference(kotlin.get(cell), java.get(cell)), c.dir() + " cell '" + cell + "': Kotlin vs Java");
        }
        String template = Files.readString(Path.of(c.dir(), "README.template.md"));
        Matcher m = Pattern.compile("\\{\\{output:([A-Za-z0-9_-]+)}}").matcher(template);
        while (m.find()) {
            assertTrue(kotlin.containsKey(m.group(1)), c.dir() + ": no output for cell '" + m.group(1) + "' (got " + kotlin.keySet() + ")");
        }
    }

    @Test
    void mainJobRunsInFastMode() throws Exception {
        String out = capture(() -> Main.main(new String[]{"--epochs", "1"}));
        assertTrue(out.contains("(fast mode)"), out);
        Matcher m = Pattern.compile("Test accuracy: (\\d+\\.\\d)%").matcher(out);
        assertTrue(m.find(), out);
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy > 10 && accuracy <= 100, "a few batches must beat chance: " + out);
    }

    @Test
    void mainJobRejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> Main.main(new String[]{"--epoch", "3"}));
        assertTrue(e.getMessage().contains("--epochs N"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Main.main(new String[]{"--epochs", "0"}));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }

    interface Body { void run() throws Exception; }

    static String capture(Body body) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(p);
            body.run();
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
