package io.ferry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.controlplane.TestControlPlane;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Missing fields, wrong types, unknown fields, oversize and malformed bodies, odd unicode and huge
 * numbers: each is a 4xx JSON error naming the field, none quotes the password, and the database is
 * unchanged afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadBodiesIT {
  private static final String SECRET = "pw-Very-Secret-42";
  private static final List<String> TABLES = List.of("tenants", "users", "api_tokens", "connections", "jobs");

  private TestControlPlane cp;
  private String operator;
  private String source;
  private String destination;
  private String foreignConnection;

  /** One bad request and what it must answer: the status, the error code and the field named (or null). */
  private record Bad(String method, String path, String token, String body, int status, String code, String field) {}

  @BeforeAll
  void start() throws Exception {
    cp = new TestControlPlane();
    cp.tenant("acme");
    cp.tenant("globex");
    operator = cp.token("operator", "acme");
    source = cp.expect(201, "POST", "/api/v1/connections", operator, cp.connectionBody("src", SECRET)).getString("id");
    destination = cp.expect(201, "POST", "/api/v1/connections", operator, cp.connectionBody("dst", SECRET)).getString("id");
    foreignConnection = cp.expect(201, "POST", "/api/v1/connections", cp.adminToken,
        cp.connectionBody("theirs", SECRET).put("tenant", "globex")).getString("id");
  }

  @AfterAll
  void stop() throws Exception {
    cp.close();
  }

  @Test
  void everyBadBodyIsA4xxNamingTheFieldAndChangesNothing() throws Exception {
    Map<String, Long> before = counts();
    List<String> wrong = new ArrayList<>();
    for (Bad bad : cases()) {
      TestControlPlane.Response r = cp.call(bad.method(), bad.path(), bad.token(), bad.body());
      String label = bad.method() + " " + bad.path() + " " + abbreviate(bad.body());
      JsonObject error = r.body().startsWith("{") ? r.json().getJsonObject("error") : null;
      if (r.status() != bad.status() || error == null || !bad.code().equals(error.getString("code"))
          || bad.field() != null && !bad.field().equals(error.getString("field"))
          || error.getString("message") == null || r.body().contains(SECRET)) {
        wrong.add(label + " -> " + r.status() + " " + abbreviate(r.body()));
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  void unicodeNamesAreStoredAsGiven() throws Exception {
    JsonObject created = cp.expect(201, "POST", "/api/v1/connections", operator,
        cp.connectionBody("Ünïcødé ✓ 数据库 🚀", SECRET));
    assertThat(cp.expect(200, "GET", "/api/v1/connections/" + created.getString("id"), operator, null).getString("name"))
        .isEqualTo("Ünïcødé ✓ 数据库 🚀");
    cp.expect(204, "DELETE", "/api/v1/connections/" + created.getString("id"), operator, null);
  }

  private List<Bad> cases() {
    List<Bad> out = new ArrayList<>();
    String c = "/api/v1/connections";
    JsonObject good = cp.connectionBody("bad", SECRET);
    conn(out, c, "MISSING_FIELD", "name", b -> { b.remove("name"); return b; });
    conn(out, c, "MISSING_FIELD", "password", b -> { b.remove("password"); return b; });
    conn(out, c, "INVALID_FIELD", "port", b -> b.put("port", "3306"));
    conn(out, c, "INVALID_FIELD", "port", b -> b.put("port", 70000));
    conn(out, c, "INVALID_FIELD", "port", b -> b.put("port", 0));
    conn(out, c, "INVALID_FIELD", "port", b -> b.put("port", 3306.5));
    conn(out, c, "INVALID_FIELD", "port", b -> b.put("port", true));
    conn(out, c, "INVALID_FIELD", "password", b -> b.put("password", 12345));
    conn(out, c, "INVALID_FIELD", "host", b -> b.put("host", "db.example.com/evil?allowLoadLocalInfile=true"));
    conn(out, c, "INVALID_FIELD", "host", b -> b.put("host", "db example"));
    conn(out, c, "INVALID_FIELD", "host", b -> b.put("host", "exämple.com"));
    conn(out, c, "INVALID_FIELD", "host", b -> b.put("host", "a&b=c"));
    conn(out, c, "INVALID_FIELD", "user", b -> b.put("user", "   "));
    conn(out, c, "INVALID_FIELD", "user", b -> b.put("user", "x'; DROP USER root; --"));
    conn(out, c, "INVALID_FIELD", "tls", b -> b.put("tls", "sometimes"));
    conn(out, c, "INVALID_FIELD", "ca", b -> b.put("ca", "not a certificate"));
    conn(out, c, "INVALID_FIELD", "name", b -> b.put("name", "x".repeat(201)));
    conn(out, c, "INVALID_FIELD", "name", b -> b.put("name", "tab\there"));
    conn(out, c, "INVALID_FIELD", "tenant", b -> b.put("tenant", "acme"));
    for (String smuggled : List.of("url", "jdbcUrl", "properties", "allowLoadLocalInfile", "sslMode", "options")) {
      conn(out, c, "UNKNOWN_FIELD", smuggled, b -> b.put(smuggled, "x"));
    }
    out.add(new Bad("POST", c, operator, good.encode().replace("\"port\":3306", "\"port\":99999999999999999999999999"),
        400, "INVALID_FIELD", "port"));
    out.add(new Bad("POST", c, operator, good.encode().replace("\"port\":3306", "\"port\":1e400"), 400, "INVALID_FIELD",
        "port"));
    out.add(new Bad("POST", c, operator, "{\"name\":", 400, "MALFORMED_JSON", null));
    out.add(new Bad("POST", c, operator, "[]", 400, "MALFORMED_JSON", null));
    out.add(new Bad("POST", c, operator, "\"just a string\"", 400, "MALFORMED_JSON", null));
    out.add(new Bad("POST", c, operator, "", 400, "MALFORMED_JSON", null));
    out.add(new Bad("POST", c, operator, "{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 400, "MALFORMED_JSON",
        null));
    out.add(new Bad("POST", c, operator, good.copy().put("ca", "x".repeat(300 * 1024)).encode(), 413, "BODY_TOO_LARGE",
        null));
    out.add(new Bad("PUT", c + "/" + source, operator, good.copy().put("url", "jdbc:mysql://evil/").encode(), 400,
        "UNKNOWN_FIELD", "url"));
    out.add(new Bad("PUT", c + "/" + source, operator, good.copy().put("port", -1).encode(), 400, "INVALID_FIELD", "port"));

    String j = "/api/v1/jobs";
    job(out, "UNKNOWN_FIELD", "tables.foo", b -> b.put("tables", b.getJsonObject("tables").put("foo", 1)));
    job(out, "INVALID_FIELD", "tables.include", b -> b.put("tables", new JsonObject().put("include", new JsonArray())));
    job(out, "MISSING_FIELD", "tables.include", b -> b.put("tables", new JsonObject()));
    job(out, "MISSING_FIELD", "tables", b -> { b.remove("tables"); return b; });
    job(out, "INVALID_FIELD", "tables.include[0]", b -> b.put("tables", new JsonObject().put("include",
        new JsonArray().add("shop"))));
    job(out, "INVALID_FIELD", "tables.include[1]", b -> b.put("tables", new JsonObject().put("include",
        new JsonArray().add("shop.*").add("shop.`x`"))));
    job(out, "INVALID_FIELD", "tables.exclude[0]", b -> b.put("tables", b.getJsonObject("tables").put("exclude",
        new JsonArray().add(7))));
    job(out, "INVALID_FIELD", "tables.include", b -> b.put("tables", new JsonObject().put("include", "shop.*")));
    job(out, "INVALID_FIELD", "databaseMap.shop", b -> b.put("databaseMap", new JsonObject().put("shop", 1)));
    job(out, "INVALID_FIELD", "databaseMap.shop", b -> b.put("databaseMap", new JsonObject().put("shop", "a.b")));
    job(out, "INVALID_FIELD", "databaseMap key", b -> b.put("databaseMap", new JsonObject().put("sh op", "x")));
    job(out, "INVALID_FIELD", "start", b -> b.put("start", "yesterday"));
    job(out, "INVALID_FIELD", "start", b -> b.put("start", 5));
    job(out, "MISSING_FIELD", "start.position", b -> b.put("start", new JsonObject().put("file", "mysql-bin.000001")));
    job(out, "INVALID_FIELD", "start.position", b -> b.put("start", new JsonObject().put("file", "mysql-bin.000001")
        .put("position", 2)));
    job(out, "INVALID_FIELD", "start.file", b -> b.put("start", new JsonObject().put("file", "../etc/passwd")
        .put("position", 4)));
    job(out, "INVALID_FIELD", "start.gtid", b -> b.put("start", new JsonObject().put("gtid", "0-1-1; DROP")));
    job(out, "UNKNOWN_FIELD", "start.mode", b -> b.put("start", new JsonObject().put("mode", "current")));
    job(out, "INVALID_FIELD", "start", b -> b.put("start", new JsonObject().put("gtid", "0-1-1").put("file", "f")));
    job(out, "INVALID_FIELD", "ddl", b -> b.put("ddl", "drop"));
    job(out, "INVALID_FIELD", "autoStart", b -> b.put("autoStart", "yes"));
    job(out, "INVALID_FIELD", "source", b -> b.put("source", "conn_doesnotexist"));
    job(out, "INVALID_FIELD", "source", b -> b.put("source", foreignConnection));
    job(out, "INVALID_FIELD", "destination", b -> b.put("destination", foreignConnection));
    job(out, "INVALID_FIELD", "source", b -> b.put("source", "../../x"));
    job(out, "INVALID_FIELD", "tenant", b -> b.put("tenant", "globex"));
    job(out, "UNKNOWN_FIELD", "worker", b -> b.put("worker", "w1"));
    out.add(new Bad("POST", j, cp.adminToken, jobBody().put("tenant", "nope").encode(), 400, "INVALID_FIELD", "tenant"));

    out.add(new Bad("POST", "/api/v1/tenants", cp.adminToken, "{\"name\":\"Bad Name\"}", 400, "INVALID_FIELD", "name"));
    out.add(new Bad("POST", "/api/v1/tenants", cp.adminToken, "{\"name\":\"ok\",\"id\":\"x\"}", 400, "UNKNOWN_FIELD", "id"));
    out.add(new Bad("POST", "/api/v1/tokens", cp.adminToken, "{\"name\":\"t\",\"role\":\"root\"}", 400, "INVALID_FIELD",
        "role"));
    out.add(new Bad("POST", "/api/v1/tokens", cp.adminToken, "{\"name\":\"t\",\"role\":\"viewer\"}", 400, "MISSING_FIELD",
        "tenant"));
    out.add(new Bad("POST", "/api/v1/tokens", cp.adminToken, "{\"name\":\"t\",\"role\":\"admin\",\"tenant\":\"acme\"}", 400,
        "INVALID_FIELD", "tenant"));
    out.add(new Bad("POST", "/api/v1/tokens", cp.adminToken, "{\"name\":\"t\",\"role\":\"viewer\",\"tenant\":\"acme\","
        + "\"expiresInSeconds\":1}", 400, "INVALID_FIELD", "expiresInSeconds"));
    out.add(new Bad("POST", "/api/v1/users", cp.adminToken, "{\"name\":\"u\",\"password\":\"short\",\"role\":\"viewer\","
        + "\"tenant\":\"acme\"}", 400, "INVALID_FIELD", "password"));
    out.add(new Bad("POST", "/api/v1/sessions", null, "{\"name\":\"u\"}", 400, "MISSING_FIELD", "password"));
    out.add(new Bad("POST", "/api/v1/jobs/job_x/start", operator, "{\"force\":true}", 400, "UNKNOWN_FIELD", "force"));
    out.add(new Bad("GET", "/api/v1/jobs?state=BOGUS", operator, null, 400, "INVALID_PARAMETER", "state"));
    out.add(new Bad("GET", "/api/v1/audit?limit=501", cp.adminToken, null, 400, "INVALID_PARAMETER", "limit"));
    out.add(new Bad("GET", "/api/v1/audit?before=abc", cp.adminToken, null, 400, "INVALID_PARAMETER", "before"));
    out.add(new Bad("POST", c + "/" + source + "/check?role=both", operator, null, 400, "INVALID_PARAMETER", "role"));
    out.add(new Bad("GET", "/api/v1/nothing-here", operator, null, 404, "NOT_FOUND", null));
    out.add(new Bad("PATCH", c, operator, "{}", 405, "METHOD_NOT_ALLOWED", null));
    return out;
  }

  private void conn(List<Bad> out, String path, String code, String field, UnaryOperator<JsonObject> change) {
    out.add(new Bad("POST", path, operator, change.apply(cp.connectionBody("bad", SECRET)).encode(), 400, code, field));
  }

  private void job(List<Bad> out, String code, String field, UnaryOperator<JsonObject> change) {
    out.add(new Bad("POST", "/api/v1/jobs", operator, change.apply(jobBody()).encode(), 400, code, field));
  }

  private JsonObject jobBody() {
    return cp.jobBody("bad-job", source, destination);
  }

  private Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    TABLES.forEach(t -> out.put(t, cp.count(t)));
    return out;
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }
}
