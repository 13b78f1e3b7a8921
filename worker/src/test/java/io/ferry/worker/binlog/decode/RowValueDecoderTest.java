package io.ferry.worker.binlog.decode;

import static io.ferry.worker.binlog.decode.MySqlPacking.concat;
import static io.ferry.worker.binlog.decode.MySqlPacking.hex;
import static io.ferry.worker.binlog.decode.MySqlPacking.in;
import static io.ferry.worker.binlog.decode.MySqlPacking.littleEndian;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class RowValueDecoderTest {

  private static Serializable decode(ColumnType type, int meta, int length, byte[] stored) throws IOException {
    return RowValueDecoder.decode(type, meta, length, in(stored));
  }

  @Test
  void integersAreSignedAsStored() throws IOException {
    assertThat(decode(ColumnType.TINY, 0, 0, hex("80"))).isEqualTo(-128);
    assertThat(decode(ColumnType.TINY, 0, 0, hex("7F"))).isEqualTo(127);
    assertThat(decode(ColumnType.TINY, 0, 0, hex("FF"))).isEqualTo(-1);
    assertThat(decode(ColumnType.SHORT, 0, 0, littleEndian(-32768, 2))).isEqualTo(-32768);
    assertThat(decode(ColumnType.INT24, 0, 0, littleEndian(-8388608, 3))).isEqualTo(-8388608);
    assertThat(decode(ColumnType.INT24, 0, 0, littleEndian(8388607, 3))).isEqualTo(8388607);
    assertThat(decode(ColumnType.LONG, 0, 0, littleEndian(Integer.MIN_VALUE, 4))).isEqualTo(Integer.MIN_VALUE);
    assertThat(decode(ColumnType.LONGLONG, 0, 0, littleEndian(Long.MIN_VALUE, 8))).isEqualTo(Long.MIN_VALUE);
    assertThat(decode(ColumnType.LONGLONG, 0, 0, littleEndian(Long.MAX_VALUE, 8))).isEqualTo(Long.MAX_VALUE);
    assertThat(decode(ColumnType.LONG, 0, 0, littleEndian(1, 4))).isInstanceOf(Integer.class);
    assertThat(decode(ColumnType.LONGLONG, 0, 0, littleEndian(1, 8))).isInstanceOf(Long.class);
  }

  @Test
  void unsignedReinterpretsTheStoredBits() {
    assertThat(Unsigned.of(-1, Unsigned.TINY)).isEqualTo(255L);
    assertThat(Unsigned.of(-1, Unsigned.SHORT)).isEqualTo(65535L);
    assertThat(Unsigned.of(-1, Unsigned.INT24)).isEqualTo(16777215L);
    assertThat(Unsigned.of(-1, Unsigned.LONG)).isEqualTo(4294967295L);
    assertThat(Unsigned.of(5, Unsigned.LONG)).isEqualTo(5L);
    assertThat(Unsigned.of(-1L, Unsigned.LONGLONG)).isEqualTo(new BigInteger("18446744073709551615"));
    assertThat(Unsigned.of(Long.MIN_VALUE, Unsigned.LONGLONG)).isEqualTo(new BigInteger("9223372036854775808"));
    assertThat(Unsigned.of(Long.MAX_VALUE, Unsigned.LONGLONG)).isEqualTo(Long.MAX_VALUE);
    assertThat(Unsigned.of(null, Unsigned.LONG)).isNull();
    assertThatThrownBy(() -> Unsigned.of(1, 246)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Unsigned.of(1, Unsigned.LONGLONG)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void floatingPointKeepsItsBits() throws IOException {
    assertThat(decode(ColumnType.FLOAT, 4, 0, littleEndian(Float.floatToIntBits(-1.5f), 4))).isEqualTo(-1.5f);
    assertThat(decode(ColumnType.DOUBLE, 8, 0, littleEndian(Double.doubleToLongBits(1e300), 8))).isEqualTo(1e300);
  }

  @Test
  void decimalKeepsTheColumnScale() throws IOException {
    int decimal52 = 5 | (2 << 8); // DECIMAL(5,2): 3 integer digits in 2 bytes, 2 fraction digits in 1 byte
    assertThat(decode(ColumnType.NEWDECIMAL, decimal52, 0, hex("80 7B 2D"))).isEqualTo(new BigDecimal("123.45"));
    assertThat(decode(ColumnType.NEWDECIMAL, decimal52, 0, hex("7F 84 D2"))).isEqualTo(new BigDecimal("-123.45"));
    BigDecimal zero = (BigDecimal) decode(ColumnType.NEWDECIMAL, decimal52, 0, hex("80 00 00"));
    assertThat(zero.scale()).isEqualTo(2);
    assertThat(zero.toPlainString()).isEqualTo("0.00");
    int decimal100 = 10; // DECIMAL(10,0): one full 9-digit group (4 bytes) after a 1-digit group (1 byte)
    assertThat(decode(ColumnType.NEWDECIMAL, decimal100, 0, concat(hex("81"), hex("3B9AC9FF"))).toString())
        .isEqualTo("1999999999");
  }

  @Test
  void bitIsTheStoredBigEndianBytes() throws IOException {
    int bit1 = 1; // BIT(1): meta low byte = bits % 8, high byte = bits / 8
    assertThat((byte[]) decode(ColumnType.BIT, bit1, 0, hex("01"))).containsExactly(0x01);
    int bit64 = 8 << 8;
    assertThat((byte[]) decode(ColumnType.BIT, bit64, 0, hex("FFFFFFFFFFFFFFFF"))).hasSize(8)
        .containsOnly((byte) 0xFF);
    int bit28 = (3 << 8) | 4;
    assertThat((byte[]) decode(ColumnType.BIT, bit28, 0, hex("07B55787"))).containsExactly(hex("07B55787"));
    int bit9 = (1 << 8) | 1;
    assertThat((byte[]) decode(ColumnType.BIT, bit9, 0, hex("0100"))).containsExactly(0x01, 0x00);
  }

  @Test
  void stringsAndBlobsAreRawBytes() throws IOException {
    byte[] latin1 = hex("E9"); // 'é' in latin1: not valid UTF-8, must come through unchanged
    assertThat((byte[]) decode(ColumnType.STRING, 0, 10, concat(hex("01"), latin1))).containsExactly(latin1);
    assertThat((byte[]) decode(ColumnType.STRING, 0, 1020, concat(hex("0100"), latin1))).containsExactly(latin1);
    assertThat((byte[]) decode(ColumnType.VARCHAR, 255, 0, hex("02 0001"))).containsExactly(0x00, 0x01);
    assertThat((byte[]) decode(ColumnType.VARCHAR, 256, 0, hex("0200 0001"))).containsExactly(0x00, 0x01);
    assertThat((byte[]) decode(ColumnType.BLOB, 2, 0, hex("0300 616263"))).containsExactly('a', 'b', 'c');
    assertThat((byte[]) decode(ColumnType.BLOB, 4, 0, hex("00000000"))).isEmpty();
    assertThat((byte[]) decode(ColumnType.GEOMETRY, 4, 0, hex("02000000 0102"))).containsExactly(1, 2);
    assertThat((byte[]) decode(ColumnType.VECTOR, 4, 0, hex("04000000 0000803F"))).containsExactly(hex("0000803F"));
  }

  @Test
  void enumIsTheIndexAndSetTheBitmask() throws IOException {
    assertThat(decode(ColumnType.ENUM, 0, 1, hex("00"))).isEqualTo(0);
    assertThat(decode(ColumnType.ENUM, 0, 2, hex("2C01"))).isEqualTo(300);
    assertThat(decode(ColumnType.SET, 0, 1, hex("05"))).isEqualTo(5L);
    assertThat(decode(ColumnType.SET, 0, 8, hex("FFFFFFFFFFFFFFFF"))).isEqualTo(-1L);
  }

  @Test
  void jsonIsText() throws IOException {
    // {"a": 1} as a small object: count 1, size 12, key entry (offset 11, length 1), INT16 inlined, key "a"
    byte[] doc = hex("00 0100 0C00 0B00 0100 05 0100 61");
    assertThat(decode(ColumnType.JSON, 4, 0, concat(littleEndian(doc.length, 4), doc)))
        .isEqualTo(new JsonText("{\"a\":1}"));
    assertThat(decode(ColumnType.JSON, 4, 0, hex("00000000"))).isEqualTo(new JsonText("null"));
  }

  @Test
  void unknownTypesFail() {
    assertThatThrownBy(() -> decode(null, 0, 0, new byte[4])).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> decode(ColumnType.DECIMAL, 0, 0, new byte[4])).isInstanceOf(IOException.class);
  }

  @Test
  void truncatedCellsFail() {
    assertThatThrownBy(() -> decode(ColumnType.LONGLONG, 0, 0, new byte[7])).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> decode(ColumnType.BLOB, 2, 0, hex("0500 61"))).isInstanceOf(IOException.class);
  }
}
