package io.ferry.controlplane.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard: the static files of the web-ui module (classpath {@value #WEBROOT}), served at {@code /}
 * on the API's own port, and the security headers every answer carries. The policy allows scripts,
 * styles and connections from this origin only: no inline script or style, nothing from elsewhere, no
 * framing. The dashboard authenticates like any API client (a bearer token it keeps in the tab's
 * session storage, sent on each fetch, also for the event stream), so there is no cookie to forge
 * requests with.
 */
public final class Dashboard {
  public static final String WEBROOT = "webroot";
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none';"
      + " form-action 'none'; frame-ancestors 'none'";
  /** Every path but the API's, {@code /health} and {@code /metrics}. */
  private static final String ASSET_PATHS = "^/(?!api(?:/|$)|health$|metrics$).*";

  private Dashboard() {}

  /** Adds the security headers to every answer; call before any other route is added. */
  public static void securityHeaders(Router router) {
    router.route().handler(Dashboard::headers);
  }

  /** Serves the dashboard's files; call after the API's routes so that none of theirs is shadowed. */
  public static void assets(Router router) {
    StaticHandler files = StaticHandler.create(FileSystemAccess.RELATIVE, WEBROOT)
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setIndexPage("index.html")
        .setDefaultContentEncoding("UTF-8");
    // one route for both methods: a missing file then falls through to the router's 404, not a 405
    router.routeWithRegex(ASSET_PATHS).method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(Dashboard::revalidate).handler(files);
  }

  private static void headers(RoutingContext ctx) {
    HttpServerResponse r = ctx.response();
    r.putHeader("x-content-type-options", "nosniff")
        .putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
        .putHeader("x-frame-options", "DENY")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("cross-origin-opener-policy", "same-origin")
        .putHeader("cross-origin-resource-policy", "same-origin");
    ctx.next();
  }

  /** A new version of Ferry serves new files at the same paths: browsers must ask again each time. */
  private static void revalidate(RoutingContext ctx) {
    ctx.response().putHeader("cache-control", "no-cache");
    ctx.next();
  }
}
