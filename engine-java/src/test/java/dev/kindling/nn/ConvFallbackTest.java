package dev.kindling.nn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fallback is chosen once at start-up: a JVM started with {@code -Dkindling.disableOneDnn=true} reports
 * im2col + gemm with the reason, and computes what oneDNN computes here.
 */
class ConvFallbackTest {
    @Test
    void disabledOneDnnFallsBackAndSaysWhy() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dkindling.disableOneDnn=true", "-cp", System.getProperty("java.class.path"),
                ConvFallbackMain.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fallback JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING")).toList();
        assertEquals("im2col + gemm (oneDNN off: disabled by -Dkindling.disableOneDnn=true)", lines.get(0), out);
        double[] here = ConvFallbackMain.figures();
        for (int i = 0; i < here.length; i++) {
            double there = Double.parseDouble(lines.get(1 + i));
            assertEquals(there, here[i], 1e-4 * (1 + Math.abs(there)), "figure " + i + " (oneDNN here, im2col there)");
        }
    }
}
