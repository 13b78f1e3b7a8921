package io.ferry.mariadb;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to start one {@link MariaDbServer}. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: role {@link Role#SOURCE}, server id by role (SOURCE 1, DESTINATION 2, PLAIN 3), time zone
 * {@code +00:00}, binlog row metadata {@code FULL}, a fresh temporary data directory deleted on close, a free
 * loopback port, the distribution named by the system property {@code ferry.mariadb} (see
 * {@link MariaDbDistribution#fromSystemProperty()}), {@code durable=false} (fast, not crash-safe), and no TLS
 * ({@code --skip-ssl}; {@link Builder#tls(ServerTls)} gives the server a certificate).
 */
public final class MariaDbConfig {

    /** What the server is for; decides the binlog settings. */
    public enum Role {
        /**
         * Replication source: {@code log_bin} on, {@code binlog_format=ROW}, {@code binlog_row_image=FULL},
         * {@code binlog_row_metadata} as configured, {@code log_slave_updates}, GTID domain 0 in strict mode.
         */
        SOURCE(1),
        /** Replication destination: the same binlog settings as SOURCE (so it can act as a source later). */
        DESTINATION(2),
        /** No binary log at all. */
        PLAIN(3);

        private final int defaultServerId;

        Role(int defaultServerId) {
            this.defaultServerId = defaultServerId;
        }

        /** Whether servers of this role write a binary log. */
        public boolean binlog() {
            return this != PLAIN;
        }
    }

    private static final Pattern TIME_ZONE = Pattern.compile("[+-]\\d{1,2}:\\d{2}|SYSTEM|[A-Za-z_]+(/[A-Za-z_+-]+)*");
    private static final Pattern OPTION_NAME = Pattern.compile("[a-z][a-z0-9_-]*");
    private static final Pattern ROW_METADATA = Pattern.compile("FULL|MINIMAL|NO_LOG");

    private final Role role;
    private final int serverId;
    private final String timeZone;
    private final String binlogRowMetadata;
    private final Map<String, String> options;
    private final Path dataDir;
    private final int port;
    private final MariaDbDistribution distribution;
    private final boolean durable;
    private final ServerTls tls;

    /**
     * The PEM files a TLS server is started with: {@code --ssl-ca}, {@code --ssl-cert}, {@code --ssl-key}. The
     * bundled 11.4 (wolfSSL) and Debian's 10.11 (OpenSSL) both take RSA and EC P-256 keys.
     */
    public record ServerTls(Path ca, Path cert, Path key) {
        public ServerTls {
            ca = Objects.requireNonNull(ca, "ca").toAbsolutePath();
            cert = Objects.requireNonNull(cert, "cert").toAbsolutePath();
            key = Objects.requireNonNull(key, "key").toAbsolutePath();
        }
    }

    private MariaDbConfig(Builder b) {
        this.role = b.role;
        this.serverId = b.serverId != null ? b.serverId : b.role.defaultServerId;
        this.timeZone = b.timeZone;
        this.binlogRowMetadata = b.binlogRowMetadata;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
        this.dataDir = b.dataDir;
        this.port = b.port;
        this.distribution = b.distribution != null ? b.distribution : MariaDbDistribution.fromSystemProperty();
        this.durable = b.durable;
        this.tls = b.tls;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A SOURCE server with every other setting at its default. */
    public static MariaDbConfig source() {
        return builder().role(Role.SOURCE).build();
    }

    /** A DESTINATION server with every other setting at its default. */
    public static MariaDbConfig destination() {
        return builder().role(Role.DESTINATION).build();
    }

    public Role role() {
        return role;
    }

    public int serverId() {
        return serverId;
    }

    public String timeZone() {
        return timeZone;
    }

    public String binlogRowMetadata() {
        return binlogRowMetadata;
    }

    /** Extra mariadbd options, in the order given; they come last on the command line and so win. */
    public Map<String, String> options() {
        return options;
    }

    /** The data directory asked for, or empty for a fresh temporary one. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** The port asked for, or 0 for a free loopback port. */
    public int port() {
        return port;
    }

    public MariaDbDistribution distribution() {
        return distribution;
    }

    public boolean durable() {
        return durable;
    }

    /** The server's certificate files, or empty for a server without TLS ({@code --skip-ssl}). */
    public Optional<ServerTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder()
                .role(role)
                .serverId(serverId)
                .timeZone(timeZone)
                .binlogRowMetadata(binlogRowMetadata)
                .port(port)
                .distribution(distribution)
                .durable(durable);
        b.tls = tls;
        b.dataDir = dataDir;
        b.options.putAll(options);
        return b;
    }

    @Override
    public String toString() {
        return "MariaDbConfig{role=" + role + ", serverId=" + serverId + ", timeZone=" + timeZone
                + ", binlogRowMetadata=" + binlogRowMetadata + ", distribution=" + distribution
                + ", durable=" + durable + ", tls=" + (tls != null) + ", port=" + port + ", dataDir=" + dataDir + ", options=" + options + '}';
    }

    /** Builder for {@link MariaDbConfig}. */
    public static final class Builder {
        private Role role = Role.SOURCE;
        private Integer serverId;
        private String timeZone = "+00:00";
        private String binlogRowMetadata = "FULL";
        private final Map<String, String> options = new LinkedHashMap<>();
        private Path dataDir;
        private int port;
        private MariaDbDistribution distribution;
        private boolean durable;
        private ServerTls tls;

        private Builder() {
        }

        public Builder role(Role role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /** The server_id; must be between 1 and 2^32-1. */
        public Builder serverId(int serverId) {
            if (serverId < 1) {
                throw new IllegalArgumentException("server id must be positive: " + serverId);
            }
            this.serverId = serverId;
            return this;
        }

        /** Applied as {@code --default-time-zone}; an offset such as {@code +05:30}, or {@code SYSTEM}. */
        public Builder timeZone(String timeZone) {
            Objects.requireNonNull(timeZone, "timeZone");
            if (!TIME_ZONE.matcher(timeZone).matches()) {
                throw new IllegalArgumentException("not a time zone: " + timeZone);
            }
            this.timeZone = timeZone;
            return this;
        }

        /** {@code FULL}, {@code MINIMAL} or {@code NO_LOG}; used by the roles that write a binlog. */
        public Builder binlogRowMetadata(String binlogRowMetadata) {
            String v = Objects.requireNonNull(binlogRowMetadata, "binlogRowMetadata").toUpperCase(java.util.Locale.ROOT);
            if (!ROW_METADATA.matcher(v).matches()) {
                throw new IllegalArgumentException("binlog_row_metadata must be FULL, MINIMAL or NO_LOG: " + v);
            }
            this.binlogRowMetadata = v;
            return this;
        }

        /**
         * Any extra mariadbd option, passed as {@code --name=value} (or {@code --name} when value is null). The name
         * is given without dashes, e.g. {@code option("max_allowed_packet", "64M")}.
         */
        public Builder option(String name, String value) {
            Objects.requireNonNull(name, "name");
            if (!OPTION_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("option name must be like max_allowed_packet: " + name);
            }
            options.put(name.replace('_', '-'), value);
            return this;
        }

        /**
         * Use (and keep) this data directory. If it holds no database yet it is initialised; it is never deleted.
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath();
            return this;
        }

        /** A fixed TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder distribution(MariaDbDistribution distribution) {
            this.distribution = Objects.requireNonNull(distribution, "distribution");
            return this;
        }

        /**
         * {@code false} (default): {@code innodb_flush_log_at_trx_commit=2}, {@code sync_binlog=0} for fast tests.
         * {@code true}: both 1, crash-safe.
         */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /**
         * Starts the server with TLS from these files instead of {@code --skip-ssl}; its own {@link MariaDbServer#jdbcUrl}
         * connections then use {@code sslMode=REQUIRED}, so it may also run with {@code require_secure_transport=ON}.
         * {@link TestCertificates} writes a throwaway set. Null for no TLS (the default).
         */
        public Builder tls(ServerTls tls) {
            this.tls = tls;
            return this;
        }

        public MariaDbConfig build() {
            return new MariaDbConfig(this);
        }
    }
}
