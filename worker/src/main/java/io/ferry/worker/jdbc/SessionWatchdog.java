package io.ferry.worker.jdbc;

import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.error.FerryException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long a job can hang on a JDBC session whose server stopped answering (a blackholed network:
 * no packets, nothing closed), which the driver alone would notice only after its 5-minute socket timeout.
 *
 * <p>The job's loop calls {@link #pulse()} on every turn. When it has not for {@code stallMillis} (it is
 * stuck in a call), the watchdog opens a fresh connection to each watched server, bounded by
 * {@code probeMillis}. A server that answers — even with an error such as "too many connections" — is
 * alive and the long call is left alone (a big commit or DDL may take minutes). A server that does not
 * answer in time gets the job's session to it aborted: the stuck call fails at once, and the job retries
 * from its last checkpoint with the error {@link #tripped()} names ({@code <ROLE>_UNREACHABLE}). A lost
 * reply on a path that still lets new connections through is not detected here (the socket timeout still
 * ends it).
 */
public final class SessionWatchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionWatchdog.class);

  /** One JDBC session of the job: its role ("source", "destination"), server and connection. */
  public record Watched(String role, ConnectionConfig config, Connection connection) {}

  private final String jobId;
  private final long stallMillis;
  private final long probeMillis;
  private final List<Watched> watched;
  /** The job's other sessions (the copy lanes'), ended with the watched ones when the watchdog trips. */
  private final Set<Connection> others = ConcurrentHashMap.newKeySet();
  private final ExecutorService probes;
  private final Thread thread;
  private volatile long lastPulse = System.currentTimeMillis();
  private volatile FerryException tripped;
  private volatile boolean closed;

  private SessionWatchdog(String jobId, long stallMillis, long probeMillis, List<Watched> watched) {
    this.jobId = jobId;
    this.stallMillis = stallMillis;
    this.probeMillis = probeMillis;
    this.watched = List.copyOf(watched);
    this.probes = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "ferry-probe-" + jobId);
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::loop, "ferry-watchdog-" + jobId);
    this.thread.setDaemon(true);
  }

  /** Starts watching; the job is stuck after {@code stallMillis} without a pulse. */
  public static SessionWatchdog start(String jobId, long stallMillis, long probeMillis, List<Watched> watched) {
    SessionWatchdog w = new SessionWatchdog(jobId, stallMillis, probeMillis, watched);
    w.thread.start();
    return w;
  }

  /** The job's loop is alive. */
  public void pulse() {
    lastPulse = System.currentTimeMillis();
  }

  /**
   * Ends {@code connection} too when the watchdog trips: a session of the job that the job's loop waits on
   * indirectly (a copy lane's, on its own thread). Already tripped: ended at once. Closing the returned
   * handle stops watching it.
   */
  public AutoCloseable alsoEnd(Connection connection) {
    others.add(connection);
    if (tripped != null) {
      abort(connection, "copy lane");
    }
    return () -> others.remove(connection);
  }

  /** The failure the watchdog found (a session it aborted), or null. */
  public FerryException tripped() {
    return tripped;
  }

  private void loop() {
    long tick = Math.max(250, stallMillis / 4);
    long nextProbe = 0;
    while (!closed && tripped == null) {
      try {
        Thread.sleep(tick);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.currentTimeMillis();
      long silent = now - lastPulse;
      if (closed || silent < stallMillis || now < nextProbe) {
        continue;
      }
      nextProbe = now + stallMillis;
      for (Watched w : watched) {
        String failure = probe(w);
        if (failure != null && !closed && System.currentTimeMillis() - lastPulse >= stallMillis) {
          trip(w, silent, failure);
          return;
        }
      }
    }
  }

  /** Null when the server answers a new connection in time, else what went wrong. */
  private String probe(Watched w) {
    Future<?> attempt = probes.submit(() -> {
      try (Connection c = Jdbc.connect(w.config(), w.role(), jobId, null)) {
        c.isValid((int) Math.max(1, probeMillis / 1000));
      } catch (SQLException e) {
        // it answered
      }
      return null;
    });
    try {
      attempt.get(probeMillis, TimeUnit.MILLISECONDS);
      return null;
    } catch (TimeoutException e) {
      attempt.cancel(true);
      return "a new connection got no answer within " + probeMillis + " ms";
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FerryException f && f.code().endsWith("_UNREACHABLE")) {
        return "a new connection failed: " + f.getMessage();
      }
      return null; // it answered, with an error (login, privileges, too many connections): alive
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void trip(Watched w, long silentMillis, String failure) {
    String role = w.role();
    tripped = FerryException.retriable(role.toUpperCase(Locale.ROOT) + "_UNREACHABLE", "job " + jobId + ": " + role
        + " " + w.config().describe() + " stopped answering: the job waited " + silentMillis / 1000 + " s on it and "
        + failure + " (network partition or hung server); its session was ended",
        "Ferry reconnects with backoff and resumes from the last checkpoint; check the network path to the " + role
        + " and the server.", null);
    LOG.warn("{}", tripped.describe());
    abort(w.connection(), role);
    // whatever the lanes wait on, the attempt ends and the job resumes from its checkpoint: end them all
    others.forEach(c -> abort(c, "copy lane"));
  }

  private static void abort(Connection c, String what) {
    try {
      c.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      LOG.debug("aborting the {} session failed", what, e);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    probes.shutdownNow();
  }
}
