package io.ferry.controlplane.auth;

import java.util.Locale;

/**
 * What a token or person may do. {@code ADMIN} spans every tenant (its tenant is null); {@code OPERATOR}
 * reads and changes its tenant's connections and jobs; {@code VIEWER} reads its tenant's objects.
 */
public enum Role {
  ADMIN, OPERATOR, VIEWER;

  /** The API's spelling: {@code admin}, {@code operator}, {@code viewer}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
