package io.ferry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.controlplane.TestControlPlane;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** People sign in for a 12-hour session token with their role and tenant, sign out, and are audited. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionsIT {
  private TestControlPlane cp;

  @BeforeAll
  void start() throws Exception {
    cp = new TestControlPlane();
    cp.tenant("acme");
  }

  @AfterAll
  void stop() throws Exception {
    cp.close();
  }

  @Test
  void signInUseSignOut() throws Exception {
    JsonObject user = cp.expect(201, "POST", "/api/v1/users", cp.adminToken, new JsonObject().put("name", "ada")
        .put("password", "correct horse battery").put("role", "operator").put("tenant", "acme"));
    assertThat(user.fieldNames()).doesNotContain("password", "passwordHash");
    assertThat(cp.metadata.queryString("SELECT password_hash FROM ferry_meta.users WHERE name = 'ada'"))
        .startsWith("$argon2id$").doesNotContain("correct horse");

    JsonObject session = cp.expect(201, "POST", "/api/v1/sessions", null,
        new JsonObject().put("name", "ada").put("password", "correct horse battery"));
    String token = session.getString("token");
    assertThat(session.getString("role")).isEqualTo("operator");
    assertThat(session.getString("tenant")).isEqualTo("acme");
    Duration ttl = Duration.between(Instant.now(), Instant.parse(session.getString("expiresAt")));
    assertThat(ttl).isBetween(Duration.ofHours(11).plusMinutes(59), Duration.ofHours(12).plusMinutes(1));

    JsonObject conn = cp.expect(201, "POST", "/api/v1/connections", token, cp.connectionBody("by-ada", "pw-x"));
    assertThat(conn.getString("tenant")).isEqualTo("acme");
    cp.expect(403, "GET", "/api/v1/tenants", token, null);

    cp.expect(401, "POST", "/api/v1/sessions", null, new JsonObject().put("name", "ada").put("password", "wrong one"));
    cp.expect(401, "POST", "/api/v1/sessions", null, new JsonObject().put("name", "nobody").put("password", "whatever"));

    cp.expect(204, "DELETE", "/api/v1/sessions/current", token, null);
    cp.expect(401, "GET", "/api/v1/connections", token, null);
    // Signing out with an API token is refused and leaves the token working: scripts may share it.
    JsonObject refused = cp.expect(409, "DELETE", "/api/v1/sessions/current", cp.adminToken, null);
    assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("NOT_A_SESSION");
    cp.expect(200, "GET", "/api/v1/connections", cp.adminToken, null);

    String again = cp.expect(201, "POST", "/api/v1/sessions", null,
        new JsonObject().put("name", "ada").put("password", "correct horse battery")).getString("token");
    cp.expect(200, "GET", "/api/v1/connections", again, null);
    cp.expect(204, "DELETE", "/api/v1/users/" + user.getString("id"), cp.adminToken, null);
    cp.expect(401, "GET", "/api/v1/connections", again, null);
    cp.expect(401, "POST", "/api/v1/sessions", null,
        new JsonObject().put("name", "ada").put("password", "correct horse battery"));

    String actions = cp.metadata.queryString("SELECT GROUP_CONCAT(CONCAT(action, ':', actor) ORDER BY id)"
        + " FROM ferry_meta.audit_log WHERE action LIKE 'session.%' OR action LIKE 'user.%'");
    assertThat(actions).isEqualTo("user.create:bootstrap,session.create:ada,session.reject:ada,session.reject:nobody,"
        + "session.delete:ada,session.create:ada,user.disable:bootstrap,session.reject:ada");
    assertThat(cp.metadata.queryString("SELECT GROUP_CONCAT(COALESCE(detail, '')) FROM ferry_meta.audit_log"))
        .doesNotContain("correct horse").doesNotContain(token);
  }
}
