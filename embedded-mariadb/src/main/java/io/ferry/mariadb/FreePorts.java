package io.ferry.mariadb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Finds free TCP ports on the loopback interface. */
public final class FreePorts {
    /** Ports handed out by this JVM, never handed out twice while a server may still be binding them. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * A port that is free on 127.0.0.1 right now and that this JVM has not handed out before. Another process can
     * still take it before it is bound, so callers that bind later should retry with a new port on a bind error.
     */
    public static int pick() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a loopback socket to find a free port", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port found that was not handed out before");
    }

    /** Whether nothing listens on {@code port} on 127.0.0.1 (by trying to bind it). */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
