package io.ferry.worker.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import com.github.shyiko.mysql.binlog.network.SSLSocketFactory;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.ferry.protocol.tls.TrustedCa;
import io.ferry.worker.binlog.decode.BinlogEventDeserializers;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.error.FerryException;
import io.ferry.worker.error.TlsFailures;
import io.ferry.worker.jdbc.Jdbc;
import io.ferry.worker.position.BinlogFiles;
import io.ferry.worker.position.BinlogPosition;
import java.io.IOException;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Owns one {@link BinaryLogClient} and the thread it reads on. Each event goes through the
 * {@link TransactionAssembler} into a bounded queue: a slow destination blocks this thread, and that
 * is the backpressure. The client's own keep-alive reconnect is off on purpose: it would resume at the
 * last event read, possibly inside a transaction; the job runner instead restarts the whole pipeline
 * from the last committed checkpoint.
 *
 * <p>The first failure is kept ({@code compareAndSet}) and read by the job runner through
 * {@link #failure()}; the listener never throws into the client.
 */
public final class BinlogReader {
  private static final Logger LOG = LoggerFactory.getLogger(BinlogReader.class);

  private final JobConfig job;
  private final BinlogPosition start;
  private final EventQueue queue;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final BinaryLogClient client;
  private final TransactionAssembler assembler;
  private volatile long lastEventAt = System.currentTimeMillis();
  private AtomicLong eventsRead = new AtomicLong();
  private volatile boolean stopping;
  private Thread thread;

  public BinlogReader(JobConfig job, BinlogPosition start, EventQueue queue) {
    this(job, start, queue, new BinlogFiles("job " + job.id() + ": source " + job.source().describe()));
  }

  /**
   * @param files when each binlog file was created: the reader records every file it begins (and fails
   *     with {@code SOURCE_HISTORY_RESET} when one is already known with another time)
   */
  public BinlogReader(JobConfig job, BinlogPosition start, EventQueue queue, BinlogFiles files) {
    this.job = job;
    this.start = start;
    this.queue = queue;
    this.client = newClient(job);
    this.assembler = new TransactionAssembler(job.tables(), start, this::offer, files);
    configure();
  }

  /** A binlog client for the job's source, configured but not connected and without a position. */
  private static BinaryLogClient newClient(JobConfig job) {
    ConnectionConfig src = job.source();
    BinaryLogClient client = new BinaryLogClient(src.host(), src.port(), src.user(), src.password());
    client.setServerId(serverId(job));
    client.setKeepAlive(false);
    client.setBlocking(true);
    client.setHeartbeatInterval(TimeUnit.SECONDS.toMillis(job.tuning().heartbeatSeconds()));
    client.setConnectTimeout(TimeUnit.SECONDS.toMillis(10));
    client.setEventDeserializer(BinlogEventDeserializers.create());
    client.setSSLMode(switch (src.tls()) {
      case DISABLED -> SSLMode.DISABLED;
      case PREFERRED -> SSLMode.PREFERRED;
      case REQUIRED -> SSLMode.REQUIRED;
      case VERIFY_CA -> SSLMode.VERIFY_CA;
    });
    String ca = src.verifyingCa();
    if (ca != null) {
      client.setSslSocketFactory(caSocketFactory(job, src, ca));
    }
    return client;
  }

  /**
   * When the source created binlog {@code file} (seconds since the epoch): the header timestamp of its
   * format description event, read over a short replication connection from the file's start (the
   * job's own server id, as its stream will connect with; nothing else is read).
   */
  public static long fileCreated(JobConfig job, String file) {
    Jdbc.refuseTarget(job.source(), "source", job.id());
    String where = "job " + job.id() + ": source " + job.source().describe() + " at " + file;
    BinaryLogClient client = newClient(job);
    client.setBinlogFilename(file);
    client.setBinlogPosition(4);
    CompletableFuture<Long> created = new CompletableFuture<>();
    client.registerEventListener(event -> {
      if (event.getHeader().getEventType() == EventType.FORMAT_DESCRIPTION && !created.isDone()) {
        created.complete(event.getHeader().getTimestamp() / 1000);
        disconnect(client);
      }
    });
    client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
      @Override
      public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
        created.completeExceptionally(ex);
      }

      @Override
      public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
        created.completeExceptionally(ex);
        disconnect(client);
      }
    });
    Thread reading = new Thread(() -> {
      try {
        client.connect();
        created.completeExceptionally(new IOException("the server closed the stream before the file's first event"));
      } catch (IOException | RuntimeException e) {
        created.completeExceptionally(e);
      } catch (OutOfMemoryError e) {
        // usually a large event the server sent after the one wanted (then a no-op): this thread ends either way
        created.completeExceptionally(FerryException.outOfMemory("job " + job.id() + ": reading " + file
            + "'s creation time", e));
      }
    }, "ferry-binlog-identity-" + job.id());
    reading.setDaemon(true);
    reading.start();
    try {
      return created.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw classify(job, where, e.getCause());
    } catch (TimeoutException e) {
      throw FerryException.retriable("SOURCE_STREAM", where + ": no format description event within 30 s",
          "Ferry reconnects from the last checkpoint with backoff.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FerryException.retriable("SOURCE_STREAM", where + ": interrupted", "Ferry retries.", e);
    } finally {
      disconnect(client);
      try {
        reading.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void configure() {
    if (start.file().isEmpty()) {
      client.setGtidSet(start.gtidSet()); // start after a GTID set; the server's first ROTATE names the file
    } else {
      client.setBinlogFilename(start.file());
      client.setBinlogPosition(start.position());
    }
    client.registerEventListener(this::onEvent);
    client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
      @Override
      public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
        fail(ex);
      }

      @Override
      public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
        // The client would skip the event and go on; a skipped event is lost data, so stop instead.
        fail(FerryException.fatal("BINLOG_DECODE", "job " + job.id() + ": cannot decode an event in "
            + assembler.currentFile() + " from " + job.source().describe() + ": " + ex.getMessage(),
            "Report this with the binlog file; the job stays at its last checkpoint.", ex));
        disconnectQuietly();
      }
    });
  }

  /**
   * TLS sockets that trust exactly the connection's CA. The chain is verified, the host name is not
   * (VERIFY_CA): no endpoint identification is set on the socket.
   */
  private static SSLSocketFactory caSocketFactory(JobConfig job, ConnectionConfig src, String ca) {
    SSLContext context;
    try {
      context = TrustedCa.sslContext(ca);
    } catch (GeneralSecurityException e) {
      throw FerryException.fatal("SOURCE_TLS_FAILED", "job " + job.id() + ": source " + src.describe()
          + ": the connection's CA certificate cannot be used (" + e.getMessage() + ")",
          "Give the source connection the PEM certificate of the CA that signed the server's certificate.", e);
    }
    return socket -> {
      try {
        return (SSLSocket) context.getSocketFactory().createSocket(socket, src.host(), src.port(), true);
      } catch (IOException e) {
        SocketException wrapped = new SocketException("cannot start TLS: " + e.getMessage());
        wrapped.initCause(e);
        throw wrapped;
      }
    };
  }

  /** The binlog client's server id: the configured one, else derived from the job id. */
  static long serverId(JobConfig job) {
    if (job.tuning().serverId() != 0) {
      return job.tuning().serverId();
    }
    return 0x4000_0000L + (job.id().hashCode() & 0x3FFF_FFFFL);
  }

  public void start() {
    thread = new Thread(this::run, "ferry-binlog-" + job.id());
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    MDC.put("job", job.id());
    try {
      Jdbc.refuseTarget(job.source(), "source", job.id());
      client.connect();
      if (!stopping && failure.get() == null) {
        fail(FerryException.retriable("SOURCE_DISCONNECTED", "job " + job.id() + ": " + job.source().describe()
            + " closed the binlog stream", "Ferry reconnects from the last checkpoint.", null));
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    } catch (OutOfMemoryError e) {
      fail(FerryException.outOfMemory("job " + job.id() + ": the binlog reader", e));
      disconnectQuietly();
    } finally {
      MDC.remove("job");
    }
  }

  /** Counts every event read (heartbeats included) into {@code counter}; call before {@link #start}. */
  public BinlogReader countingInto(AtomicLong counter) {
    this.eventsRead = counter;
    return this;
  }

  private void onEvent(Event event) {
    lastEventAt = System.currentTimeMillis();
    eventsRead.incrementAndGet();
    try {
      assembler.onEvent(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      disconnectQuietly();
    } catch (RuntimeException e) {
      fail(e);
      disconnectQuietly();
    }
  }

  private void offer(ChangeEvent event) throws InterruptedException {
    while (!stopping) {
      if (queue.offer(event, 200, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
    throw new InterruptedException("reader stopping");
  }

  private void fail(Throwable t) {
    if (stopping) {
      return;
    }
    String where = "job " + job.id() + ": source " + job.source().describe() + " at " + assembler.currentFile();
    if (failure.compareAndSet(null, classify(job, where, t))) {
      LOG.debug("binlog reader failed", t);
    }
  }

  private static FerryException classify(JobConfig job, String where, Throwable t) {
    if (t instanceof FerryException f) {
      return f;
    }
    FerryException tls = TlsFailures.classify(t, job.source(), "source", where);
    if (tls != null) {
      return tls;
    }
    if (t instanceof AuthenticationException) {
      return FerryException.fatal("SOURCE_AUTH_FAILED", where + " rejected the replication login: " + t.getMessage(),
          "Check the source user and password.", t);
    }
    if (t instanceof ServerException se) {
      if (se.getErrorCode() == 1236) {
        return FerryException.fatal("BINLOG_PURGED", where + ": the server cannot send the binlog from the job's "
            + "position (" + se.getMessage() + ")", "The position was purged or is invalid: re-copy the tables "
            + "(start: snapshot) or give a start position the server still has.", t);
      }
      if (se.getErrorCode() == 1045) {
        return FerryException.fatal("SOURCE_AUTH_FAILED", where + " rejected the replication login: " + se.getMessage(),
            "Check the source user and password.", t);
      }
      if (se.getErrorCode() == 1227 || se.getErrorCode() == 1044) {
        return FerryException.fatal("SOURCE_PRIVILEGES", where + ": " + se.getMessage(),
            "Grant REPLICATION SLAVE and REPLICATION CLIENT (MariaDB: BINLOG MONITOR) to " + job.source().user() + ".", t);
      }
    }
    return FerryException.retriable("SOURCE_STREAM", where + ": " + t.getMessage(),
        "Ferry reconnects from the last checkpoint with backoff.", t);
  }

  /** The first failure, or null while reading goes well. */
  public FerryException failure() {
    return (FerryException) failure.get();
  }

  /** Declares the source stalled (nothing, not even a heartbeat, for too long) and disconnects. */
  public void stall(long silentMillis) {
    fail(FerryException.retriable("SOURCE_STALLED", "job " + job.id() + ": no event or heartbeat from "
        + job.source().describe() + " for " + silentMillis + " ms", "Ferry reconnects; check the network.", null));
    disconnectQuietly();
  }

  public long lastEventAt() {
    return lastEventAt;
  }

  public void stop() {
    stopping = true;
    disconnectQuietly();
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void disconnectQuietly() {
    disconnect(client);
  }

  private static void disconnect(BinaryLogClient client) {
    try {
      client.disconnect();
    } catch (IOException | RuntimeException e) {
      LOG.debug("disconnect failed", e);
    }
  }
}
