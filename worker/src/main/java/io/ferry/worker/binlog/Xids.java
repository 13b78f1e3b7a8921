package io.ferry.worker.binlog;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One spelling for an XA transaction's id, whether it comes from the binlog's XA_PREPARE event (format id,
 * gtrid and bqual bytes) or from the text of {@code XA COMMIT}/{@code XA ROLLBACK} (the server logs
 * {@code X'hex',X'hex',formatId}; a client may have written quoted strings): {@code formatId:gtridHex:bqualHex}.
 */
public final class Xids {
  /** {@code XA COMMIT|ROLLBACK <gtrid> [, <bqual> [, <formatId>]] [ONE PHASE]}, each part hex or quoted. */
  private static final Pattern OUTCOME = Pattern.compile(
      "XA\\s+(COMMIT|ROLLBACK)\\s+" + part("g") + "(?:\\s*,\\s*" + part("b") + "(?:\\s*,\\s*(?<f>\\d+))?)?"
          + "\\s*(?<one>ONE\\s+PHASE)?\\s*;?\\s*",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private Xids() {}

  private static String part(String name) {
    return "(?:X'(?<" + name + "x>[0-9A-Fa-f]*)'|'(?<" + name + "q>(?:[^'\\\\]|''|\\\\.)*)')";
  }

  public static String key(int formatId, byte[] gtrid, byte[] bqual) {
    HexFormat hex = HexFormat.of();
    return formatId + ":" + hex.formatHex(gtrid) + ":" + hex.formatHex(bqual);
  }

  /** What an {@code XA COMMIT}/{@code XA ROLLBACK} statement names; null when it is not one. */
  public static Outcome outcome(String sql) {
    Matcher m = OUTCOME.matcher(sql.trim());
    if (!m.matches()) {
      return null;
    }
    byte[] gtrid = bytes(m.group("gx"), m.group("gq"));
    byte[] bqual = m.group("bx") == null && m.group("bq") == null ? new byte[0] : bytes(m.group("bx"), m.group("bq"));
    int format = m.group("f") == null ? 1 : Integer.parseInt(m.group("f"));
    return new Outcome(key(format, gtrid, bqual), m.group(1).equalsIgnoreCase("COMMIT"), m.group("one") != null);
  }

  private static byte[] bytes(String hex, String quoted) {
    if (hex != null) {
      return HexFormat.of().parseHex(hex);
    }
    return quoted.replace("''", "'").replaceAll("\\\\(.)", "$1").getBytes(StandardCharsets.UTF_8);
  }

  /** The xid an outcome names, whether it commits, and whether it is a one-phase commit. */
  public record Outcome(String xid, boolean commit, boolean onePhase) {}
}
