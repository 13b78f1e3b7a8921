package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;

/**
 * The connector's update rows deserializer (v1 and, with {@code setMayContainExtraInformation(true)}, v2)
 * with every cell decoded by {@link RowValueDecoder}: values come out exactly as stored.
 */
public class ExactUpdateRowsDeserializer extends UpdateRowsEventDataDeserializer {
  public ExactUpdateRowsDeserializer(Map<Long, TableMapEventData> tableMapEventByTableId) {
    super(tableMapEventByTableId);
  }

  @Override
  protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream inputStream)
      throws IOException {
    return RowValueDecoder.decode(type, meta, length, inputStream);
  }
}
