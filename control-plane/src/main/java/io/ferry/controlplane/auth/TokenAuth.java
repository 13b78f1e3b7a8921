package io.ferry.controlplane.auth;

import io.ferry.controlplane.api.ApiException;
import io.ferry.controlplane.api.Replies;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;

/**
 * Checks {@code Authorization: Bearer <token>} against the stored hashes and the route's roles: no,
 * unknown, revoked or expired token → 401; a role the route does not allow → 403. The caller is left
 * in the context under {@link #PRINCIPAL}.
 */
public final class TokenAuth {
  public static final String PRINCIPAL = "ferry.principal";
  private static final String BEARER = "bearer ";

  private final TokenStore tokens;

  public TokenAuth(TokenStore tokens) {
    this.tokens = tokens;
  }

  /** A handler admitting callers with one of {@code roles}. */
  public Handler<RoutingContext> require(Set<Role> roles) {
    Set<Role> allowed = EnumSet.copyOf(roles);
    return ctx -> {
      String token = bearer(ctx.request().getHeader("Authorization"));
      if (token == null) {
        unauthorized(ctx);
        return;
      }
      tokens.authenticate(token).onComplete(ar -> {
        if (ar.failed()) {
          Replies.fail(ctx, ar.cause());
        } else if (ar.result() == null) {
          unauthorized(ctx);
        } else if (!allowed.contains(ar.result().role())) {
          ctx.put(PRINCIPAL, ar.result());
          Replies.fail(ctx, ApiException.forbidden("the " + ar.result().role().wire() + " role may not call this route"));
        } else {
          ctx.put(PRINCIPAL, ar.result());
          ctx.next();
        }
      });
    };
  }

  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  /** The token of the Authorization header, or null when there is none that could be a token. */
  static String bearer(String header) {
    if (header == null || header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String token = header.substring(BEARER.length()).trim();
    return Tokens.plausible(token) ? token : null;
  }

  private static void unauthorized(RoutingContext ctx) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"ferry\"");
    Replies.fail(ctx, new ApiException(401, "UNAUTHORIZED",
        "a valid bearer token is required (Authorization: Bearer <token>); it may be unknown, revoked or expired"));
  }
}
