package io.ferry.mariadb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The programs of one MariaDB distribution, ready to run.
 *
 * @param distribution where they come from
 * @param version the server version, e.g. {@code 11.4.5} or {@code 10.11.19}
 * @param baseDir the {@code --basedir} to pass to mariadbd and mariadb-install-db
 * @param mariadbd the server
 * @param installDb the {@code mariadb-install-db} script
 * @param client the {@code mariadb} command-line client, or null when not installed
 * @param libDir a directory to put on {@code LD_LIBRARY_PATH} for the client, or null
 */
public record MariaDbBinaries(
        MariaDbDistribution distribution,
        String version,
        Path baseDir,
        Path mariadbd,
        Path installDb,
        Path client,
        Path libDir) {

    private static final Pattern VERSION = Pattern.compile("Ver\\s+(\\d+\\.\\d+\\.\\d+)");
    private static final Map<Path, String> VERSIONS = new ConcurrentHashMap<>();

    public MariaDbBinaries {
        Objects.requireNonNull(distribution, "distribution");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(mariadbd, "mariadbd");
        Objects.requireNonNull(installDb, "installDb");
    }

    /** The command-line client, when this distribution has one. */
    public Optional<Path> clientPath() {
        return Optional.ofNullable(client);
    }

    /** Major and minor version, e.g. {@code [11, 4]}. */
    int[] majorMinor() {
        String[] parts = version.split("\\.");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    /** Whether the server version is at least {@code major.minor}. */
    boolean atLeast(int major, int minor) {
        int[] mm = majorMinor();
        return mm[0] > major || (mm[0] == major && mm[1] >= minor);
    }

    /** The version printed by {@code mariadbd --version}, cached per path. */
    static String versionOf(Path mariadbd) {
        return VERSIONS.computeIfAbsent(mariadbd, MariaDbBinaries::readVersion);
    }

    private static String readVersion(Path mariadbd) {
        try {
            Process p = new ProcessBuilder(mariadbd.toString(), "--no-defaults", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(mariadbd + " --version did not finish");
            }
            Matcher m = VERSION.matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("cannot read the version of " + mariadbd + " from: " + out.trim());
            }
            return m.group(1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + mariadbd + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the version of " + mariadbd, e);
        }
    }
}
