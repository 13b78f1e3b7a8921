package io.ferry.worker.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The rows of a prepared XA transaction as bytes, kept in the destination until the source logs the
 * transaction's outcome. Java serialization of what the binlog client decoded (table map, column sets,
 * row images of JDK value types and Ferry's own records); reading back accepts only those classes, so
 * bytes planted in the destination cannot make the worker build anything else.
 */
public final class PreparedRows {
  private static final ObjectInputFilter ALLOWED = ObjectInputFilter.Config.createFilter(
      "maxdepth=20;java.lang.*;java.math.*;java.util.*;java.sql.Timestamp;java.sql.Date;java.sql.Time;java.time.*;"
          + "com.github.shyiko.mysql.binlog.event.*;io.ferry.worker.binlog.**;java.io.Serializable;!*");

  private PreparedRows() {}

  public static byte[] encode(List<ChangeEvent.Rows> rows) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeInt(rows.size());
      for (ChangeEvent.Rows r : rows) {
        out.writeObject(r.table());
        out.writeObject(r.kind());
        out.writeObject(r.columns());
        out.writeObject(r.columnsAfter());
        out.writeObject(new ArrayList<>(r.images()));
        out.writeLong(r.timestamp());
      }
    } catch (IOException e) {
      throw new IllegalStateException("a prepared XA transaction's rows cannot be serialized", e);
    }
    return bytes.toByteArray();
  }

  @SuppressWarnings("unchecked")
  public static List<ChangeEvent.Rows> decode(byte[] data) throws IOException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
      in.setObjectInputFilter(ALLOWED);
      int n = in.readInt();
      List<ChangeEvent.Rows> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        TableMapEventData table = (TableMapEventData) in.readObject();
        ChangeEvent.Kind kind = (ChangeEvent.Kind) in.readObject();
        BitSet columns = (BitSet) in.readObject();
        BitSet after = (BitSet) in.readObject();
        List<Serializable[]> images = (List<Serializable[]>) in.readObject();
        out.add(new ChangeEvent.Rows(table, kind, columns, after, images, in.readLong(), 0));
      }
      return out;
    } catch (ClassNotFoundException | ClassCastException e) {
      throw new IOException("stored rows of a prepared XA transaction are not Ferry's: " + e.getMessage(), e);
    }
  }
}
