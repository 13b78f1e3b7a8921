package io.ferry.mariadb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the mariadbd command line for a configuration, and the {@code sh} wrapper that ties the server's life to
 * this JVM.
 *
 * <p>Settings every server gets, and why:
 * <ul>
 *   <li>{@code --skip-ssl} unless the configuration gives certificate files ({@link MariaDbConfig#tls()}): MariaDB 11.4
 *       otherwise generates a self-signed TLS certificate at every start, which costs 4 to 10 seconds of CPU here;
 *       clients connect with {@code sslMode=DISABLED}. With files: {@code --ssl} and {@code --ssl-ca/cert/key}.</li>
 *   <li>{@code --skip-name-resolve}: no DNS look-ups; accounts are matched by IP ({@code 'root'@'127.0.0.1'}).</li>
 *   <li>{@code character-set-server=utf8mb4}, {@code collation-server=utf8mb4_general_ci} and, on 11.2 and later,
 *       an empty {@code character_set_collations}: a table declared {@code CHARSET utf8mb4} gets the same collation
 *       on the embedded 11.4 and on Debian's 10.11, so both distributions behave alike.</li>
 *   <li>small InnoDB buffers and log, performance schema off: fast start, small footprint.</li>
 *   <li>{@code relay_log=relay-bin}: not named after the host, so a data directory can move between machines.</li>
 * </ul>
 */
final class ServerCommand {
    static final String PID_FILE = "mariadbd.pid";
    static final String ERROR_LOG = "mariadbd.err";
    static final String OUTPUT_LOG = "mariadbd.out";

    /**
     * The server's own tmpdir is its data directory's name plus this suffix, beside it: a server deletes every
     * {@code #sql*} file in its tmpdir when it starts, so a shared /tmp lets one server's start delete another's
     * on-disk temporary tables; a directory inside the data directory would show up as a database.
     */
    static final String TMP_SUFFIX = ".tmp";

    /**
     * The watchdog: a background subshell polls the owning JVM once a second and, when the JVM is gone, SIGKILLs the
     * server and deletes the cleanup directory (a temporary data directory; {@code -} for none). Then the shell
     * {@code exec}s mariadbd, so the process the JVM started IS mariadbd (same pid). {@code $$} in the subshell is the
     * pid of the shell, which becomes mariadbd's pid after the {@code exec}. The watchdog ends by itself within a
     * second once the server has exited.
     */
    private static final String WATCHDOG = "owner=$1; cleanup=$2; shift 2; "
            + "( while kill -0 $$ 2>/dev/null; do "
            + "if ! kill -0 \"$owner\" 2>/dev/null; then kill -9 $$ 2>/dev/null; "
            + "if [ \"$cleanup\" != - ]; then sleep 1; rm -rf \"$cleanup\" \"$cleanup" + TMP_SUFFIX + "\"; fi; exit 0; fi; sleep 1; "
            + "done ) </dev/null >/dev/null 2>&1 & exec \"$@\"";


    private ServerCommand() {
    }

    static Path tmpDir(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + TMP_SUFFIX);
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The mariadbd arguments; user options come last so that they override ours. */
    static List<String> mariadbd(MariaDbBinaries b, MariaDbConfig c, Path dataDir, int port, Path socket) {
        List<String> a = new ArrayList<>();
        a.add(b.mariadbd().toString());
        a.add("--no-defaults");
        a.add("--basedir=" + b.baseDir());
        a.add("--datadir=" + dataDir);
        a.add("--tmpdir=" + tmpDir(dataDir));
        a.add("--port=" + port);
        a.add("--bind-address=127.0.0.1");
        a.add("--socket=" + socket);
        a.add("--pid-file=" + dataDir.resolve(PID_FILE));
        a.add("--log-error=" + dataDir.resolve(ERROR_LOG));
        if (runningAsRoot()) {
            a.add("--user=root");
        }
        a.add("--skip-name-resolve");
        c.tls().ifPresentOrElse(tls -> {
            a.add("--ssl");
            a.add("--ssl-ca=" + tls.ca());
            a.add("--ssl-cert=" + tls.cert());
            a.add("--ssl-key=" + tls.key());
        }, () -> a.add("--skip-ssl"));
        a.add("--performance-schema=OFF");
        a.add("--innodb-buffer-pool-size=64M");
        a.addAll(DataDirs.INIT_OPTIONS);
        a.add("--character-set-server=utf8mb4");
        a.add("--collation-server=utf8mb4_general_ci");
        if (b.atLeast(11, 2)) {
            a.add("--character-set-collations=");
        }
        a.add("--default-time-zone=" + c.timeZone());
        a.add("--server-id=" + c.serverId());
        a.add("--relay-log=relay-bin");
        a.add("--innodb-flush-log-at-trx-commit=" + (c.durable() ? 1 : 2));
        a.add("--sync-binlog=" + (c.durable() ? 1 : 0));
        if (c.role().binlog()) {
            a.add("--log-bin=mysql-bin");
            a.add("--binlog-format=ROW");
            a.add("--binlog-row-image=FULL");
            a.add("--binlog-row-metadata=" + c.binlogRowMetadata());
            a.add("--log-slave-updates");
            a.add("--gtid-domain-id=0");
            a.add("--gtid-strict-mode=ON");
        }
        c.options().forEach((name, value) -> a.add(value == null ? "--" + name : "--" + name + "=" + value));
        return a;
    }

    /**
     * {@code sh -c WATCHDOG ferry-mariadb <jvm pid> <cleanup dir or -> <mariadbd args...>}.
     *
     * @param cleanupDir a directory to delete if the JVM dies without closing the server, or null
     */
    static List<String> withWatchdog(List<String> mariadbd, Path cleanupDir) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, "ferry-mariadb",
                Long.toString(ProcessHandle.current().pid()), cleanupDir == null ? "-" : cleanupDir.toString()));
        cmd.addAll(mariadbd);
        return cmd;
    }

    /** Drops variables that would point MariaDB programs at other servers or option files. */
    static void cleanEnvironment(Map<String, String> env, MariaDbBinaries b) {
        for (String v : List.of("MYSQL_HOME", "MARIADB_HOME", "MYSQL_TCP_PORT", "MYSQL_UNIX_PORT", "MYSQL_PWD",
                "MYSQL_HOST", "MARIADB_HOST")) {
            env.remove(v);
        }
        if (b.libDir() != null) {
            env.put("LD_LIBRARY_PATH", b.libDir().toString());
        }
    }
}
