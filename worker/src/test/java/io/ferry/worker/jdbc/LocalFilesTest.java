package io.ferry.worker.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFilesTest {
  @TempDir
  Path parent;

  @Test
  void theDirectoryIsPrivateLockedAndGoneAfterClose() throws Exception {
    Path dir;
    try (LocalFiles files = LocalFiles.create(parent)) {
      dir = files.dir();
      assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(LocalFiles.LOCK)));
      assertTrue(files.driverOption().startsWith("allowLoadLocalInfileInPath="));
    }
    assertFalse(Files.exists(dir));
  }

  /** The case the lock is for: a worker killed with its chunk file in place. */
  @Test
  void aKilledProcesssDirectoryIsSweptAndALiveOnesIsNot() throws Exception {
    Process child = owner(parent);
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      Path childDir = Path.of(out.readLine());
      assertTrue(Files.exists(childDir.resolve("chunk-0.tsv")));

      try (LocalFiles mine = LocalFiles.create(parent)) {
        assertTrue(Files.exists(childDir.resolve("chunk-0.tsv")), "a live process's directory was swept");
        assertEquals(0, LocalFiles.sweep(parent));

        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(childDir), "the killed process cleaned up after all: the test proves nothing");

        assertEquals(1, LocalFiles.sweep(parent));
        assertFalse(Files.exists(childDir));
        assertTrue(Files.exists(mine.dir().resolve(LocalFiles.LOCK)), "this process's own directory was swept");
      }
    } finally {
      child.destroyForcibly().waitFor();
    }
  }

  /**
   * Sweeps in this process must not open this process's lock files: closing any descriptor of a file
   * drops the process's POSIX locks on it, and another process would then take the directory as abandoned.
   */
  @Test
  void sweepsInThisProcessKeepItsOwnLocks() throws Exception {
    try (LocalFiles first = LocalFiles.create(parent); LocalFiles second = LocalFiles.create(parent)) {
      LocalFiles.sweep(parent);
      Process sweeper = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
          Owner.class.getName(), "sweep", parent.toString()).redirectErrorStream(true).start();
      String removed;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(sweeper.getInputStream(), StandardCharsets.UTF_8))) {
        removed = out.lines().filter(l -> l.startsWith("removed ")).findFirst().orElse("no answer");
      }
      assertTrue(sweeper.waitFor(60, TimeUnit.SECONDS));
      assertEquals("removed 0", removed);
      assertTrue(Files.exists(first.dir()));
      assertTrue(Files.exists(second.dir()));
    }
  }

  @Test
  void directoriesWithoutAWrittenLockAreLeftWhileTheyMayBeStarting() throws Exception {
    Path older = Files.createDirectory(parent.resolve(LocalFiles.PREFIX + "1"));
    Files.writeString(older.resolve("chunk-0.tsv"), "1\tan older version's file\n");
    Path starting = Files.createDirectory(parent.resolve(LocalFiles.PREFIX + "2"));
    Files.createFile(starting.resolve(LocalFiles.LOCK));
    Path other = Files.createDirectory(parent.resolve("someone-else"));
    Files.createFile(other.resolve(LocalFiles.LOCK));

    assertEquals(0, LocalFiles.sweep(parent));

    FileTime longAgo = FileTime.from(Instant.now().minus(LocalFiles.SETTLING).minusSeconds(5));
    for (Path p : List.of(older, starting, other)) {
      Files.setLastModifiedTime(p, longAgo);
    }
    assertEquals(1, LocalFiles.sweep(parent));
    assertFalse(Files.exists(starting), "an empty, unlocked lock file a minute old is a dead owner's");
    assertTrue(Files.exists(older.resolve("chunk-0.tsv")));
    assertTrue(Files.exists(other));
  }

  private static Process owner(Path parent) throws Exception {
    return new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Owner.class.getName(), "own",
        parent.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The other process: owns a directory with a chunk file in it until killed (or orphaned), or sweeps once. */
  public static final class Owner {
    public static void main(String[] args) throws Exception {
      Path parent = Path.of(args[1]);
      if (args[0].equals("sweep")) {
        System.out.println("removed " + LocalFiles.sweep(parent));
        return;
      }
      LocalFiles files = LocalFiles.create(parent);
      Files.write(files.dir().resolve("chunk-0.tsv"), new byte[1 << 20]);
      System.out.println(files.dir());
      System.out.flush();
      System.in.read(); // until killed, or until the test's JVM (the other end of stdin) is gone
    }
  }
}
