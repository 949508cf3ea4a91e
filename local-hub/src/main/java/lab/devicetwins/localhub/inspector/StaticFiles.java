package lab.devicetwins.localhub.inspector;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The page: plain HTML, CSS and JavaScript files in the jar, no build step, nothing fetched from a network. Only the
 * files named here are served; each is read once.
 */
final class StaticFiles {
    /** The file name under {@code /assets/} and its content type. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "inspector.css", "text/css; charset=utf-8",
            "inspector.js", "text/javascript; charset=utf-8",
            "twin-rules.js", "text/javascript; charset=utf-8");

    /** A file's bytes and type. */
    record File(Buffer content, String contentType) {
    }

    private final Map<String, File> files;

    StaticFiles() {
        Map<String, File> loaded = new HashMap<>();
        FILES.forEach((name, type) -> loaded.put(name, new File(Buffer.buffer(read(name)), type)));
        this.files = Map.copyOf(loaded);
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the inspector's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<File> get(String name) {
        return Optional.ofNullable(files.get(name));
    }
}
