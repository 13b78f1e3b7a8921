package io.ferry.worker.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.worker.binlog.decode.JsonText;
import io.ferry.worker.binlog.decode.Unsigned;
import io.ferry.worker.binlog.decode.UtcTimestamp;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The literals the applier writes into its statement text (TypeFidelityIT proves them against a server). */
class ValueLiteralTest {
  private static String literal(Object value, int typeCode, boolean unsigned) {
    StringBuilder sql = new StringBuilder();
    ValueBinder.appendLiteral(sql, value, typeCode, unsigned);
    return sql.toString();
  }

  private static String literal(Object value) {
    return literal(value, 15, false); // VARCHAR
  }

  @Test
  void numbers() {
    assertThat(literal(null)).isEqualTo("NULL");
    assertThat(literal(-5, Unsigned.LONG, false)).isEqualTo("-5");
    assertThat(literal(-1, Unsigned.LONG, true)).isEqualTo("4294967295");
    assertThat(literal(-1L, Unsigned.LONGLONG, true)).isEqualTo("18446744073709551615");
    assertThat(literal(-1, Unsigned.TINY, true)).isEqualTo("255");
    assertThat(literal(Long.MIN_VALUE, Unsigned.LONGLONG, false)).isEqualTo("-9223372036854775808");
    assertThat(literal(new BigDecimal("-0.000100"), 246, false)).isEqualTo("-0.000100");
    assertThat(literal(new BigDecimal("1E+3"), 246, false)).isEqualTo("1000");
    assertThat(literal(1.5f, 4, false)).isEqualTo("1.5");
    assertThat(literal(4.9E-324, 5, false)).isEqualTo("4.9E-324");
    assertThat(literal(-0.0, 5, false)).isEqualTo("'-0E0'");
    assertThat(literal(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 1}, ValueBinder.BIT, false))
        .isEqualTo("9223372036854775809");
  }

  @Test
  void textIsQuotedWithTheDriversEscapes() {
    assertThat(literal("tab\there\nnl \"dq\" 'sq' back\\slash \0 nul \r \u001a"))
        .isEqualTo("'tab\there\\nnl \\\"dq\\\" \\'sq\\' back\\\\slash \\0 nul \\r \\Z'");
    assertThat(literal(new UtcTimestamp(0, 5, 6))).isEqualTo("'1970-01-01 00:00:00.000005'");
    assertThat(literal(new JsonText("{\"a\": \"it's\"}"))).isEqualTo("'{\\\"a\\\": \\\"it\\'s\\\"}'");
  }

  @Test
  void bytesAreBinaryStringsTextWhenValidUtf8ElseHex() {
    assertThat(literal("a'b".getBytes(StandardCharsets.UTF_8))).isEqualTo("_binary'a\\'b'");
    assertThat(literal("😀é".getBytes(StandardCharsets.UTF_8))).isEqualTo("_binary'😀é'");
    assertThat(literal(new byte[0])).isEqualTo("_binary''");
    assertThat(literal(new byte[] {0, (byte) 0xFF})).isEqualTo("_binary X'00ff'");
    // An encoded surrogate (CESU-8) is not UTF-8: text would come back as other bytes.
    assertThat(literal(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEqualTo("_binary X'eda080'");
    // An overlong '/' likewise.
    assertThat(literal(new byte[] {(byte) 0xC0, (byte) 0xAF})).isEqualTo("_binary X'c0af'");
  }

  @Test
  void asciiBytesAreEscapedAsTheSameTextWouldBe() {
    assertThat(literal("'x'\0".getBytes(StandardCharsets.US_ASCII))).isEqualTo("_binary'\\'x\\'\\0'");
    java.util.Random random = new java.util.Random(7);
    String alphabet = "ab'\"\\\0\n\r\u001a\t z";
    for (int i = 0; i < 2_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = text.toString();
      assertThat(literal(s.getBytes(StandardCharsets.US_ASCII))).as(s).isEqualTo("_binary" + literal(s));
    }
  }

  @Test
  void anUnknownValueIsAnError() {
    assertThatThrownBy(() -> literal(new Object())).isInstanceOf(IllegalArgumentException.class);
  }
}
