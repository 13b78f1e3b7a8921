package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * The connector's write rows deserializer (v1 and, with {@code setMayContainExtraInformation(true)}, v2)
 * with every cell decoded by {@link RowValueDecoder}: values come out exactly as stored (BINARY(n)
 * cells with the trailing zero bytes the server leaves out of the event). The event's header is read as the
 * connector reads it; its row images straight from an array (see {@link RowImages#rows}).
 */
public class ExactWriteRowsDeserializer extends WriteRowsEventDataDeserializer {
  private final RowImages rowImages;
  private boolean mayContainExtraInformation;

  public ExactWriteRowsDeserializer(Map<Long, TableMapEventData> tableMapEventByTableId) {
    super(tableMapEventByTableId);
    this.rowImages = new RowImages(tableMapEventByTableId);
  }

  @Override
  public ExactWriteRowsDeserializer setMayContainExtraInformation(boolean mayContainExtraInformation) {
    super.setMayContainExtraInformation(mayContainExtraInformation);
    this.mayContainExtraInformation = mayContainExtraInformation;
    return this;
  }

  @Override
  public WriteRowsEventData deserialize(ByteArrayInputStream in) throws IOException {
    rowImages.newEvent();
    WriteRowsEventData data = new WriteRowsEventData();
    data.setTableId(RowImages.tableId(in, mayContainExtraInformation));
    int columns = in.readPackedInteger();
    data.setIncludedColumns(in.readBitSet(columns, true));
    data.setRows(rowImages.readAll(data.getTableId(), data.getIncludedColumns(), rowImages.rows(in)));
    return data;
  }
}
