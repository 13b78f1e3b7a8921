package io.ferry.controlplane.api;

import io.ferry.controlplane.auth.Principal;
import io.ferry.controlplane.auth.TokenStore;
import io.ferry.controlplane.auth.Tokens;
import io.ferry.controlplane.auth.UserStore;
import io.ferry.controlplane.auth.UserStore.Account;
import io.ferry.controlplane.secrets.PasswordHasher;
import io.ferry.controlplane.store.AuditStore;
import io.ferry.controlplane.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Set;

/**
 * Dashboard sign-in and sign-out. A session is a token like any other (hashed in {@code api_tokens})
 * that belongs to a person and expires. Unknown names cost the same Argon2id verification as wrong
 * passwords, so the answer's timing does not tell which names exist.
 */
public final class SessionsRoutes {
  private final Vertx vertx;
  private final Pool pool;
  private final PasswordHasher hasher;
  private final Duration ttl;
  private final UserStore users;
  private final TokenStore tokens;
  private final AuditStore audit;
  private String decoyHash;

  public SessionsRoutes(Vertx vertx, Pool pool, PasswordHasher hasher, Duration ttl) {
    this.vertx = vertx;
    this.pool = pool;
    this.hasher = hasher;
    this.ttl = ttl;
    this.users = new UserStore(pool);
    this.tokens = new TokenStore(pool);
    this.audit = new AuditStore(pool);
  }

  public void register(Api api) {
    api.open(HttpMethod.POST, "/api/v1/sessions", ctx -> Api.run(ctx, null, this::signIn));
    api.route(HttpMethod.GET, "/api/v1/sessions/current", Api.ANY, this::whoAmI);
    api.route(HttpMethod.DELETE, "/api/v1/sessions/current", Api.ANY, this::signOut);
  }

  /** Who the token is: what the dashboard needs to show the right buttons after signing in with a token. */
  private Future<?> whoAmI(RoutingContext ctx, Principal who) {
    Replies.json(ctx, 200, new JsonObject().put("kind", who.userId() != null ? "session" : "token")
        .put("role", who.role().wire()).put("tenant", who.tenantId()).put("user", who.userName())
        .put("tokenName", who.tokenName()));
    return Future.succeededFuture();
  }

  private Future<?> signIn(RoutingContext ctx, Principal nobody) {
    Body body = Body.of(ctx, Set.of("name", "password"));
    String name = body.string("name", 200);
    String password = body.optText("password", 1024);
    if (password == null) {
      throw ApiException.missing("password");
    }
    return users.byName(name).compose(account -> vertx.executeBlocking(() -> {
      boolean ok = hasher.verify(password, account == null ? decoyHash() : account.passwordHash());
      return ok && account != null && !account.disabled() ? account : null;
    }, false)).compose(account -> account == null ? reject(ctx, name) : issue(ctx, account));
  }

  /** A hash no password matches, made on first use on a worker thread (hashing is slow by design). */
  private synchronized String decoyHash() {
    if (decoyHash == null) {
      decoyHash = hasher.hash(Tokens.generate());
    }
    return decoyHash;
  }

  private Future<Void> issue(RoutingContext ctx, Account account) {
    String token = Tokens.generate();
    return pool.withTransaction(tx -> tokens.create(tx, token, "session:" + account.name(), account.role(),
            account.tenantId(), account.id(), ttl.toSeconds())
        .compose(issued -> audit.record(tx, new AuditStore.Entry(account.tenantId(), account.name(), account.id(), "user",
            "session.create", "token", issued.id(), Audits.remote(ctx), null)).map(issued)))
        .map(Api.then(issued -> Replies.json(ctx, 201, new JsonObject().put("token", token)
            .put("expiresAt", Sql.text(issued.expiresAt())).put("role", account.role().wire())
            .put("tenant", account.tenantId()).put("user", account.name()))))
        .mapEmpty();
  }

  private Future<Void> reject(RoutingContext ctx, String name) {
    return audit.record(pool, new AuditStore.Entry(null, name, null, "user", "session.reject", "user", null,
            Audits.remote(ctx), null))
        .compose(v -> Future.failedFuture(new ApiException(401, "INVALID_CREDENTIALS",
            "the name or the password is wrong, or the account is disabled")));
  }

  private Future<?> signOut(RoutingContext ctx, Principal who) {
    if (who.userId() == null) {
      // An API token is not a session: signing out must not revoke a token that scripts (or the bootstrap
      // admin) share. DELETE /api/v1/tokens/{id} revokes one on purpose.
      return Future.failedFuture(new ApiException(409, "NOT_A_SESSION",
          "this call is made with an API token, not a sign-in session; revoke API tokens with DELETE /api/v1/tokens/{id}"));
    }
    return pool.withTransaction(tx -> tokens.revoke(tx, who.tokenId())
            .compose(v -> audit.record(tx, Audits.entry(ctx, who, who.tenantId(), "session.delete", "token",
                who.tokenId(), null))))
        .map(Api.then(v -> Replies.noContent(ctx)));
  }
}
