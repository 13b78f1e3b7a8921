package io.ferry.controlplane.api;

import io.ferry.controlplane.auth.Principal;
import io.ferry.controlplane.auth.Role;
import io.ferry.controlplane.auth.TokenStore;
import io.ferry.controlplane.auth.Tokens;
import io.ferry.controlplane.auth.UserStore;
import io.ferry.controlplane.secrets.PasswordHasher;
import io.ferry.controlplane.store.AuditStore;
import io.ferry.controlplane.store.Sql;
import io.ferry.controlplane.store.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Set;

/**
 * Admin-only routes: tenants, API tokens (shown once, stored as a hash) and people (passwords hashed
 * with Argon2id on a worker thread), and the audit trail.
 */
public final class AdminRoutes {
  private static final List<String> ROLES = List.of("admin", "operator", "viewer");
  private static final int MIN_PASSWORD = 8;
  private static final long MAX_TOKEN_TTL_SECONDS = 10L * 366 * 24 * 3600;
  private static final int MAX_AUDIT_ROWS = 500;

  private final Vertx vertx;
  private final Pool pool;
  private final PasswordHasher hasher;
  private final TenantStore tenants;
  private final TokenStore tokens;
  private final UserStore users;
  private final AuditStore audit;

  public AdminRoutes(Vertx vertx, Pool pool, PasswordHasher hasher) {
    this.vertx = vertx;
    this.pool = pool;
    this.hasher = hasher;
    this.tenants = new TenantStore(pool);
    this.tokens = new TokenStore(pool);
    this.users = new UserStore(pool);
    this.audit = new AuditStore(pool);
  }

  public void register(Api api) {
    api.route(HttpMethod.GET, "/api/v1/tenants", Api.ADMIN, (ctx, who) -> tenants.list().map(Api.then(l -> array(ctx, l))));
    api.route(HttpMethod.POST, "/api/v1/tenants", Api.ADMIN, this::createTenant);
    api.route(HttpMethod.GET, "/api/v1/tokens", Api.ADMIN, (ctx, who) -> tokens.list().map(Api.then(l -> array(ctx, l))));
    api.route(HttpMethod.POST, "/api/v1/tokens", Api.ADMIN, this::createToken);
    api.route(HttpMethod.DELETE, "/api/v1/tokens/{id}", Api.ADMIN, this::revokeToken);
    api.route(HttpMethod.GET, "/api/v1/users", Api.ADMIN, (ctx, who) -> users.list().map(Api.then(l -> array(ctx, l))));
    api.route(HttpMethod.POST, "/api/v1/users", Api.ADMIN, this::createUser);
    api.route(HttpMethod.DELETE, "/api/v1/users/{id}", Api.ADMIN, this::disableUser);
    api.route(HttpMethod.GET, "/api/v1/audit", Api.ADMIN, this::audit);
  }

  private Future<?> createTenant(RoutingContext ctx, Principal who) {
    Body body = Body.of(ctx, Set.of("name"));
    String name = Validation.slug("name", body.string("name", 64));
    return pool.withTransaction(tx -> tenants.insert(tx, name, name)
            .compose(v -> audit.record(tx, Audits.entry(ctx, who, name, "tenant.create", "tenant", name, null))))
        .map(Api.then(v -> Replies.json(ctx, 201, new JsonObject().put("id", name).put("name", name))));
  }

  private Future<?> createToken(RoutingContext ctx, Principal who) {
    Body body = Body.of(ctx, Set.of("name", "tenant", "role", "expiresInSeconds"));
    String name = body.string("name", 200);
    Role role = role(body);
    String tenant = tenantOf(body, role);
    Long ttl = body.optInteger("expiresInSeconds", 60, MAX_TOKEN_TTL_SECONDS);
    String token = Tokens.generate();
    return checkTenant(tenant)
        .compose(v -> pool.withTransaction(tx -> tokens.create(tx, token, name, role, tenant, null, ttl)
            .compose(issued -> audit.record(tx, Audits.entry(ctx, who, tenant, "token.create", "token", issued.id(),
                new JsonObject().put("name", name).put("role", role.wire()))).map(issued))))
        .map(Api.then(issued -> Replies.json(ctx, 201, new JsonObject().put("id", issued.id()).put("token", token)
            .put("name", name).put("role", role.wire()).put("tenant", tenant)
            .put("expiresAt", Sql.text(issued.expiresAt())))));
  }

