package io.ferry.controlplane.api;

import io.ferry.controlplane.auth.Principal;
import io.ferry.controlplane.auth.Role;
import io.ferry.controlplane.auth.TokenAuth;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Registers routes on one {@link Router}, each with the roles that may call it, and remembers them so
 * the OpenAPI document can be checked against what is really served. Every route gets the body limit
 * and the JSON failure handler; every non-public route the token check first.
 */
public final class Api {
  public static final Set<Role> PUBLIC = Collections.unmodifiableSet(EnumSet.noneOf(Role.class));
  public static final Set<Role> ANY = Collections.unmodifiableSet(EnumSet.allOf(Role.class));
  public static final Set<Role> WRITE = Collections.unmodifiableSet(EnumSet.of(Role.ADMIN, Role.OPERATOR));
  public static final Set<Role> ADMIN = Collections.unmodifiableSet(EnumSet.of(Role.ADMIN));

  /** A served route: its method, its path in OpenAPI form ({@code /api/v1/jobs/{id}}) and its roles. */
  public record RouteSpec(HttpMethod method, String path, Set<Role> roles) {}

  /** A route's work after authentication; it answers on success, a failed future or a throw is the error. */
  @FunctionalInterface
  public interface Action {
    Future<?> handle(RoutingContext ctx, Principal who) throws Exception;
  }

  private final Router router;
  private final TokenAuth auth;
  private final List<RouteSpec> specs = new ArrayList<>();
  private final List<Runnable> closers = new ArrayList<>();

  public Api(Router router, TokenAuth auth, long bodyLimit) {
    this.router = router;
    this.auth = auth;
    router.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
    for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, Replies::failureHandler);
    }
  }

  public Router router() {
    return router;
  }

  public List<RouteSpec> specs() {
    return List.copyOf(specs);
  }

  /** Runs {@code closer} when the routes are taken down (timers, fleet subscriptions). */
  public void onClose(Runnable closer) {
    closers.add(closer);
  }

  /** Stops what the routes started; called when the HTTP server stops. */
  public void close() {
    closers.forEach(Runnable::run);
    closers.clear();
  }

  /** A route that needs a token with one of {@code roles}. */
  public void route(HttpMethod method, String path, Set<Role> roles, Action action) {
    specs.add(new RouteSpec(method, path, roles));
    router.route(method, vertxPath(path))
        .handler(auth.require(roles))
        .handler(ctx -> run(ctx, TokenAuth.principal(ctx), action))
        .failureHandler(Replies::failureHandler);
  }

  /** A route anyone may call. */
  public void open(HttpMethod method, String path, Handler<RoutingContext> handler) {
    specs.add(new RouteSpec(method, path, PUBLIC));
    router.route(method, vertxPath(path)).handler(handler).failureHandler(Replies::failureHandler);
  }

  static void run(RoutingContext ctx, Principal who, Action action) {
    try {
      Future<?> done = action.handle(ctx, who);
      if (done != null) {
        done.onFailure(e -> Replies.fail(ctx, e));
      }
    } catch (Exception e) {
      Replies.fail(ctx, e);
    }
  }

  /**
   * Turns an answer into a mapping step, so that an exception while answering fails the action's
   * future (and becomes a JSON error) instead of escaping to the event loop with the request unanswered.
   */
  public static <T> java.util.function.Function<T, Void> then(java.util.function.Consumer<T> reply) {
    return value -> {
      reply.accept(value);
      return null;
    };
  }

  /** {@code /jobs/{id}} → {@code /jobs/:id}. */
  public static String vertxPath(String openApiPath) {
    return openApiPath.replaceAll("\\{([A-Za-z]+)}", ":$1");
  }

  /** {@code /jobs/:id} → {@code /jobs/{id}}. */
  public static String openApiPath(String vertxPath) {
    return vertxPath.replaceAll(":([A-Za-z]+)", "{$1}");
  }

  /** The tenant a create acts in: an admin's {@code tenant} field (default {@code default}), else the caller's. */
  public static String tenantFor(Principal who, String requested) {
    if (!who.isAdmin()) {
      if (requested != null) {
        throw ApiException.invalid("tenant", "only an admin names the tenant; yours is implied by your token");
      }
      return who.tenantId();
    }
    return requested == null ? io.ferry.controlplane.auth.Bootstrap.DEFAULT_TENANT : requested;
  }
}
