package io.ferry.worker.binlog;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the binlog reader and the applier, bounded twice: at most {@code capacity} events,
 * and rows events worth at most {@code maxBytes} of binlog at once (a single larger event is let in alone).
 * The count keeps a stream of small transactions from running far ahead of the applier; the bytes keep the
 * decoded rows waiting here bounded whatever their width (2,048 events of wide rows would otherwise hold
 * hundreds of megabytes), and keep the reader only as far ahead of a busy applier as it needs to be: every
 * decoded row still queued is copied by each young-generation collection, so a long queue of a huge
 * transaction's rows costs pauses, not speed. One producer (the reader) and one consumer (the job's thread).
 */
public final class EventQueue {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<ChangeEvent> events = new ArrayDeque<>();
  private final int capacity;
  private final long maxBytes;
  private long bytes;

  public EventQueue(int capacity, long maxBytes) {
    if (capacity < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("capacity and maxBytes must be positive");
    }
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /** The binlog bytes an event holds decoded: its rows events' sizes (0 for events without rows). */
  static long weight(ChangeEvent event) {
    if (event instanceof ChangeEvent.Rows r) {
      return r.binlogBytes();
    }
    if (event instanceof ChangeEvent.XaPrepare x) {
      long sum = 0;
      for (ChangeEvent.Rows r : x.rows()) {
        sum += r.binlogBytes();
      }
      return sum;
    }
    return 0;
  }

  /** Adds {@code event}, waiting up to {@code timeout} for room; false when there was none. */
  public boolean offer(ChangeEvent event, long timeout, TimeUnit unit) throws InterruptedException {
    long w = weight(event);
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (events.size() >= capacity || (w > 0 && bytes > 0 && bytes + w > maxBytes)) {
        if (nanos <= 0) {
          return false;
        }
        nanos = notFull.awaitNanos(nanos);
      }
      events.addLast(event);
      bytes += w;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the oldest event, waiting up to {@code timeout}; null when none came. */
  public ChangeEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (events.isEmpty()) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      ChangeEvent event = events.pollFirst();
      bytes -= weight(event);
      notFull.signal();
      return event;
    } finally {
      lock.unlock();
    }
  }

  public boolean isEmpty() {
    lock.lock();
    try {
      return events.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Events waiting. */
  public int size() {
    lock.lock();
    try {
      return events.size();
    } finally {
      lock.unlock();
    }
  }

  /** Binlog bytes of the rows events waiting. */
  public long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }
}
