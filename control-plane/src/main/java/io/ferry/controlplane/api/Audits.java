package io.ferry.controlplane.api;

import io.ferry.controlplane.auth.Principal;
import io.ferry.controlplane.store.AuditStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Builds the audit row of a request from its caller and remote address. */
final class Audits {
  private Audits() {}

  static AuditStore.Entry entry(RoutingContext ctx, Principal who, String tenantId, String action, String objectType,
      String objectId, JsonObject detail) {
    return new AuditStore.Entry(tenantId, who.actor(), who.actorId(), who.actorKind(), action, objectType, objectId,
        remote(ctx), detail);
  }

  static String remote(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
  }
}
