package io.ferry.mariadb;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One running mariadbd process (behind its watchdog wrapper), with readiness, graceful stop and kill. */
final class ServerProcess {
    private final Process process;
    private final Path dataDir;

    private ServerProcess(Process process, Path dataDir) {
        this.process = process;
        this.dataDir = dataDir;
    }

    /**
     * Starts mariadbd behind its watchdog.
     *
     * @param cleanupDir deleted by the watchdog if this JVM dies without closing the server; null for none
     */
    static ServerProcess launch(MariaDbBinaries binaries, List<String> mariadbd, Path dataDir, Path cleanupDir)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ServerCommand.withWatchdog(mariadbd, cleanupDir))
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve(ServerCommand.OUTPUT_LOG).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        ServerCommand.cleanEnvironment(pb.environment(), binaries);
        Files.deleteIfExists(dataDir.resolve(ServerCommand.PID_FILE));
        return new ServerProcess(pb.start(), dataDir);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Exit code, or -1 while running. */
    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /**
     * Waits until the server accepts the admin over TCP and proves to be ours (same datadir); returns VERSION().
     *
     * @throws MariaDbException if the process exits or the deadline passes first
     */
    String awaitReady(String jdbcUrl, String user, String password, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (true) {
            if (!process.isAlive()) {
                throw new MariaDbException("mariadbd exited with code " + process.exitValue() + " while starting");
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT VERSION(), @@datadir")) {
                rs.next();
                String version = rs.getString(1);
                Path serverDataDir = Path.of(rs.getString(2));
                if (!sameDir(serverDataDir, dataDir)) {
                    throw new MariaDbException("another server answers on this port (datadir " + serverDataDir + ")");
                }
                return version;
            } catch (SQLException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new MariaDbException("mariadbd not ready after " + timeout.toSeconds() + " s; last error: "
                        + (last == null ? "none" : last.getMessage()));
            }
            waitForExit(Duration.ofMillis(50));
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL; returns true if the server stopped gracefully. */
    boolean terminate(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (waitForExit(grace)) {
            return true;
        }
        kill();
        return false;
    }

    /** SIGKILL and wait for the process to be gone. */
    void kill() {
        process.destroyForcibly();
        if (!waitForExit(Duration.ofSeconds(30))) {
            throw new MariaDbException("mariadbd pid " + pid() + " survived SIGKILL for 30 s");
        }
    }

    /** Sends SIGTERM without waiting (for the shutdown hook). */
    void terminateAsync() {
        process.destroy();
    }

    /** Sends SIGKILL without waiting (for the shutdown hook). */
    void killAsync() {
        process.destroyForcibly();
    }

    boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MariaDbException("interrupted while waiting for mariadbd pid " + pid(), e);
        }
    }

    private static boolean sameDir(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.normalize().equals(b.normalize());
        }
    }
}
