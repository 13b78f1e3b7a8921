package io.ferry.worker.binlog.decode;

import static io.ferry.worker.binlog.decode.MySqlPacking.datetime2;
import static io.ferry.worker.binlog.decode.MySqlPacking.datetimePacked;
import static io.ferry.worker.binlog.decode.MySqlPacking.hex;
import static io.ferry.worker.binlog.decode.MySqlPacking.in;
import static io.ferry.worker.binlog.decode.MySqlPacking.littleEndian;
import static io.ferry.worker.binlog.decode.MySqlPacking.time2;
import static io.ferry.worker.binlog.decode.MySqlPacking.timePacked;
import static io.ferry.worker.binlog.decode.MySqlPacking.timestamp2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemporalDecoderTest {

  @ParameterizedTest(name = "TIME({5}) {0}{1}:{2}:{3}.{4} -> {6}")
  @CsvSource({
      "false, 0, 0, 0, 0, 0, 00:00:00",
      "false, 100, 0, 0, 0, 0, 100:00:00",
      "false, 838, 59, 59, 0, 0, 838:59:59",
      "true, 838, 59, 59, 0, 0, -838:59:59",
      "true, 0, 0, 1, 0, 0, -00:00:01",
      "true, 0, 0, 1, 500000, 1, -00:00:01.5",
      "true, 0, 0, 0, 100000, 1, -00:00:00.1",
      "true, 0, 0, 0, 10000, 2, -00:00:00.01",
      "true, 0, 0, 0, 990000, 2, -00:00:00.99",
      "true, 0, 0, 1, 10000, 2, -00:00:01.01",
      "true, 0, 0, 1, 100000, 2, -00:00:01.10",
      "false, 12, 34, 56, 780000, 2, 12:34:56.78",
      "true, 12, 34, 56, 789000, 3, -12:34:56.789",
      "true, 0, 0, 0, 100, 4, -00:00:00.0001",
      "true, 0, 0, 2, 999900, 4, -00:00:02.9999",
      "true, 1, 0, 0, 10, 5, -01:00:00.00001",
      "true, 838, 59, 59, 0, 6, -838:59:59.000000",
      "true, 0, 0, 0, 1, 6, -00:00:00.000001",
      "false, 838, 59, 59, 999999, 6, 838:59:59.999999",
      "true, 838, 59, 58, 999999, 6, -838:59:58.999999",
  })
  void time2MatchesMySqlPacking(boolean neg, int h, int m, int s, int micros, int fsp, String expected)
      throws IOException {
    byte[] stored = time2(timePacked(neg, h, m, s, micros), fsp);
    assertThat(TemporalDecoder.time2(fsp, in(stored))).isEqualTo(expected);
  }

  @Test
  void time2NegativeFractionsUseTheDiskLayoutFromMyTimeCc() throws IOException {
    // The table in my_time_packed_from_binary's comment (FSP 1-2): disk value -> time value.
    assertThat(TemporalDecoder.time2(2, in(hex("800000 00")))).isEqualTo("00:00:00.00");
    assertThat(TemporalDecoder.time2(2, in(hex("7FFFFF FF")))).isEqualTo("-00:00:00.01");
    assertThat(TemporalDecoder.time2(2, in(hex("7FFFFF 9D")))).isEqualTo("-00:00:00.99");
    assertThat(TemporalDecoder.time2(2, in(hex("7FFFFF 00")))).isEqualTo("-00:00:01.00");
    assertThat(TemporalDecoder.time2(2, in(hex("7FFFFE FF")))).isEqualTo("-00:00:01.01");
    assertThat(TemporalDecoder.time2(2, in(hex("7FFFFE F6")))).isEqualTo("-00:00:01.10");
    // and the encoder used above produces exactly those bytes
    assertThat(time2(timePacked(true, 0, 0, 1, 100000), 2)).isEqualTo(hex("7FFFFE F6"));
  }

  @Test
  void oldTimeIsASignedHhmmssInteger() throws IOException {
    assertThat(TemporalDecoder.time(in(littleEndian(-8385959, 3)))).isEqualTo("-838:59:59");
    assertThat(TemporalDecoder.time(in(littleEndian(123456, 3)))).isEqualTo("12:34:56");
    assertThat(TemporalDecoder.time(in(littleEndian(0, 3)))).isEqualTo("00:00:00");
  }

  @ParameterizedTest(name = "DATETIME({7}) -> {8}")
  @CsvSource({
      "0, 0, 0, 0, 0, 0, 0, 0, 0000-00-00 00:00:00",
      "0, 0, 0, 0, 0, 0, 0, 6, 0000-00-00 00:00:00.000000",
      "2020, 0, 15, 0, 0, 0, 0, 0, 2020-00-15 00:00:00",
      "2020, 2, 0, 1, 2, 3, 0, 0, 2020-02-00 01:02:03",
      "9999, 12, 31, 23, 59, 59, 999999, 6, 9999-12-31 23:59:59.999999",
      "1000, 1, 1, 0, 0, 0, 0, 0, 1000-01-01 00:00:00",
      "1988, 11, 27, 14, 12, 13, 500000, 1, 1988-11-27 14:12:13.5",
      "1988, 11, 27, 14, 12, 13, 340000, 2, 1988-11-27 14:12:13.34",
      "1988, 11, 27, 14, 12, 13, 345000, 3, 1988-11-27 14:12:13.345",
      "1988, 11, 27, 14, 12, 13, 345600, 4, 1988-11-27 14:12:13.3456",
      "1988, 11, 27, 14, 12, 13, 345670, 5, 1988-11-27 14:12:13.34567",
      "2001, 1, 1, 0, 0, 0, 1, 6, 2001-01-01 00:00:00.000001",
  })
  void datetime2MatchesMySqlPacking(int y, int mo, int d, int h, int mi, int s, int micros, int fsp, String expected)
      throws IOException {
    byte[] stored = datetime2(datetimePacked(y, mo, d, h, mi, s, micros), fsp);
    assertThat(TemporalDecoder.datetime2(fsp, in(stored))).isEqualTo(expected);
  }

  @Test
  void oldDatetimeIsAYyyymmddhhmmssInteger() throws IOException {
    assertThat(TemporalDecoder.datetime(in(littleEndian(0L, 8)))).isEqualTo("0000-00-00 00:00:00");
    assertThat(TemporalDecoder.datetime(in(littleEndian(20200015010203L, 8)))).isEqualTo("2020-00-15 01:02:03");
    assertThat(TemporalDecoder.datetime(in(littleEndian(99991231235959L, 8)))).isEqualTo("9999-12-31 23:59:59");
  }

  @Test
  void dateKeepsZeroParts() throws IOException {
    assertThat(TemporalDecoder.date(in(MySqlPacking.date(2020, 0, 15)))).isEqualTo("2020-00-15");
    assertThat(TemporalDecoder.date(in(MySqlPacking.date(0, 0, 0)))).isEqualTo("0000-00-00");
    assertThat(TemporalDecoder.date(in(MySqlPacking.date(2020, 2, 0)))).isEqualTo("2020-02-00");
    assertThat(TemporalDecoder.date(in(MySqlPacking.date(9999, 12, 31)))).isEqualTo("9999-12-31");
    assertThat(TemporalDecoder.date(in(MySqlPacking.date(1, 1, 1)))).isEqualTo("0001-01-01");
  }

  @Test
  void timestamp2CarriesSecondsMicrosAndFsp() throws IOException {
    UtcTimestamp ms = TemporalDecoder.timestamp2(3, in(timestamp2(498046943L, 567000, 3)));
    assertThat(ms).isEqualTo(new UtcTimestamp(498046943L, 567000, 3));
    assertThat(ms.toUtcLiteral()).isEqualTo("1985-10-13 10:22:23.567");

    UtcTimestamp us = TemporalDecoder.timestamp2(6, in(timestamp2(2147483647L, 999999, 6)));
    assertThat(us).isEqualTo(new UtcTimestamp(2147483647L, 999999, 6));
    assertThat(us.toUtcLiteral()).isEqualTo("2038-01-19 03:14:07.999999");

    assertThat(TemporalDecoder.timestamp2(6, in(timestamp2(1L, 1, 6))).toUtcLiteral())
        .isEqualTo("1970-01-01 00:00:01.000001");
    assertThat(TemporalDecoder.timestamp2(1, in(timestamp2(1L, 500000, 1))).toUtcLiteral())
        .isEqualTo("1970-01-01 00:00:01.5");
    assertThat(TemporalDecoder.timestamp2(0, in(timestamp2(1668951630L, 0, 0))).toUtcLiteral())
        .isEqualTo("2022-11-20 13:40:30");
  }

  @Test
  void zeroTimestampRendersAsMySqlZeroDate() throws IOException {
    UtcTimestamp zero = TemporalDecoder.timestamp2(0, in(timestamp2(0, 0, 0)));
    assertThat(zero.isZero()).isTrue();
    assertThat(zero.toUtcLiteral()).isEqualTo("0000-00-00 00:00:00");
    assertThat(TemporalDecoder.timestamp2(3, in(timestamp2(0, 0, 3))).toUtcLiteral())
        .isEqualTo("0000-00-00 00:00:00.000");
    assertThat(TemporalDecoder.timestamp(in(littleEndian(0, 4))).toUtcLiteral()).isEqualTo("0000-00-00 00:00:00");
    // one microsecond after the epoch is not the zero date
    assertThat(new UtcTimestamp(0, 1, 6).toUtcLiteral()).isEqualTo("1970-01-01 00:00:00.000001");
  }

  @Test
  void oldTimestampIsLittleEndianSeconds() throws IOException {
    assertThat(TemporalDecoder.timestamp(in(littleEndian(4294967295L, 4))))
        .isEqualTo(new UtcTimestamp(4294967295L, 0, 0));
  }

  @Test
  void yearZeroStaysZero() throws IOException {
    assertThat(TemporalDecoder.year(in(new byte[] {0}))).isZero();
    assertThat(TemporalDecoder.year(in(new byte[] {1}))).isEqualTo(1901);
    assertThat(TemporalDecoder.year(in(new byte[] {(byte) 255}))).isEqualTo(2155);
  }

  @Test
  void fspAboveSixIsRejected() {
    assertThatThrownBy(() -> TemporalDecoder.time2(7, in(new byte[8]))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> TemporalDecoder.datetime2(9, in(new byte[10]))).isInstanceOf(IOException.class);
  }
}
