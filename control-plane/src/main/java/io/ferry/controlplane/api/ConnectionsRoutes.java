package io.ferry.controlplane.api;

import io.ferry.controlplane.auth.Principal;
import io.ferry.controlplane.check.ConnectionCheck;
import io.ferry.controlplane.check.SchemaBrowser;
import io.ferry.controlplane.secrets.SecretBox;
import io.ferry.controlplane.store.AuditStore;
import io.ferry.controlplane.store.ConnectionStore;
import io.ferry.controlplane.store.ConnectionStore.Connection;
import io.ferry.controlplane.store.Sql;
import io.ferry.controlplane.store.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/connections}: an allow-list of fields (no URL, no driver property), the password
 * sealed with the record id as associated data and never returned, a live check, and the list of the
 * server's databases and tables for the job wizard.
 */
public final class ConnectionsRoutes {
  static final String BASE = "/api/v1/connections";
  private static final Set<String> FIELDS = Set.of("name", "host", "port", "user", "password", "tls", "ca", "tenant");
  private static final List<String> TLS = List.of("disabled", "preferred", "required", "verify-ca");
  /** Sealed, a password must fit {@code password_enc} (1,024 bytes with version, nonce and tag). */
  private static final int MAX_PASSWORD_BYTES = 960;
  private static final int CHECK_THREADS = 4;
  /** Names of this machine that need no lookup; the check and the connect also catch names that resolve here. */
  private static final Pattern LOCAL_NAMES = Pattern.compile("(?i)localhost\\.?|.*\\.localhost\\.?|127(\\.\\d{1,3}){3}|::1"
      + "|0*:0*:0*:0*:0*:0*:0*:0*1|::ffff:127(\\.\\d{1,3}){3}");

  private final Vertx vertx;
  private final Pool pool;
  private final ConnectionStore connections;
  private final TenantStore tenants;
  private final AuditStore audit;
  private final SecretBox secrets;
  private final ConnectionCheck check;
  private final SchemaBrowser browser;
  /** The ports this control plane listens on: no connection may name them on this machine. */
  private final Set<Integer> ownPorts;
  /** Checks wait up to seconds on remote servers: their own few threads, so they never starve other blocking work. */
  private final WorkerExecutor checkers;

  public ConnectionsRoutes(Vertx vertx, Pool pool, SecretBox secrets, Set<Integer> ownPorts) {
    this.vertx = vertx;
    this.pool = pool;
    this.connections = new ConnectionStore(pool);
    this.tenants = new TenantStore(pool);
    this.audit = new AuditStore(pool);
    this.secrets = secrets;
    this.ownPorts = ownPorts;
    this.check = new ConnectionCheck(ownPorts);
    this.browser = new SchemaBrowser(ownPorts);
    this.checkers = vertx.createSharedWorkerExecutor("ferry-connection-check", CHECK_THREADS);
  }

  public void register(Api api) {
    api.route(HttpMethod.GET, BASE, Api.ANY, this::list);
    api.route(HttpMethod.POST, BASE, Api.WRITE, this::create);
    api.route(HttpMethod.GET, BASE + "/{id}", Api.ANY, this::get);
    api.route(HttpMethod.PUT, BASE + "/{id}", Api.WRITE, this::update);
    api.route(HttpMethod.DELETE, BASE + "/{id}", Api.WRITE, this::delete);
    api.route(HttpMethod.POST, BASE + "/{id}/check", Api.WRITE, this::check);
    api.route(HttpMethod.GET, BASE + "/{id}/schemas", Api.WRITE, this::schemas);
  }

  private Future<?> list(RoutingContext ctx, Principal who) {
    String tenant = who.isAdmin() ? ctx.queryParams().get("tenant") : who.tenantId();
    return connections.list(tenant).map(Api.then(list -> {
      JsonArray out = new JsonArray();
      list.forEach(c -> out.add(c.json()));
      Replies.json(ctx, 200, out);
    }));
  }

  private Future<?> get(RoutingContext ctx, Principal who) {
    return visible(who, ctx.pathParam("id")).map(Api.then(c -> Replies.json(ctx, 200, c.json())));
  }

  private Future<?> create(RoutingContext ctx, Principal who) {
    Body body = Body.of(ctx, FIELDS);
    String tenant = Api.tenantFor(who, body.optString("tenant", 64));
    String id = Sql.newId("conn");
    String password = password(body, true);
    Connection c = fields(body, id, tenant, secrets.seal(password, id));
    return tenants.exists(tenant).compose(exists -> {
      if (!exists) {
        throw ApiException.invalid("tenant", "no such tenant");
      }
      return pool.withTransaction(tx -> connections.insert(tx, c)
          .compose(v -> audit.record(tx, Audits.entry(ctx, who, tenant, "connection.create", "connection", id,
              summary(c)))));
    }).compose(v -> connections.get(id)).map(Api.then(saved -> Replies.json(ctx, 201, saved.json())));
  }

