package io.ferry.controlplane.auth;

/**
 * Who made a request: the token that authenticated it and, for a dashboard session, the person it
 * belongs to.
 *
 * @param tenantId the tenant an operator or viewer is bound to; null for an admin
 * @param userId the person of a session token, or null for an API token
 */
public record Principal(String tokenId, String tokenName, Role role, String tenantId, String userId, String userName) {
  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Whether objects of {@code tenant} exist for this caller at all (others are answered 404). */
  public boolean sees(String tenant) {
    return isAdmin() || tenantId.equals(tenant);
  }

  /** The audit trail's name of the actor: the person, else the token's name. */
  public String actor() {
    return userId != null ? userName : tokenName;
  }

  public String actorKind() {
    return userId != null ? "user" : "token";
  }

  public String actorId() {
    return userId != null ? userId : tokenId;
  }
}
