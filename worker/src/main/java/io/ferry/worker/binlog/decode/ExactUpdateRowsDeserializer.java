package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The connector's update rows deserializer (v1 and, with {@code setMayContainExtraInformation(true)}, v2)
 * with every cell decoded by {@link RowValueDecoder}: values come out exactly as stored (BINARY(n)
 * cells with the trailing zero bytes the server leaves out of the event). The event's header is read as the
 * connector reads it; its row images straight from an array (see {@link RowImages#rows}).
 */
public class ExactUpdateRowsDeserializer extends UpdateRowsEventDataDeserializer {
  private final RowImages rowImages;
  private boolean mayContainExtraInformation;

  public ExactUpdateRowsDeserializer(Map<Long, TableMapEventData> tableMapEventByTableId) {
    super(tableMapEventByTableId);
    this.rowImages = new RowImages(tableMapEventByTableId);
  }

  @Override
  public ExactUpdateRowsDeserializer setMayContainExtraInformation(boolean mayContainExtraInformation) {
    super.setMayContainExtraInformation(mayContainExtraInformation);
    this.mayContainExtraInformation = mayContainExtraInformation;
    return this;
  }

  @Override
  public UpdateRowsEventData deserialize(ByteArrayInputStream in) throws IOException {
    rowImages.newEvent();
    UpdateRowsEventData data = new UpdateRowsEventData();
    data.setTableId(RowImages.tableId(in, mayContainExtraInformation));
    int columns = in.readPackedInteger();
    data.setIncludedColumnsBeforeUpdate(in.readBitSet(columns, true));
    data.setIncludedColumns(in.readBitSet(columns, true));
    ArrayCursor rows = rowImages.rows(in);
    List<Map.Entry<Serializable[], Serializable[]>> pairs = new ArrayList<>();
    while (rows.available() > 0) {
      Serializable[] before = rowImages.read(data.getTableId(), data.getIncludedColumnsBeforeUpdate(), rows);
      Serializable[] after = rowImages.read(data.getTableId(), data.getIncludedColumns(), rows);
      pairs.add(new AbstractMap.SimpleEntry<>(before, after));
    }
    rows.close();
    data.setRows(pairs);
    return data;
  }
}
