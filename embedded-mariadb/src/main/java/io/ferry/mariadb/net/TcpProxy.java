package io.ferry.mariadb.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on a free loopback port in front of {@code 127.0.0.1:targetPort}, for fault tests: it
 * forwards bytes both ways until told to {@link #blackhole()} (stop forwarding and accepting, close
 * nothing: packets vanish, as behind a dead router), {@link #resetAll()} (close every connection at
 * once), {@link #latency(long)} (hold every chunk that long before passing it on, each direction),
 * {@link #bandwidth(long)} (at most that many bytes a second per connection and direction), or
 * {@link #heal()} (all faults off). One thread per direction per connection; test traffic only.
 */
public final class TcpProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

  private final int targetPort;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile boolean blackholed;
  private volatile long latencyMillis;
  private volatile long bytesPerSecond;
  private volatile boolean closed;

  private TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  /** Starts a proxy to {@code 127.0.0.1:targetPort}. */
  public static TcpProxy start(int targetPort) throws IOException {
    TcpProxy p = new TcpProxy(targetPort);
    Thread t = new Thread(p::acceptLoop, "tcp-proxy-" + p.port());
    t.setDaemon(true);
    t.start();
    return p;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Stops forwarding in both directions without closing anything; new connections hang too. */
  public void blackhole() {
    blackholed = true;
    LOG.info("proxy :{} -> :{} blackholed", port(), targetPort);
  }

  /** Delays every chunk by {@code millis} in each direction (0 = none); new and open connections alike. */
  public void latency(long millis) {
    latencyMillis = Math.max(0, millis);
    LOG.info("proxy :{} -> :{} latency {} ms", port(), targetPort, latencyMillis);
  }

  /** Limits each connection's each direction to {@code bytesPerSecond} (0 = unlimited). */
  public void bandwidth(long bytesPerSecond) {
    this.bytesPerSecond = Math.max(0, bytesPerSecond);
    LOG.info("proxy :{} -> :{} bandwidth {} B/s", port(), targetPort, this.bytesPerSecond);
  }

  /** Forwards again at full speed (bytes held during the blackhole go through); latency and limit off. */
  public void heal() {
    synchronized (gate) {
      latencyMillis = 0;
      bytesPerSecond = 0;
      blackholed = false;
      gate.notifyAll();
    }
    LOG.info("proxy :{} -> :{} healed", port(), targetPort);
  }

  /** Closes every open connection at once (both sides see a reset or EOF). */
  public void resetAll() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, "up");
        pump(upstream, client, "down");
      } catch (IOException e) {
        if (!closed) {
          LOG.debug("proxy accept failed", e);
        }
      }
    }
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          long readAt = System.nanoTime();
          awaitOpen();
          long delay = latencyMillis;
          if (delay > 0) {
            long wait = delay - (System.nanoTime() - readAt) / 1_000_000;
            if (wait > 0) {
              Thread.sleep(wait);
            }
          }
          long limit = bytesPerSecond;
          if (limit <= 0) {
            out.write(buffer, 0, n);
          } else {
            // slices of a tenth of a second's allowance, each followed by its share of the second
            int slice = (int) Math.max(1, Math.min(n, limit / 10));
            for (int off = 0; off < n; off += slice) {
              int len = Math.min(slice, n - off);
              out.write(buffer, off, len);
              out.flush();
              Thread.sleep(Math.max(1, len * 1000L / limit));
            }
          }
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-proxy-" + port() + "-" + direction);
    t.setDaemon(true);
    t.start();
  }

  private void awaitOpen() throws InterruptedException {
    synchronized (gate) {
      while (blackholed && !closed) {
        gate.wait(1_000);
      }
    }
  }

  private static void closeQuietly(java.io.Closeable s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    heal();
    closeQuietly(server);
    resetAll();
  }
}
