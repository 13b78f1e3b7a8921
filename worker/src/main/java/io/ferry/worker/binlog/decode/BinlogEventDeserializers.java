package io.ferry.worker.binlog.decode;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.LRUCache;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.AnnotateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.BinlogCheckpointEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import com.github.shyiko.mysql.binlog.event.deserialization.FormatDescriptionEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidTaggedEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.IntVarEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidListEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.PreviousGtidSetDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.QueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RotateEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RowsQueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XAPrepareEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XidEventDataDeserializer;
import java.io.IOException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

/**
 * Builds the {@link EventDeserializer} Ferry reads binlogs with, from a server
 * ({@code BinaryLogClient.setEventDeserializer}) or from a file ({@code BinaryLogFileReader}).
 *
 * <p>It registers every data deserializer the connector's default constructor registers (see
 * {@code EventDeserializer.registerDefaultEventDataDeserializers} in 0.41.0), then replaces:
 * <ul>
 *   <li>TABLE_MAP with {@link RepeatedTableMaps}, which decodes a table map only when its bytes changed;
 *   <li>WRITE/UPDATE/DELETE_ROWS (v1, MariaDB) and EXT_WRITE/UPDATE/DELETE_ROWS (v2) with the
 *       {@code Exact*RowsDeserializer}s, whose values are documented in {@link RowValueDecoder};
 *   <li>TRANSACTION_PAYLOAD with {@link TransactionPayloadDeserializer}, so compressed transactions are
 *       decoded with the same row deserializers and the same table-map cache.
 * </ul>
 * The result is a {@link StrictEventDeserializer}: truncated input fails, unknown events not flagged
 * ignorable fail. One instance serves one stream (it keeps the checksum length and table maps); it is
 * not thread-safe.
 */
@SuppressWarnings("rawtypes") // the connector's EventDeserializer takes a raw Map<EventType, EventDataDeserializer>
public final class BinlogEventDeserializers {
  /** Table maps kept, as in the connector's default (its LRU cache of 10000 table ids). */
  static final int TABLE_MAP_CACHE_SIZE = 10_000;

  private BinlogEventDeserializers() {
  }

  /** A deserializer with its own table-map cache. */
  public static EventDeserializer create() {
    return create(new LRUCache<>(100, 0.75f, TABLE_MAP_CACHE_SIZE));
  }

  /**
   * A deserializer that keeps table maps in {@code tableMapCache} (table id to TABLE_MAP event), the
   * cache its row deserializers read. Table maps inside compressed transactions land there too.
   */
  public static EventDeserializer create(Map<Long, TableMapEventData> tableMapCache) {
    Map<EventType, EventDataDeserializer> deserializers = new EnumMap<>(EventType.class);
    registerConnectorDefaults(deserializers);
    registerExactRows(deserializers, tableMapCache);

    // Inner events of a TRANSACTION_PAYLOAD: same row deserializers and table-map cache, but a
    // separate EventDeserializer, because inner events carry no checksum (see the payload class).
    // A payload nested in a payload is not valid; refuse it rather than decode it.
    Map<EventType, EventDataDeserializer> inner = new EnumMap<>(deserializers);
    inner.put(EventType.TRANSACTION_PAYLOAD, in -> {
      throw new IOException("TRANSACTION_PAYLOAD nested inside a TRANSACTION_PAYLOAD");
    });
    StrictEventDeserializer innerDeserializer = new StrictEventDeserializer(inner, tableMapCache);
    deserializers.put(EventType.TRANSACTION_PAYLOAD, new TransactionPayloadDeserializer(innerDeserializer));

    StrictEventDeserializer deserializer = new StrictEventDeserializer(deserializers, tableMapCache);
    // The Exact* row deserializers decode every cell themselves, so these modes change none of their
    // values. CHAR_AND_BINARY_AS_BYTE_ARRAY is set anyway: should a stock rows deserializer ever be
    // registered in their place, CHAR/VARCHAR/BINARY still come out as raw bytes instead of Strings
    // decoded with the platform charset (which loses binary data). DATE_AND_TIME_AS_LONG(_MICRO) and the
    // INVALID_DATE_AND_TIME_* modes are left off: epoch numbers and sentinels are what Ferry avoids.
    EnumSet<CompatibilityMode> modes = EnumSet.of(CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
    deserializer.setCompatibilityMode(modes);
    innerDeserializer.setCompatibilityMode(modes);
    return deserializer;
  }

  /**
   * Everything {@code EventDeserializer.registerDefaultEventDataDeserializers} registers in 0.41.0 (its
   * TABLE_MAP deserializer behind {@link RepeatedTableMaps}).
   */
  private static void registerConnectorDefaults(Map<EventType, EventDataDeserializer> map) {
    map.put(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventDataDeserializer());
    map.put(EventType.ROTATE, new RotateEventDataDeserializer());
    map.put(EventType.INTVAR, new IntVarEventDataDeserializer());
    map.put(EventType.QUERY, new QueryEventDataDeserializer());
    map.put(EventType.TABLE_MAP, new RepeatedTableMaps(TABLE_MAP_CACHE_SIZE));
    map.put(EventType.XID, new XidEventDataDeserializer());
    map.put(EventType.ROWS_QUERY, new RowsQueryEventDataDeserializer());
    map.put(EventType.GTID, new GtidEventDataDeserializer());
    map.put(EventType.GTID_TAGGED, new GtidTaggedEventDataDeserializer());
    map.put(EventType.PREVIOUS_GTIDS, new PreviousGtidSetDeserializer());
    map.put(EventType.XA_PREPARE, new XAPrepareEventDataDeserializer());
    map.put(EventType.ANNOTATE_ROWS, new AnnotateRowsEventDataDeserializer());
    map.put(EventType.MARIADB_GTID, new MariadbGtidEventDataDeserializer());
    map.put(EventType.BINLOG_CHECKPOINT, new BinlogCheckpointEventDataDeserializer());
    map.put(EventType.MARIADB_GTID_LIST, new MariadbGtidListEventDataDeserializer());
    // WRITE/UPDATE/DELETE_ROWS, EXT_*_ROWS and TRANSACTION_PAYLOAD are registered by create().
  }

  private static void registerExactRows(Map<EventType, EventDataDeserializer> map,
      Map<Long, TableMapEventData> tableMaps) {
    map.put(EventType.WRITE_ROWS, new ExactWriteRowsDeserializer(tableMaps));
    map.put(EventType.UPDATE_ROWS, new ExactUpdateRowsDeserializer(tableMaps));
    map.put(EventType.DELETE_ROWS, new ExactDeleteRowsDeserializer(tableMaps));
    map.put(EventType.EXT_WRITE_ROWS, new ExactWriteRowsDeserializer(tableMaps).setMayContainExtraInformation(true));
    map.put(EventType.EXT_UPDATE_ROWS,
        new ExactUpdateRowsDeserializer(tableMaps).setMayContainExtraInformation(true));
    map.put(EventType.EXT_DELETE_ROWS,
        new ExactDeleteRowsDeserializer(tableMaps).setMayContainExtraInformation(true));
  }
}
