package io.ferry.mariadb;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link WatchdogIT}: starts a server, writes "pid datadir" to the file named by the first
 * argument, then either exits without closing the server ("exit") or blocks until killed ("block").
 */
public final class ChildServerMain {
    private ChildServerMain() {
    }

    public static void main(String[] args) throws Exception {
        MariaDbServer server = MariaDbServer.start(MariaDbConfig.source());
        Path tmp = Path.of(args[0] + ".tmp");
        Files.writeString(tmp, server.pid() + " " + server.dataDir(), StandardCharsets.UTF_8);
        Files.move(tmp, Path.of(args[0]));
        if ("exit".equals(args[1])) {
            System.exit(0); // the shutdown hook must kill the server and delete its directory
        }
        Thread.currentThread().join();
    }
}
