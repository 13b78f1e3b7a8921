package io.ferry.worker.binlog.decode;

import static io.ferry.worker.binlog.decode.MySqlPacking.concat;
import static io.ferry.worker.binlog.decode.MySqlPacking.hex;
import static io.ferry.worker.binlog.decode.MySqlPacking.littleEndian;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RepeatedTableMapsTest {
  private static final byte LONG = 3;
  private static final byte LONGLONG = 8;

  @Test
  void aRepeatedMapIsTheSameObjectAsTheFirst() throws IOException {
    RepeatedTableMaps maps = new RepeatedTableMaps(10);
    TableMapEventData first = maps.deserialize(stream(body(7, "shop", "orders", LONG, LONG)));
    TableMapEventData again = maps.deserialize(stream(body(7, "shop", "orders", LONG, LONG)));
    assertThat(again).isSameAs(first);
    assertThat(first.getDatabase()).isEqualTo("shop");
    assertThat(first.getTable()).isEqualTo("orders");
    assertThat(first.getColumnTypes()).containsExactly(LONG, LONG);
  }

  @Test
  void aChangedMapUnderTheSameTableIdIsDecodedAnew() throws IOException {
    RepeatedTableMaps maps = new RepeatedTableMaps(10);
    TableMapEventData before = maps.deserialize(stream(body(7, "shop", "orders", LONG, LONG)));
    // a restarted source hands table id 7 to another table, or the table changed: same id, other bytes
    TableMapEventData otherTable = maps.deserialize(stream(body(7, "shop", "items", LONG, LONG)));
    TableMapEventData otherColumns = maps.deserialize(stream(body(7, "shop", "items", LONG, LONGLONG)));
    assertThat(otherTable).isNotSameAs(before);
    assertThat(otherTable.getTable()).isEqualTo("items");
    assertThat(otherColumns).isNotSameAs(otherTable);
    assertThat(otherColumns.getColumnTypes()).containsExactly(LONG, LONGLONG);
  }

  @Test
  void decodesWhatTheConnectorDecodes() throws IOException {
    byte[] body = body(123_456_789_012L, "db", "t", LONG, LONGLONG, LONG);
    TableMapEventData ours = new RepeatedTableMaps(10).deserialize(stream(body));
    TableMapEventData stock = new TableMapEventDataDeserializer().deserialize(stream(body));
    assertThat(ours.toString()).isEqualTo(stock.toString());
    assertThat(ours.getTableId()).isEqualTo(123_456_789_012L);
  }

  @Test
  void forgetsTheLeastRecentlyUsedTableBeyondItsCapacity() throws IOException {
    RepeatedTableMaps maps = new RepeatedTableMaps(2);
    TableMapEventData one = maps.deserialize(stream(body(1, "db", "a", LONG)));
    TableMapEventData two = maps.deserialize(stream(body(2, "db", "b", LONG)));
    assertThat(maps.deserialize(stream(body(1, "db", "a", LONG)))).isSameAs(one); // 1 used more recently than 2
    maps.deserialize(stream(body(3, "db", "c", LONG))); // drops 2
    assertThat(maps.deserialize(stream(body(1, "db", "a", LONG)))).isSameAs(one);
    assertThat(maps.deserialize(stream(body(2, "db", "b", LONG)))).isNotSameAs(two);
  }

  private static ByteArrayInputStream stream(byte[] body) {
    return new ByteArrayInputStream(body);
  }

  /** A TABLE_MAP body: table id, flags, names, column types (none with metadata), nullability. */
  private static byte[] body(long tableId, String db, String table, byte... types) {
    byte[] nulls = new byte[(types.length + 7) / 8];
    return concat(littleEndian(tableId, 6), hex("0100"), name(db), name(table), new byte[] {(byte) types.length},
        types, hex("00"), nulls);
  }

  private static byte[] name(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    return concat(new byte[] {(byte) bytes.length}, bytes, hex("00"));
  }
}