  private Future<?> update(RoutingContext ctx, Principal who) {
    Body body = Body.of(ctx, FIELDS);
    if (body.has("tenant")) {
      throw ApiException.invalid("tenant", "a connection cannot move to another tenant");
    }
    String password = password(body, false);
    return visible(who, ctx.pathParam("id")).compose(old -> {
      Connection c = fields(body, old.id(), old.tenantId(), password == null ? null : secrets.seal(password, old.id()));
      JsonObject detail = summary(c).put("passwordChanged", password != null);
      return pool.withTransaction(tx -> connections.update(tx, c)
          .compose(v -> audit.record(tx, Audits.entry(ctx, who, c.tenantId(), "connection.update", "connection",
              c.id(), detail))));
    }).compose(v -> connections.get(ctx.pathParam("id"))).map(Api.then(saved -> Replies.json(ctx, 200, saved.json())));
  }

  private Future<?> delete(RoutingContext ctx, Principal who) {
    String id = ctx.pathParam("id");
    return pool.withTransaction(tx -> connections.get(tx, id).compose(c -> {
      if (c == null || !who.sees(c.tenantId())) {
        throw ApiException.notFound("connection", id);
      }
      return connections.jobsUsing(tx, id).compose(jobs -> {
        if (!jobs.isEmpty()) {
          throw ApiException.conflict("CONNECTION_IN_USE", "connection " + id + " is used by job(s) "
              + String.join(", ", jobs) + "; delete them first");
        }
        return connections.delete(tx, id).compose(v -> audit.record(tx, Audits.entry(ctx, who, c.tenantId(),
            "connection.delete", "connection", id, summary(c))));
      });
    })).map(Api.then(v -> Replies.noContent(ctx)));
  }

  private Future<?> check(RoutingContext ctx, Principal who) {
    Body.none(ctx);
    String role = ctx.queryParams().get("role") == null ? "source" : ctx.queryParams().get("role");
    if (!role.equals("source") && !role.equals("destination")) {
      throw new ApiException(400, "INVALID_PARAMETER", "role", "role: must be source or destination");
    }
    return visible(who, ctx.pathParam("id")).compose(c -> {
      String password = secrets.open(c.passwordSealed(), c.id());
      return checkers.executeBlocking(() -> check.run(c, password, role.equals("source")), false)
          .compose(result -> audit.record(pool, Audits.entry(ctx, who, c.tenantId(), "connection.check", "connection",
                  c.id(), new JsonObject().put("role", role).put("ok", result.getBoolean("ok"))
                      .put("problems", codes(result))))
              .map(result));
    }).map(Api.then(result -> Replies.json(ctx, 200, result)));
  }

  /**
   * The databases and tables the connection's user sees, for the job wizard. It signs in to a server
   * with stored credentials, so it is for the roles that may check connections, and audited like a check.
   */
  private Future<?> schemas(RoutingContext ctx, Principal who) {
    return visible(who, ctx.pathParam("id")).compose(c -> {
      String password = secrets.open(c.passwordSealed(), c.id());
      return checkers.executeBlocking(() -> browser.list(c, password), false)
          .compose(result -> audit.record(pool, Audits.entry(ctx, who, c.tenantId(), "connection.browse", "connection",
              c.id(), new JsonObject().put("ok", result.getBoolean("ok")))).map(result));
    }).map(Api.then(result -> Replies.json(ctx, 200, result)));
  }

  /** The connection if this caller may see it; another tenant's is not found, exactly like a missing one. */
  private Future<Connection> visible(Principal who, String id) {
    if (!Validation.plausibleId(id)) {
      return Future.failedFuture(ApiException.notFound("connection", id));
    }
    return connections.get(id).map(c -> {
      if (c == null || !who.sees(c.tenantId())) {
        throw ApiException.notFound("connection", id);
      }
      return c;
    });
  }

  private Connection fields(Body body, String id, String tenant, byte[] sealed) {
    String name = body.string("name", 200);
    String host = Validation.host("host", body.string("host", 255));
    int port = (int) body.integer("port", 1, 65535);
    if (ownPorts.contains(port) && LOCAL_NAMES.matcher(host).matches()) {
      throw ApiException.invalid("port", "is this control plane's own port on " + host + "; Ferry never connects"
          + " there (point the connection at the MySQL/MariaDB server's port)");
    }
    String user = Validation.user("user", body.string("user", 80));
    String tls = body.optChoice("tls", TLS);
    String ca = body.optText("ca", Validation.MAX_CA_CHARS);
    if (ca != null) {
      Validation.pem("ca", ca);
    }
    return new Connection(id, tenant, name, host, port, user, tls == null ? "preferred" : tls, ca, sealed, null, null);
  }

  private static String password(Body body, boolean required) {
    String password = body.optText("password", MAX_PASSWORD_BYTES);
    if (password == null && required) {
      throw ApiException.missing("password");
    }
    if (password != null && password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw ApiException.invalid("password", "must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8");
    }
    return password;
  }

  /** What the audit trail keeps of a connection: never its password. */
  private static JsonObject summary(Connection c) {
    return new JsonObject().put("name", c.name()).put("host", c.host()).put("port", c.port()).put("user", c.user())
        .put("tls", c.tls());
  }

  private static JsonArray codes(JsonObject result) {
    JsonArray codes = new JsonArray();
    result.getJsonArray("problems").forEach(p -> codes.add(((JsonObject) p).getString("code")));
    return codes;
  }
}
