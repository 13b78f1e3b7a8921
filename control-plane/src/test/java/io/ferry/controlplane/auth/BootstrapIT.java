package io.ferry.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.controlplane.MetadataDbTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap admin token: generated into a 0600 file and reused, or taken from FERRY_ADMIN_TOKEN. */
class BootstrapIT extends MetadataDbTest {
  @TempDir
  Path dataDir;

  private Principal who(String token) throws Exception {
    return await(new TokenStore(pool).authenticate(token));
  }

  private String live() {
    return db.server.queryString("SELECT COUNT(*) FROM ferry_meta.api_tokens WHERE name = 'bootstrap' AND revoked_at IS NULL");
  }

  @Test
  void aGeneratedTokenIsWrittenOwnerOnlyAndReusedByTheNextStart() throws Exception {
    String token = await(Bootstrap.ensure(db.vertx, pool, dataDir, null));
    Path file = dataDir.resolve("admin.token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file).trim()).isEqualTo(token);
    assertThat(token).startsWith(Tokens.PREFIX);
    assertThat(who(token).role()).isEqualTo(Role.ADMIN);
    assertThat(who(token).tenantId()).isNull();
    assertThat(db.server.queryString("SELECT id FROM ferry_meta.tenants")).isEqualTo("default");
    assertThat(db.server.queryString("SELECT token_hash FROM ferry_meta.api_tokens")).isEqualTo(Tokens.hash(token))
        .doesNotContain(token);
    try (var files = Files.list(dataDir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("admin.token");
    }

    assertThat(await(Bootstrap.ensure(db.vertx, pool, dataDir, null))).isEqualTo(token);
    assertThat(live()).isEqualTo("1");
    assertThat(db.server.queryString("SELECT COUNT(*) FROM ferry_meta.tenants")).isEqualTo("1");

    // a new metadata database with the same data directory: the file's token is registered again
    db.server.execute("DELETE FROM ferry_meta.api_tokens");
    assertThat(await(Bootstrap.ensure(db.vertx, pool, dataDir, null))).isEqualTo(token);
    assertThat(who(token)).isNotNull();
  }

  @Test
  void theEnvironmentTokenIsHonouredAndRotatesTheOldOne() throws Exception {
    String generated = await(Bootstrap.ensure(db.vertx, pool, dataDir, null));
    String fromEnv = "my-own-admin-token-0123456789";
    assertThat(await(Bootstrap.ensure(db.vertx, pool, dataDir, fromEnv))).isEqualTo(fromEnv);
    assertThat(who(fromEnv).role()).isEqualTo(Role.ADMIN);
    assertThat(who(generated)).as("the earlier bootstrap token is revoked").isNull();
    assertThat(live()).isEqualTo("1");
    assertThat(await(Bootstrap.ensure(db.vertx, pool, dataDir, fromEnv))).isEqualTo(fromEnv);
    assertThat(live()).isEqualTo("1");

    assertThatThrownBy(() -> await(Bootstrap.ensure(db.vertx, pool, dataDir, "short"))).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("FERRY_ADMIN_TOKEN").hasMessageNotContaining("short");
  }

  @Test
  void aRevokedFileTokenIsReplacedButARevokedEnvironmentTokenIsRefused() throws Exception {
    String first = await(Bootstrap.ensure(db.vertx, pool, dataDir, null));
    db.server.execute("UPDATE ferry_meta.api_tokens SET revoked_at = NOW(6)");
    String second = await(Bootstrap.ensure(db.vertx, pool, dataDir, null));
    assertThat(second).isNotEqualTo(first);
    assertThat(Files.readString(dataDir.resolve("admin.token")).trim()).isEqualTo(second);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("admin.token"))))
        .isEqualTo("rw-------");
    assertThat(who(first)).isNull();
    assertThat(who(second)).isNotNull();

    String env = "environment-admin-token-42";
    await(Bootstrap.ensure(db.vertx, pool, dataDir, env));
    db.server.execute("UPDATE ferry_meta.api_tokens SET revoked_at = NOW(6)");
    assertThatThrownBy(() -> await(Bootstrap.ensure(db.vertx, pool, dataDir, env)))
        .hasMessageContaining("revoked").hasMessageNotContaining(env);
  }
}
