package io.ferry.mariadb;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Initialises data directories. {@code mariadb-install-db} runs once per distribution, version and initialisation
 * options into a template under {@code <cache>/templates/}; every new data directory is a copy of it (a few
 * milliseconds instead of one to three seconds). Concurrent JVMs are safe: see {@link OnceDirs}.
 */
final class DataDirs {
    /** InnoDB settings fixed when a data directory is created; the server is started with the same values. */
    static final List<String> INIT_OPTIONS = List.of("--innodb-log-file-size=32M", "--innodb-undo-tablespaces=0");

    /** User options that only take effect when the data directory is created; they go into the template too. */
    private static final List<String> INIT_TIME_OPTIONS =
            List.of("innodb-page-size", "innodb-undo-tablespaces", "innodb-checksum-algorithm", "lower-case-table-names");

    private static final Logger LOG = LoggerFactory.getLogger(DataDirs.class);
    private static final String TEMPLATE_FORMAT = "t1";

    private DataDirs() {
    }

    /** Whether {@code dir} already holds an initialised MariaDB data directory. */
    static boolean isInitialized(Path dir) {
        return Files.isDirectory(dir.resolve("mysql"));
    }

    /** Fills the empty directory {@code dataDir} with a fresh database (system tables, root accounts). */
    static void initialize(MariaDbBinaries binaries, Map<String, String> userOptions, Path dataDir) throws IOException {
        List<String> initOptions = initOptions(userOptions);
        Path template = template(binaries, initOptions);
        Files.createDirectories(dataDir);
        Dirs.copyRecursively(template, dataDir, p -> true);
    }

    /** The init-time options: the fixed ones, then those of the user's options that matter at creation. */
    static List<String> initOptions(Map<String, String> userOptions) {
        List<String> out = new ArrayList<>(INIT_OPTIONS);
        userOptions.forEach((name, value) -> {
            if (INIT_TIME_OPTIONS.contains(name)) {
                out.add(value == null ? "--" + name : "--" + name + "=" + value);
            }
        });
        return out;
    }

    private static Path template(MariaDbBinaries binaries, List<String> initOptions) throws IOException {
        String key = binaries.distribution().name().toLowerCase(java.util.Locale.ROOT) + "-" + binaries.version() + "-"
                + hash(TEMPLATE_FORMAT + binaries.mariadbd() + initOptions);
        Path target = EmbeddedBinaries.cacheRoot().resolve("templates").resolve(key);
        return OnceDirs.createOnce(target, tmp -> runInstallDb(binaries, initOptions, tmp)).resolve("data");
    }

    private static void runInstallDb(MariaDbBinaries binaries, List<String> initOptions, Path tmp) throws IOException {
        Path data = tmp.resolve("data");
        Path log = tmp.resolve("install-db.log");
        List<String> cmd = new ArrayList<>(List.of(binaries.installDb().toString(), "--no-defaults",
                "--basedir=" + binaries.baseDir(), "--datadir=" + data, "--auth-root-authentication-method=normal",
                "--skip-test-db", "--skip-name-resolve"));
        if (ServerCommand.runningAsRoot()) {
            cmd.add("--user=root");
        }
        cmd.addAll(initOptions);
        long t0 = System.nanoTime();
        LOG.info("Creating a {} MariaDB {} data directory template (once per version)", binaries.distribution(),
                binaries.version());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        ServerCommand.cleanEnvironment(pb.environment(), binaries);
        Process p = pb.start();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new MariaDbException("mariadb-install-db did not finish in 300 s:\n" + Dirs.tail(log, 30));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MariaDbException("interrupted while running mariadb-install-db", e);
        }
        if (p.exitValue() != 0 || !isInitialized(data)) {
            throw new MariaDbException("mariadb-install-db failed with exit code " + p.exitValue() + ": " + cmd
                    + "\n" + Dirs.tail(log, 30));
        }
        LOG.info("Created the MariaDB {} template in {} ms", binaries.version(), (System.nanoTime() - t0) / 1_000_000);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
