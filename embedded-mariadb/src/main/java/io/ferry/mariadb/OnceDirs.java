package io.ferry.mariadb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Creates a cache directory exactly once, safely when several threads and JVMs ask for it at the same time: a file
 * lock next to it serialises the creators, the content is written into a temporary sibling, and that sibling is renamed
 * into place atomically. So the directory either does not exist or is complete; a creator that crashes leaves only a
 * temporary sibling, which the next creator ignores.
 */
final class OnceDirs {
    /** Fills an empty directory. */
    @FunctionalInterface
    interface Filler {
        void fill(Path emptyDir) throws IOException;
    }

    /** FileChannel locks are held per JVM, so threads of one JVM queue here first. */
    private static final Object JVM_LOCK = new Object();

    private OnceDirs() {
    }

    /** Returns {@code target}, creating it with {@code filler} unless it exists. */
    static Path createOnce(Path target, Filler filler) throws IOException {
        if (Files.isDirectory(target)) {
            return target;
        }
        Path parent = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        synchronized (JVM_LOCK) {
            Files.createDirectories(parent);
            try (FileChannel ch = FileChannel.open(parent.resolve("." + name + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                if (Files.isDirectory(target)) {
                    return target;
                }
                Path tmp = Files.createTempDirectory(parent, "." + name + ".tmp-");
                try {
                    filler.fill(tmp);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    if (Files.exists(tmp)) {
                        Dirs.deleteQuietly(tmp);
                    }
                }
            }
        }
        return target;
    }
}
