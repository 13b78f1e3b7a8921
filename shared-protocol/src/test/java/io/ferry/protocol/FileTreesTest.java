package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir
  Path parent;

  @Test
  void deletesATreeAndToleratesAMissingOne() throws Exception {
    Path root = Files.createDirectories(parent.resolve("a/b/c"));
    Files.writeString(root.resolve("f"), "x");
    Files.writeString(parent.resolve("a/g"), "y");
    FileTrees.delete(parent.resolve("a"));
    assertThat(parent.resolve("a")).doesNotExist();
    assertThat(FileTrees.deleteQuietly(parent.resolve("a"))).isTrue();
    assertThat(parent).exists();
  }
}
