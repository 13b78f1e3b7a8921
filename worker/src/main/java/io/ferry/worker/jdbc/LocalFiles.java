package io.ferry.worker.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private directory (0700) from which one destination connection may send files for
 * {@code LOAD DATA LOCAL INFILE}, and nothing else: the driver option {@code allowLoadLocalInfileInPath}
 * confines it there while {@code allowLoadLocalInfile} stays off. A server that asks for a file of its
 * choosing gets nothing outside it, and inside it finds only the data Ferry is sending it anyway.
 */
public final class LocalFiles implements AutoCloseable {
  private final Path dir;

  private LocalFiles(Path dir) {
    this.dir = dir;
  }

  public static LocalFiles create() {
    try {
      return new LocalFiles(Files.createTempDirectory("ferry-load-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a private temporary directory", e);
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
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
