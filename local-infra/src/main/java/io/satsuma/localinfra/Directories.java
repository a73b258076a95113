package io.satsuma.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Data directories of the embedded servers. */
final class Directories {
    private Directories() {
    }

    /**
     * Deletes {@code dir} and everything in it, if it exists: a run that was killed leaves its servers' data behind,
     * which they refuse or would reuse (initdb will not write into a directory that is not empty).
     */
    static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not wipe " + dir, e);
        }
    }
}
