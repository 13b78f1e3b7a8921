package io.ferry.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of Ferry this code was built as (the Maven project version, written into
 * {@code ferry-version.properties} by the build). {@code ferry --version}, {@code GET /health} and the dashboard
 * show it, so an operator can tell which build a node runs.
 */
public final class FerryVersion {
  private static final String VERSION = load();

  private FerryVersion() {
  }

  /** The version, e.g. {@code 0.1.0}; "development build" when the classes were not built by Maven. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = FerryVersion.class.getResourceAsStream("ferry-version.properties")) {
      if (in == null) {
        return "development build";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "");
      return v.isBlank() || v.startsWith("${") ? "development build" : v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
