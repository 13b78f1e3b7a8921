package io.ferry.controlplane.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the control plane needs before its first request: the {@code default} tenant and an admin
 * token named {@value #NAME}. The token is {@code FERRY_ADMIN_TOKEN} when given; otherwise the one in
 * {@code $FERRY_DATA_DIR/admin.token}, generated at first start into a file created with mode 0600
 * (never readable by others, not even while it is written). Only its hash reaches the database; a
 * different bootstrap token from an earlier start is revoked, so changing the variable (or deleting
 * the file) rotates it. The launcher prints the token; this class logs only where it is.
 */
public final class Bootstrap {
  public static final String NAME = "bootstrap";
  public static final String FILE = "admin.token";
  public static final String DEFAULT_TENANT = "default";
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private Bootstrap() {}

  /** Ensures the default tenant and the bootstrap admin token; returns the token. */
  public static Future<String> ensure(Vertx vertx, Pool pool, Path dataDir, String envToken) {
    boolean fromEnv = envToken != null && !envToken.isBlank();
    if (fromEnv && !Tokens.plausible(envToken.trim())) {
      return Future.failedFuture(new IllegalArgumentException("FERRY_ADMIN_TOKEN must be " + Tokens.MIN_LENGTH
          + " to 256 printable characters without spaces"));
    }
    Path file = dataDir.resolve(FILE);
    TokenStore tokens = new TokenStore(pool);
    Future<String> token = fromEnv ? Future.succeededFuture(envToken.trim()) : vertx.executeBlocking(() -> readOrCreate(file));
    return pool.query("INSERT IGNORE INTO tenants (id, name) VALUES ('" + DEFAULT_TENANT + "', '" + DEFAULT_TENANT + "')")
        .execute()
        .compose(v -> token)
        .compose(t -> register(pool, tokens, t).compose(registered -> {
          if (registered) {
            return Future.succeededFuture(t);
          }
          if (fromEnv) {
            return Future.failedFuture(new IllegalStateException("FERRY_ADMIN_TOKEN names a token that was revoked "
                + "through the API; set a new one"));
          }
          LOG.warn("the bootstrap admin token in {} was revoked through the API; generating a new one", file);
          return vertx.executeBlocking(() -> write(file, Tokens.generate()))
              .compose(fresh -> register(pool, tokens, fresh).map(fresh));
        }));
  }

  /**
   * Makes {@code token} the live bootstrap token. False when the same token exists but was revoked:
   * a revoked token is never brought back.
   */
  private static Future<Boolean> register(Pool pool, TokenStore tokens, String token) {
    return pool.withTransaction(c -> tokens.findLive(c, token, NAME).compose(liveId -> {
      if (liveId != null) {
        return tokens.revokeOthers(c, NAME, liveId).map(true);
      }
      return c.preparedQuery("SELECT token_hash FROM api_tokens WHERE token_prefix = ? AND name = ?")
          .execute(Tuple.of(Tokens.lookupPrefix(token), NAME))
          .compose(rows -> {
            boolean revoked = false;
            for (var row : rows) {
              revoked |= Tokens.matches(token, row.getString("token_hash"));
            }
            if (revoked) {
              return Future.succeededFuture(false);
            }
            return tokens.create(c, token, NAME, Role.ADMIN, null, null, null)
                .compose(issued -> tokens.revokeOthers(c, NAME, issued.id()))
                .map(true);
          });
    }));
  }

  private static String readOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      if (!OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
        LOG.warn("{} is readable by others than its owner; chmod 600 it", file);
      }
      String token = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!Tokens.plausible(token)) {
        throw new IOException(file + " does not hold a token; delete it to have a new one generated");
      }
      return token;
    }
    return write(file, Tokens.generate());
  }

  /** Writes the token through a temporary file born with mode 0600, then moves it into place. */
  private static String write(Path file, String token) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".admin.token", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    LOG.info("the bootstrap admin token was written to {} (mode 0600)", file);
    return token;
  }
}
