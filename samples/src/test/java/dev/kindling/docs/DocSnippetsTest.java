package dev.kindling.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the guide's code honest: every ```java / ```kotlin block in README.md and docs/*.md must start with
 * {@code // snippet: NAME}, and a region {@code // region NAME ... // endregion} with the same text must exist
 * in the test sources of this package, which compile and run with the samples module. A block that quotes
 * engine internals instead starts with {@code // excerpt: PATH} (relative to the repository root) and must
 * appear verbatim in that file, so it cannot drift from the code it shows.
 */
class DocSnippetsTest {
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");
    private static final Pattern TAG = Pattern.compile("^//\\s*snippet:\\s*([\\w.-]+)\\s*$");
    private static final Pattern EXCERPT = Pattern.compile("^//\\s*excerpt:\\s*(\\S+)\\s*$");
    private static final Pattern REGION = Pattern.compile("^//\\s*region\\s+([\\w.-]+)\\s*$");
    private static final Pattern END = Pattern.compile("^//\\s*endregion\\b.*$");

    record Block(Path file, int line, String lang, List<String> lines) {}

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("no folder containing docs/ above " + Path.of("").toAbsolutePath());
    }

    /** The java and kotlin code blocks of one Markdown file, with the line they start on. */
    static List<Block> blocks(Path md) {
        List<String> lines = read(md);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FENCE.matcher(lines.get(i).strip());
            if (!m.matches()) continue;
            String lang = m.group(1);
            int start = i;
            List<String> body = new ArrayList<>();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) body.add(lines.get(i));
            if (lang.equals("java") || lang.equals("kotlin")) out.add(new Block(md, start + 1, lang, body));
        }
        return out;
    }

    /** Every region in the snippet sources, by name. */
    static Map<String, List<String>> regions(Path root) {
        Map<String, List<String>> out = new HashMap<>();
        List<Path> sources = new ArrayList<>();
        for (String dir : List.of("samples/src/test/java/dev/kindling/docs", "samples/src/test/kotlin/dev/kindling/docs")) {
            Path d = root.resolve(dir);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".kt")).sorted().forEach(sources::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Path src : sources) {
            List<String> lines = read(src);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = REGION.matcher(lines.get(i).strip());
                if (!m.matches()) continue;
                String name = m.group(1);
                List<String> body = new ArrayList<>();
                for (i++; i < lines.size() && !END.matcher(lines.get(i).strip()).matches(); i++) body.add(lines.get(i));
                if (out.put(name, body) != null) throw new AssertionError("region " + name + " is defined twice (" + src + ")");
            }
        }
        return out;
    }

    /** Compared without leading indentation, trailing spaces and blank lines. */
    static String normalize(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }

    static List<Path> markdownFiles(Path root) {
        List<Path> out = new ArrayList<>();
        if (Files.isRegularFile(root.resolve("README.md"))) out.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyCodeBlockInTheDocsIsATestedSnippet() {
        Path root = repoRoot();
        Map<String, List<String>> regions = regions(root);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path md : markdownFiles(root)) {
            for (Block b : blocks(md)) {
                String where = root.relativize(b.file()) + ":" + b.line();
                String first = b.lines().isEmpty() ? "" : b.lines().get(0).strip();
                Matcher excerpt = EXCERPT.matcher(first);
                if (excerpt.matches()) {
                    Path src = root.resolve(excerpt.group(1));
                    String quoted = normalize(b.lines().subList(1, b.lines().size()));
                    if (!Files.isRegularFile(src)) problems.add(where + ": excerpt source " + src + " does not exist");
                    else if (!normalize(read(src)).contains(quoted)) problems.add(where + ": excerpt no longer matches " + excerpt.group(1));
                    checked++;
                    continue;
                }
                Matcher tag = TAG.matcher(first);
                if (!tag.matches()) {
                    problems.add(where + ": ```" + b.lang() + " block has no '// snippet: NAME' (or '// excerpt: PATH') first line");
                    continue;
                }
                String name = tag.group(1);
                List<String> region = regions.get(name);
                if (region == null) {
                    problems.add(where + ": no region '" + name + "' in samples/src/test/*/dev/kindling/docs");
                    continue;
                }
                String doc = normalize(b.lines().subList(1, b.lines().size()));
                if (!doc.equals(normalize(region))) {
                    problems.add(where + ": block '" + name + "' differs from its region:\n--- docs\n" + doc
                            + "\n--- region\n" + normalize(region));
                }
                checked++;
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n", problems));
        assertTrue(checked > 10, "expected the guide to hold tested snippets, found " + checked);
    }

    @Test
    void theCheckerSeesBlocksTagsAndRegions() throws IOException {
        Path tmp = Files.createTempDirectory("docsnippets");
        Path md = tmp.resolve("x.md");
        Files.writeString(md, "text\n```java\n// snippet: a\n  int x = 1;\n\n```\n```bash\nls\n```\n```kotlin\nval y = 2\n```\n");
        List<Block> bs = blocks(md);
        assertEquals(2, bs.size());
        assertEquals("java", bs.get(0).lang());
        assertEquals("// snippet: a\nint x = 1;", normalize(bs.get(0).lines()));
        assertFalse(TAG.matcher(bs.get(1).lines().get(0)).matches(), "an untagged block is seen as untagged");
        assertEquals(normalize(List.of("    int x = 1;")), normalize(List.of("int x = 1;", "")));
    }
}
