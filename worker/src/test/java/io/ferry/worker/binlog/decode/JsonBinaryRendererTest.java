package io.ferry.worker.binlog.decode;

import static io.ferry.worker.binlog.decode.JsonBinaryWriter.array;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.dbl;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.doc;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.int16;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.int32;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.int64;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.literal;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.object;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.opaque;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.str;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.uint32;
import static io.ferry.worker.binlog.decode.JsonBinaryWriter.uint64;
import static io.ferry.worker.binlog.decode.MySqlPacking.datetimePacked;
import static io.ferry.worker.binlog.decode.MySqlPacking.hex;
import static io.ferry.worker.binlog.decode.MySqlPacking.littleEndian;
import static io.ferry.worker.binlog.decode.MySqlPacking.timePacked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JsonBinaryRendererTest {
  private static final int MYSQL_TYPE_DATE = 10;
  private static final int MYSQL_TYPE_TIME = 11;
  private static final int MYSQL_TYPE_DATETIME = 12;
  private static final int MYSQL_TYPE_NEWDECIMAL = 246;
  private static final int MYSQL_TYPE_VARCHAR = 15;

  private static String render(JsonBinaryWriter.V v) throws IOException {
    return JsonBinaryRenderer.render(doc(v));
  }

  @Test
  void scalars() throws IOException {
    assertThat(render(literal(0))).isEqualTo("null");
    assertThat(render(literal(1))).isEqualTo("true");
    assertThat(render(literal(2))).isEqualTo("false");
    assertThat(render(int16(-32768))).isEqualTo("-32768");
    assertThat(render(int32(Integer.MIN_VALUE))).isEqualTo("-2147483648");
    assertThat(render(uint32(4294967295L))).isEqualTo("4294967295");
    assertThat(render(int64(Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
    assertThat(render(uint64(-1L))).isEqualTo("18446744073709551615");
    assertThat(render(dbl(0.1))).isEqualTo("0.1");
    assertThat(render(dbl(3.0))).isEqualTo("3.0");
    assertThat(Double.parseDouble(render(dbl(1e300)))).isEqualTo(1e300);
    assertThat(Double.parseDouble(render(dbl(-2.5e-8)))).isEqualTo(-2.5e-8);
  }

  @Test
  void emptyBinaryIsTheNullLiteral() throws IOException {
    assertThat(JsonBinaryRenderer.render(new byte[0])).isEqualTo("null");
  }

  @Test
  void stringsAreEscapedAndUtf8() throws IOException {
    assertThat(render(str("a\"b\\c\n\t\u0001/é😀"))).isEqualTo("\"a\\\"b\\\\c\\n\\t\\u0001/é😀\"");
    assertThat(render(object(false, new String[] {"ключ", "k\"ey"}, int16(1), str("")))).isEqualTo(
        "{\"ключ\":1,\"k\\\"ey\":\"\"}");
  }

  @Test
  void nestedSmallAndLargeContainers() throws IOException {
    JsonBinaryWriter.V inner = array(false, int16(1), str("two"), literal(0), dbl(4.5));
    JsonBinaryWriter.V small = object(false, new String[] {"a", "b", "c"}, inner, int32(70000), literal(1));
    assertThat(render(small)).isEqualTo("{\"a\":[1,\"two\",null,4.5],\"b\":70000,\"c\":true}");
    JsonBinaryWriter.V large = object(true, new String[] {"x", "y"}, int32(-5), array(true, uint32(7), small));
    assertThat(render(large)).isEqualTo("{\"x\":-5,\"y\":[7,{\"a\":[1,\"two\",null,4.5],\"b\":70000,\"c\":true}]}");
    assertThat(render(array(false))).isEqualTo("[]");
    assertThat(render(object(false, new String[0]))).isEqualTo("{}");
  }

  @Test
  void temporalOpaquesPrintLikeMySql() throws IOException {
    byte[] negTime = littleEndian(timePacked(true, 0, 0, 1, 500000), 8);
    assertThat(render(opaque(MYSQL_TYPE_TIME, negTime))).isEqualTo("\"-00:00:01.500000\"");
    byte[] bigTime = littleEndian(timePacked(false, 87, 31, 46, 654321), 8);
    assertThat(render(opaque(MYSQL_TYPE_TIME, bigTime))).isEqualTo("\"87:31:46.654321\"");
    byte[] datetime = littleEndian(datetimePacked(2012, 3, 18, 11, 30, 45, 0), 8);
    assertThat(render(opaque(MYSQL_TYPE_DATETIME, datetime))).isEqualTo("\"2012-03-18 11:30:45.000000\"");
    byte[] date = littleEndian(datetimePacked(2012, 3, 18, 0, 0, 0, 0), 8);
    assertThat(render(opaque(MYSQL_TYPE_DATE, date))).isEqualTo("\"2012-03-18\"");
  }

  @Test
  void decimalAndOtherOpaques() throws IOException {
    // DECIMAL(3,2) 9.00: precision, scale, decimal2bin (1 integer digit in 1 byte, 2 fraction digits in 1 byte)
    assertThat(render(opaque(MYSQL_TYPE_NEWDECIMAL, hex("03 02 89 00")))).isEqualTo("9.00");
    assertThat(render(opaque(MYSQL_TYPE_VARCHAR, hex("55")))).isEqualTo("\"base64:type15:VQ==\"");
  }

  @Test
  void connectorJsonBinaryDiffersFromMySqlText() throws IOException {
    // Why JsonBinaryRenderer exists: the connector's own rendering of the same documents.
    byte[] bit = doc(object(false, new String[] {"a"}, opaque(MYSQL_TYPE_VARCHAR, hex("55"))));
    assertThat(JsonBinary.parseAsString(bit)).isEqualTo("{\"a\":\"VQ==\"}");
    assertThat(JsonBinaryRenderer.render(bit)).isEqualTo("{\"a\":\"base64:type15:VQ==\"}");
    byte[] dt = doc(opaque(MYSQL_TYPE_DATETIME, littleEndian(datetimePacked(2012, 3, 18, 11, 30, 45, 0), 8)));
    assertThat(JsonBinary.parseAsString(dt)).isEqualTo("\"2012-03-18 11:30:45\"");
    byte[] negTime = doc(opaque(MYSQL_TYPE_TIME, littleEndian(timePacked(true, 0, 0, 1, 500000), 8)));
    String stock;
    try {
      stock = JsonBinary.parseAsString(negTime); // "01:0-1:0-2.00000-5" without -ea
    } catch (AssertionError e) {
      stock = "AssertionError"; // its JsonStringFormatter asserts 0 <= minutes < 100
    }
    assertThat(stock).isNotEqualTo(JsonBinaryRenderer.render(negTime));
  }

  @Test
  void damagedDocumentsFail() {
    byte[] ok = doc(object(false, new String[] {"a"}, str("xyz")));
    assertThatThrownBy(() -> JsonBinaryRenderer.render(Arrays.copyOf(ok, ok.length - 1)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> JsonBinaryRenderer.render(hex("0D"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> JsonBinaryRenderer.render(hex("04 07"))).isInstanceOf(IOException.class);
  }

  @Test
  void textJsonIsPassedThrough() throws IOException {
    assertThat(JsonBinaryRenderer.render(BinlogFixtures.utf8("{\"foo\":1}"))).isEqualTo("{\"foo\":1}");
  }
}
