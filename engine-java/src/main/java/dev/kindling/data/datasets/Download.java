package dev.kindling.data.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/** Downloads one file from the first mirror that serves it with the right MD5 checksum. */
final class Download {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private Download() { }

    /**
     * Fetches {@code name} into {@code dir}, trying the mirrors in order. The file appears only once its
     * checksum matched (it is written to a temporary file first). Throws with every mirror's failure.
     */
    static Path fetch(List<String> mirrors, String name, String md5, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        StringBuilder failures = new StringBuilder();
        for (String mirror : mirrors) {
            String url = mirror.endsWith("/") ? mirror + name : mirror + "/" + name;
            Path tmp = Files.createTempFile(dir, name, ".part");
            try {
                String got = get(url, tmp);
                if (!got.equalsIgnoreCase(md5)) {
                    failures.append("\n  ").append(url).append(": MD5 checksum ").append(got).append(" != expected ").append(md5);
                    continue;
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (IOException e) {
                failures.append("\n  ").append(url).append(": ").append(e.getClass().getSimpleName())
                        .append(e.getMessage() == null ? "" : " " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download of " + name + " interrupted", e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        throw new IOException("could not download " + name + " from any mirror:" + failures);
    }

    /** Streams {@code url} into {@code out}, returning the MD5 of what was received. */
    private static String get(String url, Path out) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<InputStream> resp = CLIENT.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) throw new IOException("HTTP status " + resp.statusCode());
            MessageDigest md = md5();
            try (OutputStream os = Files.newOutputStream(out)) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) > 0; ) {
                    md.update(buf, 0, r);
                    os.write(buf, 0, r);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5 implementation", e);
        }
    }
}
