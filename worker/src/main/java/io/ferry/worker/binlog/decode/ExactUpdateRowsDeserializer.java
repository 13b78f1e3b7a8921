package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.BitSet;
import java.util.Map;

/**
 * The connector's update rows deserializer (v1 and, with {@code setMayContainExtraInformation(true)}, v2)
 * with every cell decoded by {@link RowValueDecoder}: values come out exactly as stored (BINARY(n)
 * cells with the trailing zero bytes the server leaves out of the event).
 */
public class ExactUpdateRowsDeserializer extends UpdateRowsEventDataDeserializer {
  private final RowImages rowImages;

  public ExactUpdateRowsDeserializer(Map<Long, TableMapEventData> tableMapEventByTableId) {
    super(tableMapEventByTableId);
    this.rowImages = new RowImages(tableMapEventByTableId);
  }

  @Override
  public UpdateRowsEventData deserialize(ByteArrayInputStream inputStream) throws IOException {
    rowImages.newEvent();
    return super.deserialize(inputStream);
  }

  /** The row as the connector reads it, cheaper, with BINARY(n) cells padded back (see {@link RowImages}). */
  @Override
  protected Serializable[] deserializeRow(long tableId, BitSet includedColumns, ByteArrayInputStream inputStream)
      throws IOException {
    return rowImages.read(tableId, includedColumns, inputStream);
  }
}
