package io.ferry.worker.binlog.decode;

import java.io.IOException;

/**
 * An event whose type this decoder does not know and that the server did not flag as ignorable
 * ({@code LOG_EVENT_IGNORABLE_F}). Skipping it could lose row changes (MariaDB's compressed row events
 * 166-171, for example, are unknown to the connector), so decoding stops instead, as a MySQL replica
 * would. The event's bytes have been consumed: the stream stays aligned on the next event.
 */
public class UnsupportedBinlogEventException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int typeCode;
  private final int flags;
  private final long nextPosition;

  public UnsupportedBinlogEventException(int typeCode, int flags, long eventLength, long nextPosition) {
    super("Unknown binlog event type " + typeCode + " (flags 0x" + Integer.toHexString(flags) + ", "
        + eventLength + " bytes, next position " + nextPosition + ") is not flagged ignorable; "
        + "refusing to skip it");
    this.typeCode = typeCode;
    this.flags = flags;
    this.nextPosition = nextPosition;
  }

  /** The raw event type byte. */
  public int typeCode() {
    return typeCode;
  }

  /** The event header flags. */
  public int flags() {
    return flags;
  }

  /** The header's next-position field (0 for events inside a transaction payload). */
  public long nextPosition() {
    return nextPosition;
  }
}
