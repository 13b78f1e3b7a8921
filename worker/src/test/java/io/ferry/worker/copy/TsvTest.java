package io.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The LOAD DATA rows a chunk is sent as: special bytes escaped, runs copied as they are. */
class TsvTest {
  private static String tsv(byte[]... fields) {
    ChunkWriter.Tsv out = new ChunkWriter.Tsv(1);
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.put((byte) '\t');
      }
      out.field(fields[i]);
    }
    out.put((byte) '\n');
    return new String(out.bytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void specialBytesAreEscapedAndNullIsBackslashN() {
    byte[] special = {'a', 0, 'b', '\t', '\n', '\r', '\\', 'z'};
    assertThat(tsv(special, null, "plain ✓".getBytes(StandardCharsets.UTF_8), new byte[0], new byte[] {'\\'}))
        .isEqualTo("a\\0b\\t\\n\\r\\\\z\t\\N\tplain " + new String("✓".getBytes(StandardCharsets.UTF_8),
            StandardCharsets.ISO_8859_1) + "\t\t\\\\\n");
  }

  @Test
  void longFieldsGrowTheBufferAndKeepEveryByte() {
    byte[] big = new byte[100_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i % 251 == 0 ? '\n' : 'a' + i % 26);
    }
    String out = tsv(big, big);
    assertThat(out).hasSize(2 * (big.length + 399) + 2); // 399 newlines escaped in each copy, tab and newline
    assertThat(out.indexOf('\n')).isEqualTo(out.length() - 1);
  }
}
