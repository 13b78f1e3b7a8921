package io.ferry.mariadb;

import io.ferry.mariadb.check.SecretLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server on 127.0.0.1, started by this JVM in its own data directory.
 *
 * <p>The admin account is {@code root} with an empty password, reachable over TCP from 127.0.0.1. The server's error
 * log is {@code mariadbd.err} and its console output {@code mariadbd.out}, both in the data directory. The server
 * never outlives this JVM: a shutdown hook kills it, and a watchdog shell kills it within about a second when the JVM
 * dies without running hooks (SIGKILL); both delete a temporary data directory.
 *
 * <pre>{@code
 * try (MariaDbServer db = MariaDbServer.start(MariaDbConfig.source())) {
 *     db.execute("CREATE DATABASE shop");
 *     db.createUser("repl", "pw", "REPLICATION SLAVE, REPLICATION CLIENT ON *.*", "SELECT ON shop.*");
 *     try (Connection c = DriverManager.getConnection(db.jdbcUrl("shop"), "repl", "pw")) { ... }
 * }
 * }</pre>
 */
public final class MariaDbServer implements AutoCloseable {
    /** System property: seconds to wait for a server to accept connections (default 60). */
    public static final String START_TIMEOUT_PROPERTY = "ferry.mariadb.startTimeoutSeconds";

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbServer.class);
    private static final String HOST = "127.0.0.1";
    private static final String ADMIN_USER = "root";
    /** In a kept data directory: the admin password this class set, readable by its owner only. */
    static final String ADMIN_PASSWORD_FILE = "ferry-admin.password";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int MAX_SOCKET_PATH = 100;
    private static final int TAIL_LINES = 30;
    private static final Pattern BIND_FAILURE = Pattern.compile("Address already in use|Bind on TCP/IP port");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,80}");

    private final MariaDbConfig config;
    private final MariaDbBinaries binaries;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Path socket;
    private volatile int port;
    private volatile ServerProcess process;
    private volatile String version;
    private volatile boolean closed;
    private volatile String adminPassword = "";

    private MariaDbServer(MariaDbConfig config, MariaDbBinaries binaries, Path dataDir, boolean ownsDataDir, int port) {
        this.config = config;
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.port = port;
        Path inDataDir = dataDir.resolve("mysqld.sock");
        this.socket = inDataDir.toString().length() <= MAX_SOCKET_PATH ? inDataDir
                : Path.of(System.getProperty("java.io.tmpdir"),
                        "ferry-mariadb-" + Integer.toHexString(dataDir.toString().hashCode()) + ".sock");
    }

    /**
     * Starts a server and waits until it accepts connections. Blocking.
     *
     * @throws MariaDbException if it cannot start; the message ends with the tail of the server's error log
     */
    public static MariaDbServer start(MariaDbConfig config) {
        Objects.requireNonNull(config, "config");
        MariaDbBinaries binaries;
        try {
            binaries = config.distribution().binaries();
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new MariaDbException("MariaDB distribution " + config.distribution() + " unusable: "
                    + e.getMessage(), e);
        }
        Path dataDir = null;
        boolean owns = config.dataDir().isEmpty();
        try {
            dataDir = owns ? Files.createTempDirectory("ferry-mariadb-") : config.dataDir().get();
            if (!DataDirs.isInitialized(dataDir)) {
                DataDirs.initialize(binaries, config.options(), dataDir);
            }
            dataDir = dataDir.toRealPath();
        } catch (IOException | RuntimeException e) {
            if (owns && dataDir != null) {
                Dirs.deleteQuietly(dataDir);
            }
            throw e instanceof MariaDbException m ? m
                    : new MariaDbException("cannot prepare a MariaDB data directory: " + e, e);
        }
        int port = config.port() != 0 ? config.port() : FreePorts.pick();
        MariaDbServer server = new MariaDbServer(config, binaries, dataDir, owns, port);
        try {
            server.adminPassword = AdminPassword.read(dataDir.resolve(ADMIN_PASSWORD_FILE));
            server.launch(config.port() == 0);
            if (!owns && server.adminPassword.isEmpty()) {
                server.adminPassword = AdminPassword.set(server, dataDir.resolve(ADMIN_PASSWORD_FILE));
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Starts a server with all defaults (a SOURCE of the default distribution). */
    public static MariaDbServer start() {
        return start(MariaDbConfig.source());
    }

    private synchronized void launch(boolean mayChangePort) {
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            Path errorLog = dataDir.resolve(ServerCommand.ERROR_LOG);
            long errorLogStart = size(errorLog);
            ServerProcess p;
            try {
                Files.createDirectories(ServerCommand.tmpDir(dataDir));
                p = ServerProcess.launch(binaries, ServerCommand.mariadbd(binaries, config, dataDir, port, socket),
                        dataDir, ownsDataDir ? dataDir : null);
            } catch (IOException e) {
                throw new MariaDbException("cannot run " + binaries.mariadbd() + ": " + e, e);
            }
            process = p;
            ServerRegistry.register(this);
            try {
                version = p.awaitReady(jdbcUrl(null) + "&connectTimeout=2000&socketTimeout=10000", ADMIN_USER,
                        adminPassword, startTimeout());
                LOG.info("MariaDB {} ({}, {}, server_id {}) ready on {}:{} in {} ms, pid {}, datadir {}", version,
                        binaries.distribution(), config.role(), config.serverId(), HOST, port,
                        (System.nanoTime() - t0) / 1_000_000, p.pid(), dataDir);
                return;
            } catch (MariaDbException e) {
                p.kill();
                boolean bindFailure = BIND_FAILURE.matcher(Dirs.readFrom(errorLog, errorLogStart)).find();
                if (mayChangePort && bindFailure && attempt < 5) {
                    int taken = port;
                    port = FreePorts.pick();
                    LOG.warn("Port {} was taken; retrying MariaDB on port {}", taken, port);
                    continue;
                }
                throw new MariaDbException("MariaDB " + binaries.version() + " (" + binaries.distribution()
                        + ") failed to start on " + HOST + ":" + port + " with datadir " + dataDir + ": "
                        + e.getMessage() + logTails(), e);
            }
        }
    }

    private String logTails() {
        return "\n--- last lines of " + ServerCommand.ERROR_LOG + " ---\n"
                + Dirs.tail(dataDir.resolve(ServerCommand.ERROR_LOG), TAIL_LINES)
                + "\n--- last lines of " + ServerCommand.OUTPUT_LOG + " ---\n"
                + Dirs.tail(dataDir.resolve(ServerCommand.OUTPUT_LOG), TAIL_LINES);
    }

    private static Duration startTimeout() {
        return Duration.ofSeconds(Long.getLong(START_TIMEOUT_PROPERTY, 60L));
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The server's {@code VERSION()}, e.g. {@code 11.4.5-MariaDB-log}. */
    public String version() {
        return version;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The unix socket the server listens on (besides TCP). */
    public Path socket() {
        return socket;
    }

    /** The pid of the mariadbd process itself (not of a wrapper). */
    public long pid() {
        ServerProcess p = process;
        if (p == null) {
            throw new IllegalStateException("not started");
        }
        return p.pid();
    }

    public boolean isRunning() {
        ServerProcess p = process;
        return p != null && p.isAlive();
    }

    public MariaDbConfig config() {
        return config;
    }

    public MariaDbBinaries binaries() {
        return binaries;
    }

    public String adminUser() {
        return ADMIN_USER;
    }

    /**
     * The admin password: empty for a server in a temporary directory (tests), generated at first start
     * and kept in the data directory (mode 0600) for a server whose data directory is kept, so other
     * local users cannot log in to it.
     */
    public String adminPassword() {
        return adminPassword;
    }

    /**
     * A Connector/J URL for this server, e.g. {@code jdbc:mysql://127.0.0.1:PORT/shop?sslMode=DISABLED&...};
     * {@code sslMode=REQUIRED} (encrypted, certificate not checked) for a server started with TLS.
     *
     * @param database the default database, or null/empty for none
     */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + HOST + ":" + port + "/" + (database == null ? "" : database)
                + "?sslMode=" + (config.tls().isPresent() ? "REQUIRED" : "DISABLED")
                + "&allowPublicKeyRetrieval=true&characterEncoding=UTF-8"
                + "&connectionCollation=utf8mb4_general_ci";
    }

    /** A new JDBC connection as the admin user; the caller closes it. */
    public Connection rootConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(null), ADMIN_USER, adminPassword);
    }

    /** Runs the statements in order, as the admin user, on one connection. */
    public void execute(String... sql) {
        try (Connection c = rootConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new MariaDbException("SQL failed on " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query run as admin, or null when there is no row. */
    public String queryString(String sql) {
        try (Connection c = rootConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new MariaDbException("SQL failed on " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates (or replaces) {@code 'user'@'%'} with the password and grants, e.g.
     * {@code createUser("repl", "pw", "REPLICATION SLAVE, REPLICATION CLIENT ON *.*", "SELECT ON shop.*")}. Runs with
     * {@code sql_log_bin=0}: accounts are local set-up and stay out of the binary log.
     */
    public void createUser(String user, String password, String... grants) {
        if (!USER_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("user name must match " + USER_NAME + ": " + user);
        }
        SecretLedger.record(password);
        String account = "'" + user + "'@'%'";
        String[] sql = new String[grants.length + 2];
        sql[0] = "SET SESSION sql_log_bin = 0";
        sql[1] = "CREATE OR REPLACE USER " + account + " IDENTIFIED BY '" + escape(password) + "'";
        for (int i = 0; i < grants.length; i++) {
            sql[i + 2] = "GRANT " + grants[i] + " TO " + account;
        }
        execute(sql);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("'", "''");
    }

    /** Graceful shutdown: SIGTERM, then SIGKILL if it has not exited after 30 s. Idempotent. */
    public synchronized void stop() {
        ServerProcess p = process;
        if (p != null && p.isAlive()) {
            long t0 = System.nanoTime();
            boolean graceful = p.terminate(STOP_GRACE);
            LOG.info("MariaDB on port {} stopped {} in {} ms", port, graceful ? "gracefully" : "by SIGKILL",
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** SIGKILL now, as a crash would (for fault tests); waits until the process is gone. */
    public synchronized void kill() {
        ServerProcess p = process;
        if (p != null && p.isAlive()) {
            p.kill();
            LOG.info("MariaDB on port {} killed", port);
        }
    }

    /** Starts the server again on the same data directory and port, after {@link #stop()} or {@link #kill()}. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("server is closed");
        }
        stop();
        launch(false);
    }

    /**
     * Stops the server and, if this object created the data directory, deletes it. A server with a temporary data
     * directory is killed rather than shut down gracefully, since nothing of it is kept. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (ownsDataDir) {
                kill();
                Dirs.deleteQuietly(dataDir);
                Dirs.deleteQuietly(ServerCommand.tmpDir(dataDir));
                if (!socket.startsWith(dataDir)) {
                    Files.deleteIfExists(socket);
                }
            } else {
                stop();
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", socket, e.toString());
        } finally {
            ServerRegistry.unregister(this);
        }
    }

    /**
     * For the shutdown hook, without taking this object's lock: SIGKILL a server on a temporary data directory,
     * SIGTERM one on a kept data directory (so that it shuts down cleanly if it can).
     */
    void signalForShutdown() {
        ServerProcess p = process;
        if (p != null) {
            if (ownsDataDir) {
                p.killAsync();
            } else {
                p.terminateAsync();
            }
        }
    }

    /** For the shutdown hook: wait for the process (SIGKILL it after the deadline), delete a temporary data dir. */
    void awaitExitForShutdown(long deadlineNanos) {
        ServerProcess p = process;
        if (p == null) {
            return;
        }
        long left = Math.max(0, deadlineNanos - System.nanoTime());
        if (!p.waitForExit(Duration.ofNanos(left))) {
            p.killAsync();
            p.waitForExit(Duration.ofSeconds(2));
        }
        if (ownsDataDir && !p.isAlive()) {
            Dirs.deleteQuietly(dataDir);
            Dirs.deleteQuietly(ServerCommand.tmpDir(dataDir));
        }
    }

    @Override
    public String toString() {
        return "MariaDbServer{" + binaries.distribution() + " " + (version != null ? version : binaries.version())
                + ", " + config.role() + ", " + HOST + ":" + port + ", datadir " + dataDir + '}';
    }
}
