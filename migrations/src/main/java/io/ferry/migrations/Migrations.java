package io.ferry.migrations;

/** Where the metadata database's Flyway migrations live on the classpath. */
public final class Migrations {
  /** The Flyway location of Ferry's migrations ({@code V<n>__<what>.sql}). */
  public static final String LOCATION = "classpath:db/migration/ferry";

  private Migrations() {}
}
