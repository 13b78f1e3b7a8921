package io.ferry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.controlplane.TestControlPlane;
import io.ferry.controlplane.auth.Tokens;
import io.ferry.controlplane.fleet.WorkerLive;
import io.ferry.protocol.model.WorkerState;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every route × role (admin, operator, viewer) × own or foreign tenant's object, and every route with
 * no, an expired, a forged and a revoked token: the status is exactly the expected one. Another
 * tenant's object is always a 404; nothing is ever a 500.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT {
  private static final String OWN = "acme";
  private static final String FOREIGN = "globex";

  private TestControlPlane cp;
  private Map<String, String> tokens;
  private Map<String, String[]> baseConnections;
  private final List<String> mismatches = new ArrayList<>();
  private int calls;
  private int auditedCalls;
  private int documentedAnswers;
  /**
   * Successful changes: connection create (admin, operator), update, delete, check, job create (admin,
   * operator), delete, start, pause, resume, stop (admin on both tenants, operator on its own), drain,
   * tenant, token and user create, token and user delete (admin); the schema browser (3); sign-in
   * refused (3 roles + 4 bad tokens).
   */
  private static final int AUDITED_CALLS = 2 + 3 * 3 + 2 + 5 * 3 + 1 + 5 + 3 + 7;

  /** What one call needs: its path, body and, for sign-out, a token of its own. */
  private record Call(String path, Object body, String tokenOverride) {}

  @FunctionalInterface
  private interface Prep {
    Call prepare(String role, String tenant) throws Exception;
  }

  /** A route: who may call it, whether its object belongs to a tenant, and what success looks like. */
  private record Op(String method, String path, Set<String> roles, boolean tenantScoped, int ok, Prep prep) {}

  @BeforeAll
  void start() throws Exception {
    cp = new TestControlPlane();
    cp.tenant(OWN);
    cp.tenant(FOREIGN);
    tokens = Map.of("admin", cp.adminToken, "operator", cp.token("operator", OWN), "viewer", cp.token("viewer", OWN));
    baseConnections = Map.of(OWN, new String[] {connection(OWN), connection(OWN)},
        FOREIGN, new String[] {connection(FOREIGN), connection(FOREIGN)});
    cp.fleet.put(new WorkerLive("w1", "host-1", WorkerState.UP, 4, List.of(), Instant.now(), Instant.now()));
  }

  @AfterAll
  void stop() throws Exception {
    cp.close();
  }

  @Test
  void everyRouteRoleAndTenantGetsExactlyTheExpectedStatus() throws Exception {
    for (Op op : ops()) {
      for (String role : List.of("admin", "operator", "viewer")) {
        for (String tenant : op.tenantScoped() ? List.of(OWN, FOREIGN) : List.of(OWN)) {
          int expected = !op.roles().contains(role) && !op.roles().contains("public") ? 403
              : op.tenantScoped() && tenant.equals(FOREIGN) && !role.equals("admin") ? 404 : op.ok();
          check(op, role + "/" + tenant, tokens.get(role), role, tenant, expected);
        }
      }
      for (Map.Entry<String, String> bad : badTokens().entrySet()) {
        check(op, bad.getKey(), bad.getValue(), "admin", OWN, op.roles().contains("public") ? op.ok() : 401);
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(calls).as("37 routes x 3 roles (x 2 tenants where scoped) + 4 bad tokens each").isEqualTo(304);
    assertThat(auditedCalls).as("calls that changed something, each with its audit row").isEqualTo(AUDITED_CALLS);
    assertThat(documentedAnswers).as("JSON answers compared with the OpenAPI document").isGreaterThan(250);
    System.out.println("JSON answers compared with the OpenAPI document: " + documentedAnswers);
  }

  /**
   * The lists a non-admin reads hold its own tenant's connections and jobs only, whatever {@code tenant}
   * it asks for; an admin sees both tenants, or one when it asks.
   */
  @Test
  void listsHoldOnlyTheCallersTenantsObjects() throws Exception {
    String ownJob = job(OWN, false);
    String foreignJob = job(FOREIGN, false);
    String ownConnection = baseConnections.get(OWN)[0];
    String foreignConnection = baseConnections.get(FOREIGN)[0];
    for (String role : List.of("operator", "viewer")) {
      for (String query : List.of("", "?tenant=" + FOREIGN)) {
        assertListed("/api/v1/connections" + query, role, Set.of(ownConnection), Set.of(foreignConnection), Set.of(OWN));
        assertListed("/api/v1/jobs" + query, role, Set.of(ownJob), Set.of(foreignJob), Set.of(OWN));
      }
    }
    assertListed("/api/v1/connections", "admin", Set.of(ownConnection, foreignConnection), Set.of(), Set.of(OWN, FOREIGN));
    assertListed("/api/v1/jobs", "admin", Set.of(ownJob, foreignJob), Set.of(), Set.of(OWN, FOREIGN));
    assertListed("/api/v1/jobs?tenant=" + FOREIGN, "admin", Set.of(foreignJob), Set.of(ownJob), Set.of(FOREIGN));
  }

  /** The list at {@code path} as {@code role} holds {@code present}, none of {@code absent}, and items of {@code tenants} only. */
  private void assertListed(String path, String role, Set<String> present, Set<String> absent, Set<String> tenants)
      throws Exception {
    TestControlPlane.Response r = cp.get(path, tokens.get(role));
    assertThat(r.status()).as(path + " as " + role).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    Set<String> named = new java.util.TreeSet<>();
    for (Object o : r.array()) {
      ids.add(((JsonObject) o).getString("id"));
      named.add(((JsonObject) o).getString("tenant"));
    }
    assertThat(ids).as(path + " as " + role).containsAll(present);
    assertThat(absent).as("absent from " + path + " as " + role).doesNotContainAnyElementsOf(ids);
    assertThat(named).as("tenants in " + path + " as " + role).isEqualTo(new java.util.TreeSet<>(tenants));
  }

  private void check(Op op, String label, String token, String role, String tenant, int expected) throws Exception {
    Call call = op.prep().prepare(role, tenant);
    String used = call.tokenOverride() != null && token.equals(tokens.get(role)) ? call.tokenOverride() : token;
    long auditMark = lastAuditId();
    TestControlPlane.Response answer = op.path().equals("/api/v1/events") ? null : cp.call(op.method(), call.path(), used,
        call.body() == null ? null : call.body().toString());
    int status = answer == null ? streamStatus(used) : answer.status();
    calls++;
    if (answer != null) {
      checkDocumented(op, label, answer);
    }
    if (status != expected || status == 500) {
      mismatches.add(op.method() + " " + op.path() + " as " + label + ": expected " + expected + ", was " + status);
    }
    checkAudit(op, call, label, tenant, status, auditMark);
  }

  /**
   * Every call that changed something (a 2xx that is not a read; the schema browser and a refused sign-in
   * are audited too) wrote exactly one audit row naming who (actor and kind), what (action and object),
   * when (a moment ago) and from where (the loopback address); every other call wrote none.
   */
  private void checkAudit(Op op, Call call, String label, String tenant, int status, long mark) throws Exception {
    boolean changed = status >= 200 && status < 300 && (!op.method().equals("GET") || op.path().endsWith("/schemas"));
    boolean audited = changed || op.path().equals("/api/v1/sessions");
    List<String[]> rows = new ArrayList<>();
    try (java.sql.Connection c = cp.metadata.rootConnection();
         java.sql.PreparedStatement p = c.prepareStatement("SELECT actor, actor_kind, action, object_type, object_id,"
             + " remote_addr, tenant_id, TIMESTAMPDIFF(SECOND, at, NOW(6)) FROM ferry_meta.audit_log WHERE id > ?"
             + " ORDER BY id")) {
      p.setLong(1, mark);
      try (java.sql.ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String[] row = new String[8];
          for (int i = 0; i < 8; i++) {
            row[i] = rs.getString(i + 1);
          }
          rows.add(row);
        }
      }
    }
    String where = op.method() + " " + op.path() + " as " + label + " (" + status + "): ";
    if (rows.size() != (audited ? 1 : 0)) {
      mismatches.add(where + (audited ? 1 : 0) + " audit rows expected, " + rows.size() + " written");
      return;
    }
    if (!audited) {
      return;
    }
    auditedCalls++;
    String[] row = rows.get(0);
    String[] segments = call.path().split("\\?")[0].split("/");
    String pathId = segments.length > 4 && segments[1].equals("api") ? segments[4] : null;
    boolean ok = row[0] != null && !row[0].isBlank() && Set.of("token", "user").contains(row[1])
        && row[2] != null && row[2].matches("[a-z]+\\.[a-z]+") && row[3] != null
        && (pathId == null || pathId.equals("current") || pathId.equals(row[4]))
        && (op.path().equals("/api/v1/sessions") || row[4] != null)
        && "127.0.0.1".equals(row[5]) && Long.parseLong(row[7]) <= 60
        && (!op.tenantScoped() || tenant.equals(row[6]));
    if (!ok) {
      mismatches.add(where + "audit row " + String.join(" | ", java.util.Arrays.asList(row)));
    }
  }

  /**
   * A JSON answer has the shape the OpenAPI document gives for its route and status: every field it
   * carries is documented, and every documented required field is there (for an array, in each item).
   */
  @SuppressWarnings("unchecked")
  private void checkDocumented(Op op, String label, TestControlPlane.Response answer) {
    String body = answer.body();
    if (body.isEmpty() || !(body.startsWith("{") || body.startsWith("["))) {
      return;
    }
    String where = op.method() + " " + op.path() + " as " + label + " (" + answer.status() + "): ";
    Map<String, Object> operation = (Map<String, Object>) ((Map<String, Object>) openApi().get("paths"))
        .getOrDefault(op.path(), Map.of());
    Map<String, Object> responses = (Map<String, Object>) ((Map<String, Object>) operation
        .getOrDefault(op.method().toLowerCase(java.util.Locale.ROOT), Map.of())).getOrDefault("responses", Map.of());
    Map<String, Object> response = resolve((Map<String, Object>) responses.get(Integer.toString(answer.status())));
    Map<String, Object> json = response == null ? null : (Map<String, Object>) ((Map<String, Object>) response
        .getOrDefault("content", Map.of())).get("application/json");
    if (json == null) {
      mismatches.add(where + "no JSON answer documented for this status");
      return;
    }
    Map<String, Object> schema = resolve((Map<String, Object>) json.get("schema"));
    documentedAnswers++;
    if (body.startsWith("[")) {
      Map<String, Object> items = resolve((Map<String, Object>) schema.get("items"));
      for (Object item : new io.vertx.core.json.JsonArray(body)) {
        compare(where + "item: ", items, (JsonObject) item);
      }
    } else {
      compare(where, schema, new JsonObject(body));
    }
  }

  @SuppressWarnings("unchecked")
  private void compare(String where, Map<String, Object> schema, JsonObject value) {
    if (schema == null || !schema.containsKey("properties")) {
      mismatches.add(where + "the documented schema has no properties");
      return;
    }
    Set<String> documented = ((Map<String, Object>) schema.get("properties")).keySet();
    for (String field : value.fieldNames()) {
      if (!documented.contains(field)) {
        mismatches.add(where + "field '" + field + "' is not documented");
      }
    }
    for (Object required : (List<Object>) schema.getOrDefault("required", List.of())) {
      if (!value.containsKey((String) required)) {
        mismatches.add(where + "documented required field '" + required + "' is missing");
      }
    }
  }

  /** Follows a {@code $ref} into the document's components. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> resolve(Map<String, Object> node) {
    while (node != null && node.containsKey("$ref")) {
      Object target = openApi();
      for (String part : ((String) node.get("$ref")).substring(2).split("/")) {
        target = ((Map<String, Object>) target).get(part);
      }
      node = (Map<String, Object>) target;
    }
    return node;
  }

  private Map<String, Object> openApiDocument;

  private Map<String, Object> openApi() {
    if (openApiDocument == null) {
      try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream(ApiRoutes.OPENAPI_RESOURCE)) {
        openApiDocument = new org.yaml.snakeyaml.Yaml().load(in);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return openApiDocument;
  }

  private long lastAuditId() {
    return Long.parseLong(cp.metadata.queryString("SELECT COALESCE(MAX(id), 0) FROM ferry_meta.audit_log"));
  }

  private Map<String, String> badTokens() throws Exception {
    String expired = cp.token("operator", OWN);
    cp.metadata.execute("UPDATE ferry_meta.api_tokens SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE token_prefix = '"
        + Tokens.lookupPrefix(expired) + "'");
    String revoked = cp.token("operator", OWN);
    JsonObject row = cp.get("/api/v1/tokens", cp.adminToken).array().stream().map(JsonObject.class::cast)
        .filter(t -> Tokens.lookupPrefix(revoked).equals(t.getString("prefix"))).findFirst().orElseThrow();
    cp.expect(204, "DELETE", "/api/v1/tokens/" + row.getString("id"), cp.adminToken, null);
    // a forgery that shares the admin token's lookup prefix, so it reaches the hash comparison
    String forged = Tokens.lookupPrefix(cp.adminToken) + Tokens.generate().substring(12);
    return Map.of("no token", "", "expired", expired, "forged", forged, "revoked", revoked);
  }

  private List<Op> ops() {
    Set<String> any = Set.of("admin", "operator", "viewer");
    Set<String> write = Set.of("admin", "operator");
    Set<String> admin = Set.of("admin");
    Set<String> open = Set.of("public");
    String c = "/api/v1/connections";
    String j = "/api/v1/jobs";
    List<Op> ops = new ArrayList<>(List.of(
        new Op("GET", "/health", open, false, 200, (r, t) -> new Call("/health", null, null)),
        new Op("GET", "/api/v1/openapi.yaml", open, false, 200, (r, t) -> new Call("/api/v1/openapi.yaml", null, null)),
        new Op("GET", "/metrics", any, false, 200, (r, t) -> new Call("/metrics", null, null)),
        new Op("POST", "/api/v1/sessions", open, false, 401, (r, t) -> new Call("/api/v1/sessions",
            new JsonObject().put("name", "nobody").put("password", "wrong-password"), null)),
        new Op("GET", "/api/v1/sessions/current", any, false, 200, (r, t) -> new Call("/api/v1/sessions/current", null,
            null)),
        // Made with API tokens, which sign-out never revokes (409 NOT_A_SESSION; SessionsIT signs a session out).
        new Op("DELETE", "/api/v1/sessions/current", any, false, 409, (r, t) -> new Call("/api/v1/sessions/current", null,
            r.equals("admin") ? adminToken() : cp.token(r, OWN))),
        new Op("GET", c, any, false, 200, (r, t) -> new Call(c, null, null)),
        new Op("POST", c, write, false, 201, (r, t) -> new Call(c, connectionBody(r.equals("admin") ? OWN : null), null)),
        new Op("GET", c + "/{id}", any, true, 200, (r, t) -> new Call(c + "/" + baseConnections.get(t)[0], null, null)),
        new Op("PUT", c + "/{id}", write, true, 200, (r, t) -> new Call(c + "/" + connection(t), connectionBody(null), null)),
        new Op("DELETE", c + "/{id}", write, true, 204, (r, t) -> new Call(c + "/" + connection(t), null, null)),
        new Op("POST", c + "/{id}/check", write, true, 200, (r, t) -> new Call(c + "/" + baseConnections.get(t)[0]
            + "/check", null, null)),
        new Op("GET", c + "/{id}/schemas", write, true, 200, (r, t) -> new Call(c + "/" + baseConnections.get(t)[0]
            + "/schemas", null, null)),
        new Op("GET", j, any, false, 200, (r, t) -> new Call(j, null, null)),
        new Op("POST", j, write, false, 201, (r, t) -> new Call(j, jobBody(OWN, r.equals("admin"), true), null)),
        new Op("GET", j + "/{id}", any, true, 200, (r, t) -> new Call(j + "/" + job(t, false), null, null)),
        new Op("DELETE", j + "/{id}", write, true, 204, (r, t) -> new Call(j + "/" + job(t, false), null, null)),
        new Op("POST", j + "/{id}/start", write, true, 200, (r, t) -> new Call(j + "/" + job(t, false) + "/start", null, null)),
        new Op("POST", j + "/{id}/pause", write, true, 200, (r, t) -> new Call(j + "/" + job(t, true) + "/pause", null, null)),
        new Op("POST", j + "/{id}/resume", write, true, 200, (r, t) -> new Call(j + "/" + pausedJob(t) + "/resume", null,
            null)),
        new Op("POST", j + "/{id}/stop", write, true, 200, (r, t) -> new Call(j + "/" + job(t, true) + "/stop", null, null)),
        new Op("POST", j + "/{id}/verify", write, true, 409, (r, t) -> new Call(j + "/" + job(t, false) + "/verify", null,
            null)),
        new Op("GET", j + "/{id}/verify", any, true, 200, (r, t) -> new Call(j + "/" + job(t, false) + "/verify", null,
            null)),
        new Op("GET", j + "/{id}/history", any, true, 200, (r, t) -> new Call(j + "/" + job(t, false) + "/history", null,
            null)),
        new Op("GET", j + "/{id}/events", any, true, 200, (r, t) -> new Call(j + "/" + job(t, false) + "/events", null,
            null)),
        new Op("GET", "/api/v1/workers", any, false, 200, (r, t) -> new Call("/api/v1/workers", null, null)),
        new Op("POST", "/api/v1/workers/{id}/drain", admin, false, 202, (r, t) -> new Call("/api/v1/workers/w1/drain",
            null, null)),
        new Op("GET", "/api/v1/events", any, false, 200, (r, t) -> new Call("/api/v1/events", null, null)),
        new Op("GET", "/api/v1/tenants", admin, false, 200, (r, t) -> new Call("/api/v1/tenants", null, null)),
        new Op("POST", "/api/v1/tenants", admin, false, 201, (r, t) -> new Call("/api/v1/tenants",
            new JsonObject().put("name", "t-" + unique()), null)),
        new Op("GET", "/api/v1/tokens", admin, false, 200, (r, t) -> new Call("/api/v1/tokens", null, null)),
        new Op("POST", "/api/v1/tokens", admin, false, 201, (r, t) -> new Call("/api/v1/tokens",
            new JsonObject().put("name", "n").put("role", "viewer").put("tenant", OWN), null)),
        new Op("DELETE", "/api/v1/tokens/{id}", admin, false, 204, (r, t) -> new Call("/api/v1/tokens/" + tokenId(), null,
            null)),
        new Op("GET", "/api/v1/users", admin, false, 200, (r, t) -> new Call("/api/v1/users", null, null)),
        new Op("POST", "/api/v1/users", admin, false, 201, (r, t) -> new Call("/api/v1/users", userBody(), null)),
        new Op("DELETE", "/api/v1/users/{id}", admin, false, 204, (r, t) -> new Call("/api/v1/users/" + userId(), null,
            null)),
        new Op("GET", "/api/v1/audit", admin, false, 200, (r, t) -> new Call("/api/v1/audit", null, null))));
    return ops;
  }

  private String connection(String tenant) throws Exception {
    return cp.expect(201, "POST", "/api/v1/connections", cp.adminToken, connectionBody(tenant)).getString("id");
  }

  private JsonObject connectionBody(String tenant) {
    JsonObject body = new JsonObject().put("name", "c-" + unique()).put("host", "127.0.0.1").put("port", 1)
        .put("user", "repl").put("password", "pw-" + unique()).put("tls", "disabled");
    return tenant == null ? body : body.put("tenant", tenant);
  }

  private JsonObject jobBody(String tenant, boolean withTenant, boolean autoStart) {
    JsonObject body = cp.jobBody("j-" + unique(), baseConnections.get(tenant)[0], baseConnections.get(tenant)[1])
        .put("autoStart", autoStart);
    return withTenant ? body.put("tenant", tenant) : body;
  }

  private String job(String tenant, boolean autoStart) throws Exception {
    return cp.expect(201, "POST", "/api/v1/jobs", cp.adminToken, jobBody(tenant, true, autoStart)).getString("id");
  }

  private String pausedJob(String tenant) throws Exception {
    String id = job(tenant, true);
    cp.expect(200, "POST", "/api/v1/jobs/" + id + "/pause", cp.adminToken, null);
    return id;
  }

  private String tokenId() throws Exception {
    return cp.expect(201, "POST", "/api/v1/tokens", cp.adminToken,
        new JsonObject().put("name", "victim").put("role", "viewer").put("tenant", OWN)).getString("id");
  }

  private String adminToken() throws Exception {
    return cp.expect(201, "POST", "/api/v1/tokens", cp.adminToken,
        new JsonObject().put("name", "admin-2").put("role", "admin")).getString("token");
  }

  private JsonObject userBody() {
    return new JsonObject().put("name", "u-" + unique()).put("password", "long-enough-pw").put("role", "viewer")
        .put("tenant", OWN);
  }

  private String userId() throws Exception {
    return cp.expect(201, "POST", "/api/v1/users", cp.adminToken, userBody()).getString("id");
  }

  private static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** The status of the event stream, read as soon as the headers arrive; the stream is then closed. */
  private int streamStatus(String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.port + "/api/v1/events"))
        .timeout(Duration.ofSeconds(30));
    if (!token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(b.build(),
        HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    return r.statusCode();
  }
}
