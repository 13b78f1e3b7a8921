package io.ferry.mariadb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servers started by this JVM that are not closed yet. When the JVM exits, a shutdown hook kills every one of
 * them and deletes their temporary data directories (a server on a kept data directory gets SIGTERM and up to 10 s to
 * shut down cleanly first); the watchdog in {@link ServerCommand} covers a JVM killed without running hooks.
 */
final class ServerRegistry {
    /** How long servers on kept data directories get to shut down cleanly when the JVM exits. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final Set<MariaDbServer> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private ServerRegistry() {
    }

    static void register(MariaDbServer server) {
        installHook();
        LIVE.add(server);
    }

    static void unregister(MariaDbServer server) {
        LIVE.remove(server);
    }

    /** Servers of this JVM that are registered (started and not closed). */
    static List<MariaDbServer> live() {
        return new ArrayList<>(LIVE);
    }

    private static synchronized void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ServerRegistry::killAll, "ferry-mariadb-shutdown"));
            hookInstalled = true;
        }
    }

    private static void killAll() {
        List<MariaDbServer> servers = live();
        for (MariaDbServer s : servers) {
            s.signalForShutdown();
        }
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        for (MariaDbServer s : servers) {
            s.awaitExitForShutdown(deadline);
        }
    }
}
