package io.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stored copy keys (strings and bytes base64) as log lines show them. */
class KeyDescriptionTest {
  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void stringsAreQuotedTextBytesThatAreNotTextAreHexNumbersStay() {
    String text = b64("Müller's ✓".getBytes(StandardCharsets.UTF_8));
    String binary = b64(new byte[] {(byte) 0xff, 0x00, 0x41});
    String withNewline = b64("a\nb".getBytes(StandardCharsets.UTF_8));
    assertThat(TablePlan.describeKey(List.of(text, "42", binary, withNewline), List.of(CopyColumn.Kind.TEXT,
        CopyColumn.Kind.LITERAL, CopyColumn.Kind.BYTES, CopyColumn.Kind.TEXT)))
        .isEqualTo("['Müller''s ✓', 42, 0xff0041, 0x610a62]");
  }

  @Test
  void longValuesAreCut() {
    String described = TablePlan.describeKey(List.of(b64("x".repeat(200).getBytes(StandardCharsets.UTF_8))),
        List.of(CopyColumn.Kind.TEXT));
    assertThat(described).hasSize(2 + 64).endsWith("...]");
  }
}
