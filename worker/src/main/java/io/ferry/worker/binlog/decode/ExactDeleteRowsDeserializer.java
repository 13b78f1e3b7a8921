package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * The connector's delete rows deserializer (v1 and, with {@code setMayContainExtraInformation(true)}, v2)
 * with every cell decoded by {@link RowValueDecoder}: values come out exactly as stored (BINARY(n)
 * cells with the trailing zero bytes the server leaves out of the event). The event's header is read as the
 * connector reads it; its row images straight from an array (see {@link RowImages#rows}).
 */
public class ExactDeleteRowsDeserializer extends DeleteRowsEventDataDeserializer {
  private final RowImages rowImages;
  private boolean mayContainExtraInformation;

  public ExactDeleteRowsDeserializer(Map<Long, TableMapEventData> tableMapEventByTableId) {
    super(tableMapEventByTableId);
    this.rowImages = new RowImages(tableMapEventByTableId);
  }

  @Override
  public ExactDeleteRowsDeserializer setMayContainExtraInformation(boolean mayContainExtraInformation) {
    super.setMayContainExtraInformation(mayContainExtraInformation);
    this.mayContainExtraInformation = mayContainExtraInformation;
    return this;
  }

  @Override
  public DeleteRowsEventData deserialize(ByteArrayInputStream in) throws IOException {
    rowImages.newEvent();
    DeleteRowsEventData data = new DeleteRowsEventData();
    data.setTableId(RowImages.tableId(in, mayContainExtraInformation));
    int columns = in.readPackedInteger();
    data.setIncludedColumns(in.readBitSet(columns, true));
    data.setRows(rowImages.readAll(data.getTableId(), data.getIncludedColumns(), rowImages.rows(in)));
    return data;
  }
}