  private Future<?> revokeToken(RoutingContext ctx, Principal who) {
    String id = ctx.pathParam("id");
    if (!Validation.plausibleId(id)) {
      throw ApiException.notFound("token", id);
    }
    return tokens.get(id).compose(t -> {
      if (t == null) {
        throw ApiException.notFound("token", id);
      }
      return pool.withTransaction(tx -> tokens.revoke(tx, id).compose(revoked -> audit.record(tx, Audits.entry(ctx, who,
          t.getString("tenant"), "token.revoke", "token", id, new JsonObject().put("name", t.getString("name"))
              .put("alreadyRevoked", !revoked)))));
    }).map(Api.then(v -> Replies.noContent(ctx)));
  }

  private Future<?> createUser(RoutingContext ctx, Principal who) {
    Body body = Body.of(ctx, Set.of("name", "password", "role", "tenant"));
    String name = body.string("name", 200);
    String password = body.optText("password", 1024);
    if (password == null) {
      throw ApiException.missing("password");
    }
    if (password.length() < MIN_PASSWORD) {
      throw ApiException.invalid("password", "must be at least " + MIN_PASSWORD + " characters");
    }
    Role role = role(body);
    String tenant = tenantOf(body, role);
    String id = Sql.newId("usr");
    return checkTenant(tenant)
        .compose(v -> vertx.executeBlocking(() -> hasher.hash(password), false))
        .compose(hash -> pool.withTransaction(tx -> users.insert(tx, id, tenant, name, role, hash)
            .compose(v -> audit.record(tx, Audits.entry(ctx, who, tenant, "user.create", "user", id,
                new JsonObject().put("name", name).put("role", role.wire()))))
            .compose(v -> users.get(tx, id))))
        .map(Api.then(user -> Replies.json(ctx, 201, user)));
  }

  private Future<?> disableUser(RoutingContext ctx, Principal who) {
    String id = ctx.pathParam("id");
    if (!Validation.plausibleId(id)) {
      throw ApiException.notFound("user", id);
    }
    return pool.withTransaction(tx -> users.get(tx, id).compose(user -> {
      if (user == null) {
        throw ApiException.notFound("user", id);
      }
      return users.disable(tx, id)
          .compose(v -> tokens.revokeSessionsOf(tx, id))
          .compose(n -> audit.record(tx, Audits.entry(ctx, who, user.getString("tenant"), "user.disable", "user", id,
              new JsonObject().put("name", user.getString("name")).put("sessionsRevoked", n))));
    })).map(Api.then(v -> Replies.noContent(ctx)));
  }

  private Future<?> audit(RoutingContext ctx, Principal who) {
    String tenant = ctx.queryParams().get("tenant");
    Long before = queryLong(ctx, "before", 1, Long.MAX_VALUE);
    Long limit = queryLong(ctx, "limit", 1, MAX_AUDIT_ROWS);
    return audit.list(tenant, before, limit == null ? 100 : limit.intValue()).map(Api.then(l -> array(ctx, l)));
  }

  private static Role role(Body body) {
    String role = body.optChoice("role", ROLES);
    if (role == null) {
      throw ApiException.missing("role");
    }
    return Role.parse(role);
  }

  /** Admins span every tenant; operators and viewers need exactly one. */
  private static String tenantOf(Body body, Role role) {
    String tenant = body.optString("tenant", 64);
    if (role == Role.ADMIN && tenant != null) {
      throw ApiException.invalid("tenant", "an admin spans all tenants; leave tenant out");
    }
    if (role != Role.ADMIN && tenant == null) {
      throw ApiException.missing("tenant");
    }
    return tenant;
  }

  private Future<Void> checkTenant(String tenant) {
    if (tenant == null) {
      return Future.succeededFuture();
    }
    return tenants.exists(tenant).map(exists -> {
      if (!exists) {
        throw ApiException.invalid("tenant", "no such tenant");
      }
      return null;
    });
  }

  static Long queryLong(RoutingContext ctx, String name, long min, long max) {
    String text = ctx.queryParams().get(name);
    if (text == null) {
      return null;
    }
    try {
      long v = Long.parseLong(text);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ApiException(400, "INVALID_PARAMETER", name, name + ": must be an integer between " + min + " and " + max);
  }

  private static void array(RoutingContext ctx, List<JsonObject> list) {
    Replies.json(ctx, 200, new JsonArray(List.copyOf(list)));
  }
}
