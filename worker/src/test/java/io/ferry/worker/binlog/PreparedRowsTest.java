package io.ferry.worker.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import io.ferry.worker.binlog.decode.JsonText;
import io.ferry.worker.binlog.decode.UtcTimestamp;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreparedRowsTest {

  private static TableMapEventData table() {
    TableMapEventData t = new TableMapEventData();
    t.setTableId(42);
    t.setDatabase("shop");
    t.setTable("orders");
    t.setColumnTypes(new byte[] {3, (byte) 246, 15, (byte) 252, 17, (byte) 245});
    t.setColumnMetadata(new int[] {0, 0x0c02, 40, 4, 6, 4});
    t.setColumnNullability(new BitSet());
    return t;
  }

  @Test
  void rowsOfEveryKindOfValueComeBackAsTheyWere() throws IOException {
    BitSet all = new BitSet();
    all.set(0, 6);
    List<Serializable[]> images = new ArrayList<>();
    images.add(new Serializable[] {7, new BigDecimal("-12.50"), "naïve 🎁".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        new byte[] {0, 1, (byte) 0xff}, new UtcTimestamp(1_700_000_000L, 123_456, 6), new JsonText("{\"a\": [1, null]}")});
    images.add(new Serializable[] {8, null, null, new byte[0], null, null});
    ChangeEvent.Rows insert = new ChangeEvent.Rows(table(), ChangeEvent.Kind.INSERT, all, null, images, 1_700_000_000_000L, 0);
    ChangeEvent.Rows update = new ChangeEvent.Rows(table(), ChangeEvent.Kind.UPDATE, all, all, images, 5L, 0);

    List<ChangeEvent.Rows> back = PreparedRows.decode(PreparedRows.encode(List.of(insert, update)));

    assertThat(back).hasSize(2);
    for (int i = 0; i < 2; i++) {
      ChangeEvent.Rows was = List.of(insert, update).get(i);
      ChangeEvent.Rows now = back.get(i);
      assertThat(now.kind()).isEqualTo(was.kind());
      assertThat(now.columns()).isEqualTo(was.columns());
      assertThat(now.columnsAfter()).isEqualTo(was.columnsAfter());
      assertThat(now.timestamp()).isEqualTo(was.timestamp());
      assertThat(now.table().toString()).isEqualTo(was.table().toString());
      assertThat(now.images()).hasSize(2);
      for (int r = 0; r < 2; r++) {
        assertThat(java.util.Arrays.deepEquals(now.images().get(r), was.images().get(r))).as("image %d", r).isTrue();
      }
    }
    assertThat(PreparedRows.decode(PreparedRows.encode(List.of()))).isEmpty();
  }

  @Test
  void bytesPlantedInTheDestinationCannotBuildOtherClasses() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeInt(1);
      out.writeObject(new File("/tmp/x")); // any class outside the allow-list
    }
    assertThatThrownBy(() -> PreparedRows.decode(bytes.toByteArray())).isInstanceOf(IOException.class)
        .hasMessageContaining("filter");
  }
}
