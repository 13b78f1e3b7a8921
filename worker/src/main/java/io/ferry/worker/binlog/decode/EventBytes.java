package io.ferry.worker.binlog.decode;

import java.io.InputStream;
import java.util.Objects;

/**
 * One binlog event's bytes as an {@link InputStream}, without a lock. The connector's
 * {@code ByteArrayInputStream} reads most fields a byte at a time, and over a {@code byte[]} it wraps a
 * {@link java.io.ByteArrayInputStream}, whose methods are {@code synchronized}: every byte of every header,
 * table map and row image took and released a monitor. An event is read by one thread, so none is needed.
 */
final class EventBytes extends InputStream {
  private final byte[] bytes;
  private final int end;
  private int position;

  EventBytes(byte[] bytes) {
    this(bytes, bytes.length);
  }

  /** The first {@code length} bytes of {@code bytes}. */
  EventBytes(byte[] bytes, int length) {
    this.bytes = bytes;
    this.end = length;
  }

  @Override
  public int read() {
    return position < end ? bytes[position++] & 0xFF : -1;
  }

  @Override
  public int read(byte[] into, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, into.length);
    if (length == 0) {
      return 0;
    }
    int n = Math.min(length, end - position);
    if (n <= 0) {
      return -1;
    }
    System.arraycopy(bytes, position, into, offset, n);
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long skipped = Math.max(0, Math.min(n, end - position));
    position += (int) skipped;
    return skipped;
  }

  @Override
  public int available() {
    return end - position;
  }
}
