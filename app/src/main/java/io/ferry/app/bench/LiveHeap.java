package io.ferry.app.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap in use right after each garbage collection while open (the sum of the heap pools after it), the
 * highest seen: close to what the work kept alive. The pools' own peaks count garbage not yet collected and
 * grow with whatever heap the JVM was allowed; this does not (a young collection leaves the old generation's
 * garbage in, so it is still an upper bound). It needs a collection while open ({@link #peakMiB} is NaN
 * without one).
 */
final class LiveHeap implements AutoCloseable {
  private final AtomicLong peak = new AtomicLong(-1);
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onNotification;

  LiveHeap() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  private void onNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
      if (after != null && pool.getType() == java.lang.management.MemoryType.HEAP) {
        used += after.getUsed();
      }
    }
    long total = used;
    peak.accumulateAndGet(total, Math::max);
  }

  /** The highest heap in use after a collection, in MiB; NaN when no collection ran. */
  double peakMiB() {
    long p = peak.get();
    return p < 0 ? Double.NaN : p / (1024.0 * 1024.0);
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // already gone
      }
    }
  }
}
