package io.ferry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.controlplane.LogCapture;
import io.ferry.controlplane.TestControlPlane;
import io.ferry.mariadb.MariaDbConfig;
import io.ferry.mariadb.MariaDbServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Connections keep their password sealed in the database and out of every answer and log line, refuse
 * smuggled driver options, and are checked live against real MariaDB servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionsIT {
  private static final String PASSWORD = "Repl-Pässword-9!";
  private static final String WRONG = "Not-The-Password-7";
  private static final String WEAK_PASSWORD = "Weak-User-Pass-3";

  private LogCapture logs;
  private TestControlPlane cp;
  private MariaDbServer source;
  private String operator;
  private final List<String> secrets = new ArrayList<>();
  private final List<String> bodies = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    logs = LogCapture.attach();
    cp = new TestControlPlane();
    source = MariaDbServer.start(MariaDbConfig.source());
    source.createUser("repl", PASSWORD, "REPLICATION SLAVE, REPLICATION CLIENT ON *.*");
    source.createUser("weak", WEAK_PASSWORD);
    cp.tenant("acme");
    operator = cp.token("operator", "acme");
    secrets.addAll(List.of(PASSWORD, WRONG, WEAK_PASSWORD, cp.adminToken, operator));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      cp.close();
      source.close();
    } finally {
      logs.close();
    }
    List<String> leaks = new ArrayList<>();
    for (String line : logs.lines()) {
      secrets.stream().filter(line::contains).forEach(s -> leaks.add(line));
    }
    assertThat(logs.lines()).as("the capture saw the control plane's own logging").isNotEmpty();
    assertThat(leaks).as("log lines carrying a password or token").isEmpty();
    for (String body : bodies) {
      secrets.stream().filter(s -> !s.equals(cp.adminToken) && !s.equals(operator))
          .forEach(s -> assertThat(body).doesNotContain(s));
    }
  }

  private JsonObject call(int status, String method, String path, Object body) throws Exception {
    TestControlPlane.Response r = cp.call(method, path, operator, body == null ? null : body.toString());
    bodies.add(r.body());
    assertThat(r.status()).as(method + " " + path + " -> " + r.body()).isEqualTo(status);
    return r.body().isEmpty() || r.body().startsWith("[") ? null : r.json();
  }

  private JsonObject body(String name, int port, String user, String password) {
    return new JsonObject().put("name", name).put("host", "127.0.0.1").put("port", port).put("user", user)
        .put("password", password).put("tls", "disabled");
  }

  @Test
  void thePasswordIsSealedAtRestAndNeverAnswered() throws Exception {
    JsonObject created = call(201, "POST", "/api/v1/connections", body("sealed", source.port(), "repl", PASSWORD));
    String id = created.getString("id");
    assertThat(created.getBoolean("passwordSet")).isTrue();
    assertThat(created.fieldNames()).doesNotContain("password");
    String sealed = cp.metadata.queryString("SELECT HEX(password_enc) FROM ferry_meta.connections WHERE id = '" + id + "'");
    assertThat(sealed).isNotEmpty().doesNotContain(HexFormat.of().withUpperCase()
        .formatHex(PASSWORD.getBytes(StandardCharsets.UTF_8)));
    assertThat(cp.secrets.open(HexFormat.of().parseHex(sealed), id)).isEqualTo(PASSWORD);

    JsonObject read = call(200, "GET", "/api/v1/connections/" + id, null);
    assertThat(read.fieldNames()).doesNotContain("password");
    assertThat(read.getString("user")).isEqualTo("repl");
    TestControlPlane.Response list = cp.get("/api/v1/connections", operator);
    bodies.add(list.body());
    assertThat(list.array()).isNotEmpty();

    // PUT without a password keeps the stored one: the check still logs in
    call(200, "PUT", "/api/v1/connections/" + id, body("renamed", source.port(), "repl", null));
    assertThat(call(200, "POST", "/api/v1/connections/" + id + "/check", null).getBoolean("ok")).isTrue();
    call(200, "PUT", "/api/v1/connections/" + id, body("renamed", source.port(), "repl", WRONG));
    assertThat(call(200, "POST", "/api/v1/connections/" + id + "/check", null).getBoolean("ok")).isFalse();

    String everything = cp.metadata.queryString("SELECT GROUP_CONCAT(CONCAT_WS('|', action, detail) SEPARATOR '\\n')"
        + " FROM ferry_meta.audit_log");
    assertThat(everything).contains("connection.create", "connection.update", "connection.check")
        .doesNotContain(PASSWORD).doesNotContain(WRONG);
  }

  @Test
  void aLiveCheckReportsEachProblemWithItsCodeAndNoPassword() throws Exception {
    String wrong = call(201, "POST", "/api/v1/connections", body("wrong", source.port(), "repl", WRONG)).getString("id");
    JsonObject denied = call(200, "POST", "/api/v1/connections/" + wrong + "/check", null);
    assertThat(denied.getBoolean("ok")).isFalse();
    assertThat(codes(denied)).containsExactly("SOURCE_ACCESS_DENIED");
    assertThat(problem(denied, 0).getString("message")).contains("repl@127.0.0.1:" + source.port());
    assertThat(problem(denied, 0).getString("remedy")).isNotBlank();

    String right = call(201, "POST", "/api/v1/connections", body("right", source.port(), "repl", PASSWORD)).getString("id");
    JsonObject ok = call(200, "POST", "/api/v1/connections/" + right + "/check", null);
    assertThat(ok.getBoolean("ok")).as(ok.encode()).isTrue();
    assertThat(ok.getJsonArray("problems")).isEmpty();
    assertThat(codes(call(200, "POST", "/api/v1/connections/" + right + "/check?role=destination", null)))
        .containsExactly("DESTINATION_PRIVILEGES");

    String weak = call(201, "POST", "/api/v1/connections", body("weak", source.port(), "weak", WEAK_PASSWORD))
        .getString("id");
    assertThat(codes(call(200, "POST", "/api/v1/connections/" + weak + "/check", null)))
        .containsExactly("SOURCE_PRIVILEGES", "SOURCE_PRIVILEGES");

    String plain = call(201, "POST", "/api/v1/connections", body("no-binlog", cp.metadata.port(),
        cp.metadata.adminUser(), cp.metadata.adminPassword())).getString("id");
    if (cp.metadata.adminPassword().length() >= 4) {
      secrets.add(cp.metadata.adminPassword());
    }
    assertThat(codes(call(200, "POST", "/api/v1/connections/" + plain + "/check", null)))
        .contains("SOURCE_BINLOG_DISABLED");

    String nowhere = call(201, "POST", "/api/v1/connections", body("nowhere", 1, "repl", PASSWORD)).getString("id");
    JsonObject unreachable = call(200, "POST", "/api/v1/connections/" + nowhere + "/check", null);
    assertThat(codes(unreachable)).containsExactly("SOURCE_UNREACHABLE");
    assertThat(problem(unreachable, 0).getString("message")).contains("repl@127.0.0.1:1");
  }

  @Test
  void smuggledDriverOptionsAreRefusedAndAConnectionInUseIsKept() throws Exception {
    for (String field : List.of("url", "jdbcUrl", "properties", "allowLoadLocalInfile", "autoDeserialize")) {
      JsonObject error = call(400, "POST", "/api/v1/connections", body("smuggle", 3306, "repl", PASSWORD)
          .put(field, "true")).getJsonObject("error");
      assertThat(error.getString("field")).isEqualTo(field);
    }
    JsonObject error = call(400, "POST", "/api/v1/connections",
        body("smuggle", 3306, "repl", PASSWORD).put("host", "127.0.0.1:3306/db?allowLoadLocalInfile=true"))
        .getJsonObject("error");
    assertThat(error.getString("field")).isEqualTo("host");

    String a = call(201, "POST", "/api/v1/connections", body("in-use-a", source.port(), "repl", PASSWORD)).getString("id");
    String b = call(201, "POST", "/api/v1/connections", body("in-use-b", source.port(), "repl", PASSWORD)).getString("id");
    String job = call(201, "POST", "/api/v1/jobs", cp.jobBody("uses-them", a, b).put("autoStart", false)).getString("id");
    JsonObject conflict = call(409, "DELETE", "/api/v1/connections/" + a, null);
    assertThat(conflict.getJsonObject("error").getString("code")).isEqualTo("CONNECTION_IN_USE");
    assertThat(conflict.getJsonObject("error").getString("message")).contains(job);
    call(204, "DELETE", "/api/v1/jobs/" + job, null);
    call(204, "DELETE", "/api/v1/connections/" + a, null);
    call(404, "GET", "/api/v1/connections/" + a, null);
  }

  @Test
  void linkLocalTargetsAndTheControlPlanesOwnPortAreRefused() throws Exception {
    for (String host : List.of("169.254.169.254", "fe80::1", "::ffff:169.254.169.254", "0.0.0.0")) {
      JsonObject error = call(400, "POST", "/api/v1/connections", body("metadata-service", 80, "repl", PASSWORD)
          .put("host", host)).getJsonObject("error");
      assertThat(error.getString("field")).as(host).isEqualTo("host");
      assertThat(error.getString("message")).as(host).contains("never connects");
    }
    for (String host : List.of("127.0.0.1", "localhost", "::1")) {
      JsonObject error = call(400, "POST", "/api/v1/connections", body("own-port", cp.port, "repl", PASSWORD)
          .put("host", host)).getJsonObject("error");
      assertThat(error.getString("field")).as(host).isEqualTo("port");
      assertThat(error.getString("message")).contains("own port");
    }
    // A name of this machine that needs a lookup passes the first check; the live check and the schema
    // browser resolve it and refuse before connecting.
    String name = java.net.InetAddress.getLocalHost().getHostName();
    String id = call(201, "POST", "/api/v1/connections", body("own-port-by-name", cp.port, "repl", PASSWORD)
        .put("host", name)).getString("id");
    JsonObject check = call(200, "POST", "/api/v1/connections/" + id + "/check", null);
    assertThat(codes(check)).as(check.encode()).containsExactly("SOURCE_TARGET_REFUSED");
    assertThat(problem(check, 0).getString("message")).contains("own port " + cp.port);
    JsonObject schemas = call(200, "GET", "/api/v1/connections/" + id + "/schemas", null);
    assertThat(codes(schemas)).containsExactly("SOURCE_TARGET_REFUSED");
    call(204, "DELETE", "/api/v1/connections/" + id, null);
  }

  private static List<String> codes(JsonObject check) {
    List<String> out = new ArrayList<>();
    JsonArray problems = check.getJsonArray("problems");
    problems.forEach(p -> out.add(((JsonObject) p).getString("code")));
    return out;
  }

  private static JsonObject problem(JsonObject check, int i) {
    return check.getJsonArray("problems").getJsonObject(i);
  }
}
