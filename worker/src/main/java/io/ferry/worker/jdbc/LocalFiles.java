package io.ferry.worker.jdbc;

import io.ferry.protocol.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private directory (0700) from which one destination connection may send files for
 * {@code LOAD DATA LOCAL INFILE}, and nothing else: the driver option {@code allowLoadLocalInfileInPath}
 * confines it there while {@code allowLoadLocalInfile} stays off. A server that asks for a file of its
 * choosing gets nothing outside it, and inside it finds only the data Ferry is sending it anyway.
 *
 * <p>The directory holds a lock file, locked while its owner lives. A process that is killed (kill -9,
 * a crash, the OOM killer) cannot delete its directory, and a killed copy leaves its chunk file in it
 * (tens of MB); the operating system releases the lock with the process, so the next directory created
 * in the same place sweeps every {@code ferry-load-} directory whose lock it can take.
 */
public final class LocalFiles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFiles.class);
  static final String PREFIX = "ferry-load-";
  static final String LOCK = ".owner";
  /** How long a directory may be without a locked, written lock file while its owner sets it up. */
  static final Duration SETTLING = Duration.ofMinutes(1);

  /**
   * This process's directories. A sweep must not even open their lock files: POSIX drops every lock a
   * process holds on a file when it closes any descriptor of that file.
   */
  private static final Set<Path> OWN = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final FileChannel lockFile;
  private final FileLock lock;

  private LocalFiles(Path dir, FileChannel lockFile, FileLock lock) {
    this.dir = dir;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /** A new directory in the system's temporary directory ({@code java.io.tmpdir}). */
  public static LocalFiles create() {
    return create(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** A new directory in {@code parent}, after removing the directories dead processes left there. */
  public static LocalFiles create(Path parent) {
    sweep(parent);
    Path dir = null;
    FileChannel channel = null;
    try {
      dir = Files.createTempDirectory(parent, PREFIX,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      OWN.add(dir);
      channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      FileLock lock = channel.lock();
      // written under the lock: a sweeper that finds the file empty cannot tell a dead owner from one
      // that has not locked it yet, and leaves it for a while
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
      return new LocalFiles(dir, channel, lock);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // failing already
        }
      }
      if (dir != null) {
        delete(dir);
        OWN.remove(dir);
      }
      throw new UncheckedIOException("cannot create a private temporary directory in " + parent, e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** The driver option that confines LOAD DATA LOCAL to this directory. */
  public String driverOption() {
    return "allowLoadLocalInfileInPath=" + URLEncoder.encode(dir.toString(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockFile.close();
    } catch (IOException e) {
      // closing the channel releases the lock in any case
    }
    delete(dir);
    OWN.remove(dir);
  }

  /**
   * Deletes the {@code ferry-load-} directories in {@code parent} whose owner is gone: those whose lock
   * file nobody holds and has the owner's process id in it. One with an empty lock file may be a moment
   * old, its owner about to lock it: it is left alone for {@link #SETTLING}. One without a lock file
   * (an older version's, or one being created) and anything this user may not open are left alone.
   */
  static int sweep(Path parent) {
    int removed = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path dir : dirs) {
        if (!OWN.contains(dir) && Files.isDirectory(dir) && abandoned(dir)) {
          delete(dir);
          removed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot look for abandoned directories in {}: {}", parent, e.toString());
    }
    if (removed > 0) {
      LOG.info("removed {} LOAD DATA directories in {} left by processes that ended without cleaning up",
          removed, parent);
    }
    return removed;
  }

  private static boolean abandoned(Path dir) throws IOException {
    Path lockPath = dir.resolve(LOCK);
    if (!Files.isRegularFile(lockPath)) {
      return false; // an older version's directory, or one a moment old
    }
    try (FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.WRITE)) {
      FileLock taken = channel.tryLock();
      if (taken == null) {
        return false;
      }
      taken.release();
      return channel.size() > 0 || settled(dir);
    } catch (OverlappingFileLockException | IOException e) {
      return false;
    }
  }

  private static boolean settled(Path dir) throws IOException {
    return Files.getLastModifiedTime(dir).toInstant().isBefore(Instant.now().minus(SETTLING));
  }


  private static void delete(Path dir) {
    FileTrees.deleteQuietly(dir); // a temporary directory left behind is harmless; the next sweep takes it
  }
}
