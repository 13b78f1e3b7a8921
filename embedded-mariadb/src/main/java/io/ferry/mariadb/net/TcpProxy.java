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
 * once), or {@link #heal()}. One thread per direction per connection; test traffic only.
 */
public final class TcpProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

  private final int targetPort;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile boolean blackholed;
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

  /** Forwards again (bytes held during the blackhole go through). */
  public void heal() {
    synchronized (gate) {
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
          awaitOpen();
          out.write(buffer, 0, n);
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
