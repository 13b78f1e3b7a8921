package io.ferry.cluster;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes credential files that are private from their first byte: never chmod'ed after the fact. */
final class SecureFiles {
  static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /**
   * Writes every file, or none of the existing ones is replaced when {@code force} is false. Each file
   * is first written to a temporary file created with mode 0600 in the same directory, then renamed
   * over its target, so a reader never sees a half-written keystore and no byte is ever on disk with
   * wider permissions (a create-then-chmod leaves a window where another user can open the file).
   */
  static void writeAll(Path dir, Map<String, byte[]> files, boolean force) {
    createPrivateDirectory(dir);
    if (!force) {
      List<String> existing = new ArrayList<>();
      for (String name : files.keySet()) {
        if (Files.exists(dir.resolve(name))) {
          existing.add(name);
        }
      }
      if (!existing.isEmpty()) {
        throw new ClusterException(dir + " already holds cluster credentials " + existing
            + "; refusing to overwrite them (members holding them could no longer join)."
            + " Use another directory, or force the overwrite (--force).");
      }
    }
    Map<Path, Path> staged = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Path tmp = isPosix(dir)
            ? Files.createTempFile(dir, ".ferry-", ".tmp", privateFile())
            : Files.createTempFile(dir, ".ferry-", ".tmp");
        staged.put(tmp, dir.resolve(file.getKey()));
        Files.write(tmp, file.getValue());
      }
      for (Map.Entry<Path, Path> move : staged.entrySet()) {
        Files.move(move.getKey(), move.getValue(),
            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      for (Path tmp : staged.keySet()) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file is 0600 and named .ferry-*.tmp, harmless if left behind
        }
      }
      throw new ClusterException("Cannot write cluster credentials to " + dir + ": " + e, e);
    }
  }

  /** Creates the directory (mode 0700 where POSIX) if it is missing; an existing one is left as is. */
  static void createPrivateDirectory(Path dir) {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (isPosix(parent == null ? dir : parent)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      throw new ClusterException(dir + " exists and is not a directory");
    } catch (IOException e) {
      throw new ClusterException("Cannot create the cluster credentials directory " + dir + ": " + e, e);
    }
  }

  static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The permissions a credential file has beyond 0600, empty when it is private (or not POSIX). */
  static Set<PosixFilePermission> excessPermissions(Path file) throws IOException {
    if (!isPosix(file)) {
      return Set.of();
    }
    Set<PosixFilePermission> excess = new java.util.HashSet<>(Files.getPosixFilePermissions(file));
    excess.removeAll(OWNER_READ_WRITE);
    return excess;
  }

  private static FileAttribute<Set<PosixFilePermission>> privateFile() {
    return PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
  }
}
