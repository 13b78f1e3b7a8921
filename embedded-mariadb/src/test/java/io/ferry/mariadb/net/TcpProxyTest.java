package io.ferry.mariadb.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each fault of the proxy in front of a loopback echo server: bytes pass unchanged; latency holds them
 * at least that long; a bandwidth limit stretches a transfer to at least its size over the limit; a
 * blackhole passes nothing until healed (then the held bytes arrive); a reset closes the connection.
 */
class TcpProxyTest {
  private ServerSocket echo;
  private TcpProxy proxy;

  @BeforeEach
  void startEcho() throws Exception {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread e = new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              in.transferTo(out);
            } catch (Exception ignored) {
              // connection closed
            }
          });
          e.setDaemon(true);
          e.start();
        } catch (Exception ignored) {
          // server closed
        }
      }
    });
    t.setDaemon(true);
    t.start();
    proxy = TcpProxy.start(echo.getLocalPort());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    echo.close();
  }

  private static byte[] roundTrip(Socket s, byte[] data) throws Exception {
    s.getOutputStream().write(data);
    s.getOutputStream().flush();
    byte[] back = new byte[data.length];
    new DataInputStream(s.getInputStream()).readFully(back);
    return back;
  }

  @Test
  void latencyAndBandwidthSlowTrafficButKeepEveryByte() throws Exception {
    byte[] data = new byte[64 * 1024];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      s.setSoTimeout(20_000);
      assertThat(roundTrip(s, data)).isEqualTo(data);

      proxy.latency(200);
      long began = System.nanoTime();
      assertThat(roundTrip(s, new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
      assertThat((System.nanoTime() - began) / 1_000_000).as("round trip with 200 ms each way").isGreaterThanOrEqualTo(400);

      proxy.heal();
      proxy.bandwidth(64 * 1024);
      began = System.nanoTime();
      assertThat(roundTrip(s, data)).isEqualTo(data);
      // 64 KiB at 64 KiB/s: up and down stream at once, so about a second in all
      assertThat((System.nanoTime() - began) / 1_000_000).as("64 KiB through at 64 KiB/s").isGreaterThanOrEqualTo(900);
      proxy.heal();
    }
  }

  @Test
  void blackholeHoldsBytesUntilHealedAndResetCloses() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      s.setSoTimeout(500);
      assertThat(roundTrip(s, new byte[] {7})).containsExactly(7);
      proxy.blackhole();
      s.getOutputStream().write(new byte[] {8, 9});
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      proxy.heal();
      s.setSoTimeout(5_000);
      byte[] back = new byte[2];
      new DataInputStream(s.getInputStream()).readFully(back);
      assertThat(back).containsExactly(8, 9);

      proxy.resetAll();
      assertThat(s.getInputStream().read()).as("end of stream after a reset").isEqualTo(-1);
    }
  }
}
