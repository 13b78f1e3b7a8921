package io.ferry.worker.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The type torture tables of {@link TypeFidelityIT}: {@code torture} (primary key {@code id}) and
 * {@code torture_nokey} (same columns, no key, so updates and deletes are matched on the whole row image),
 * and the row values written to them, as SQL expressions.
 *
 * <p>Every value is written with {@code sql_mode='STRICT_ALL_TABLES'}: a value the server would silently
 * clamp or convert fails instead, so the source really holds the edge values below. Zero and partial dates
 * are allowed because neither NO_ZERO_DATE nor NO_ZERO_IN_DATE is set. Only the ENUM error value (index 0)
 * needs {@code sql_mode=''}.
 */
final class TypeTorture {
  static final String KEYED = "torture";
  static final String KEYLESS = "torture_nokey";
  static final List<String> TABLES = List.of(KEYED, KEYLESS);

  /** A 64-member SET: bit 63 set makes the logged bitmask a negative Long. */
  private static final String SET64 = IntStream.rangeClosed(1, 64).mapToObj(i -> String.format("'m%02d'", i))
      .collect(Collectors.joining(","));

  /** Column name and definition, in table order; generated columns sit between stored ones on purpose. */
  private static final String[][] COLUMNS = {
      {"id", "INT NOT NULL"},
      {"g_virt", "BIGINT AS (i32 + 1) VIRTUAL"},
      {"y", "YEAR"},
      {"bit1", "BIT(1)"},
      {"bit7", "BIT(7)"},
      {"bit64", "BIT(64)"},
      {"dec65", "DECIMAL(65,30)"},
      {"dec_u", "DECIMAL(12,4) UNSIGNED"},
      {"f", "FLOAT"},
      {"d", "DOUBLE"},
      {"i8", "TINYINT"},
      {"u8", "TINYINT UNSIGNED"},
      {"i16", "SMALLINT"},
      {"u16", "SMALLINT UNSIGNED"},
      {"i24", "MEDIUMINT"},
      {"u24", "MEDIUMINT UNSIGNED"},
      {"i32", "INT"},
      {"u32", "INT UNSIGNED"},
      {"i64", "BIGINT"},
      {"u64", "BIGINT UNSIGNED"},
      {"d_date", "DATE"},
      {"dt0", "DATETIME"},
      {"dt1", "DATETIME(1)"},
      {"dt2", "DATETIME(2)"},
      {"dt3", "DATETIME(3)"},
      {"dt4", "DATETIME(4)"},
      {"dt5", "DATETIME(5)"},
      {"dt6", "DATETIME(6)"},
      {"tm0", "TIME"},
      {"tm1", "TIME(1)"},
      {"tm2", "TIME(2)"},
      {"tm3", "TIME(3)"},
      {"tm4", "TIME(4)"},
      {"tm5", "TIME(5)"},
      {"tm6", "TIME(6)"},
      {"ts0", "TIMESTAMP NULL DEFAULT NULL"},
      {"ts1", "TIMESTAMP(1) NULL DEFAULT NULL"},
      {"ts2", "TIMESTAMP(2) NULL DEFAULT NULL"},
      {"ts3", "TIMESTAMP(3) NULL DEFAULT NULL"},
      {"ts4", "TIMESTAMP(4) NULL DEFAULT NULL"},
      {"ts5", "TIMESTAMP(5) NULL DEFAULT NULL"},
      {"ts6", "TIMESTAMP(6) NULL DEFAULT NULL"},
      {"c_small", "CHAR(10) CHARACTER SET utf8mb4"},
      {"c_big", "CHAR(100) CHARACTER SET utf8mb4"},
      {"vc_small", "VARCHAR(20) CHARACTER SET utf8mb4"},
      {"vc_big", "VARCHAR(300) CHARACTER SET utf8mb4"},
      {"txt", "TEXT CHARACTER SET utf8mb4"},
      {"c_latin1", "CHAR(20) CHARACTER SET latin1"},
      {"vc_latin1", "VARCHAR(300) CHARACTER SET latin1"},
      {"txt_latin1", "TEXT CHARACTER SET latin1"},
      {"vc_bin", "VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"},
      {"g_stored", "VARCHAR(310) CHARACTER SET utf8mb4 AS (CONCAT(vc_big, '!')) PERSISTENT"},
      {"bin8", "BINARY(8)"},
      {"vbin", "VARBINARY(300)"},
      {"tblob", "TINYBLOB"},
      {"blb", "BLOB"},
      {"mblob", "MEDIUMBLOB"},
      {"lblob", "LONGBLOB"},
      {"ltext", "LONGTEXT CHARACTER SET utf8mb4"},
      {"e", "ENUM('a','b','ü','€') CHARACTER SET utf8mb4"},
      {"s", "SET('a','b','c','ü') CHARACTER SET utf8mb4"},
      {"s64", "SET(" + SET64 + ")"},
      {"j", "JSON"},
      {"geo", "GEOMETRY"},
      {"pt", "POINT"},
      {"poly", "POLYGON"},
      {"g_stored2", "VARBINARY(8) AS (LEFT(vbin, 4)) STORED"},
      {"g_virt2", "VARCHAR(20) CHARACTER SET latin1 AS (UPPER(c_latin1)) VIRTUAL"},
  };

  /**
   * ENUM and SET members with 4-byte characters. MariaDB prints them as '?' in SHOW CREATE TABLE and
   * information_schema (its metadata character set is utf8mb3), so a destination table created from SHOW CREATE
   * TABLE would have a '?' member; this table is therefore created on both sides by the test, and shows that the
   * values themselves arrive exactly. (Two such members in one column collide as a "duplicated value '?'".)
   */
  static final String EMOJI_ENUM = "enum4";
  static final String EMOJI_ENUM_DDL = " (id INT PRIMARY KEY, e ENUM('a','😀','ü') CHARACTER SET utf8mb4,"
      + " s SET('x','𝄞','ü') CHARACTER SET utf8mb4)";

  private TypeTorture() {}

  /** Creates the database (utf8mb4) and both tables. */
  static void createTables(Connection c, String db) throws SQLException {
    String cols = java.util.Arrays.stream(COLUMNS).map(col -> "`" + col[0] + "` " + col[1])
        .collect(Collectors.joining(", "));
    try (Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4");
      s.execute("CREATE TABLE " + db + "." + KEYED + " (" + cols + ", PRIMARY KEY (id)) ENGINE=InnoDB");
      s.execute("CREATE TABLE " + db + "." + KEYLESS + " (" + cols + ") ENGINE=InnoDB");
    }
  }

  /** The stored columns (what a statement may write), in table order. */
  static List<String> storedColumns() {
    List<String> out = new ArrayList<>();
    for (String[] c : COLUMNS) {
      if (!c[1].contains(" AS (")) {
        out.add(c[0]);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- row values

  /** One row's value per stored column except id, as SQL expressions. */
  static final class Spec {
    final Map<String, String> values = new LinkedHashMap<>();

    Spec put(String column, String sql) {
      values.put(column, sql);
      return this;
    }

    /** Same value for col0..col6 (or a subset), built from the fractional-second precision. */
    Spec fsp(String prefix, int[] precisions, java.util.function.IntFunction<String> literal) {
      for (int p : precisions) {
        put(prefix + p, literal.apply(p));
      }
      return this;
    }

    Spec complete() {
      for (String c : storedColumns()) {
        if (!c.equals("id") && !values.containsKey(c)) {
          throw new IllegalStateException("spec lacks column " + c);
        }
      }
      return this;
    }
  }

  private static final int[] ALL_FSP = {0, 1, 2, 3, 4, 5, 6};
  private static final int[] TS_FSP = {0, 1, 2, 3, 4, 5, 6};

  /** {@code base} plus '.' and {@code p} digits taken from {@code digits} (nothing for p = 0), quoted. */
  static String frac(String base, int p, String digits) {
    return q(p == 0 ? base : base + "." + digits.substring(0, p));
  }

  /** The smallest non-zero fraction of precision p: .1, .01, ..., .000001; for p = 0 the whole {@code zeroFsp}. */
  static String tiny(String base, int p, String zeroFsp) {
    return p == 0 ? q(zeroFsp) : q(base + "." + "0".repeat(p - 1) + "1");
  }

  /** A SQL string literal (the connection character set is utf8mb4). */
  static String q(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\\0") + "'";
  }

  static String hex(byte[] b) {
    return b.length == 0 ? "''" : "X'" + java.util.HexFormat.of().formatHex(b) + "'";
  }

  private static final String NINES30 = "9".repeat(30);
  private static final String NINES35 = "9".repeat(35);

  /** All numeric minimums, the oldest dates, the most negative TIMEs, the first TIMESTAMP second. */
  static Spec min() {
    return new Spec()
        .put("y", "1901").put("bit1", "b'0'").put("bit7", "b'0000000'").put("bit64", "b'0'")
        .put("dec65", "-" + NINES35 + "." + NINES30).put("dec_u", "0")
        .put("f", "-3.4028234663852886e38").put("d", "-1.7976931348623157e308")
        .put("i8", "-128").put("u8", "0").put("i16", "-32768").put("u16", "0").put("i24", "-8388608").put("u24", "0")
        .put("i32", "-2147483648").put("u32", "0").put("i64", "-9223372036854775808").put("u64", "0")
        .put("d_date", q("1000-01-01"))
        .fsp("dt", ALL_FSP, p -> frac("1000-01-01 00:00:00", p, "000000"))
        .fsp("tm", ALL_FSP, p -> frac("-838:59:59", p, "999999"))
        // The source runs at +05:30: this is 1970-01-01 00:00:01 UTC (epoch 1), plus the smallest fraction.
        .fsp("ts", ALL_FSP, p -> tiny("1970-01-01 05:30:01", p, "1970-01-01 05:30:01"))
        .put("c_small", q("a")).put("c_big", q("😀")).put("vc_small", q(""))
        .put("vc_big", q("  leading and trailing blanks  "))
        .put("txt", q("tab\there\nnewline \"dq\" 'sq' back\\slash \0 nul"))
        .put("c_latin1", q("é")).put("vc_latin1", q("ÿ")).put("txt_latin1", q("Ünïcödé in latin1 ©®±µ¿ß"))
        .put("vc_bin", q("Aa"))
        .put("bin8", "X'00'").put("vbin", "X'00'").put("tblob", "X'00'").put("blb", "X'FF'")
        .put("mblob", "X'0000'").put("lblob", "X'FF00'").put("ltext", q("😀"))
        .put("e", q("a")).put("s", q("a")).put("s64", q("m01"))
        .put("j", q("[]"))
        .put("geo", "ST_GeomFromText('POINT(-180 -90)')").put("pt", "ST_GeomFromText('POINT(-1.5 -2.25)')")
        .put("poly", "ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))')")
        .complete();
  }

  /** All numeric maximums, the latest dates, the largest TIMEs and TIMESTAMPs, the longest strings. */
  static Spec max() {
    return new Spec()
        .put("y", "2155").put("bit1", "b'1'").put("bit7", "b'1111111'").put("bit64", "b'" + "1".repeat(64) + "'")
        .put("dec65", NINES35 + "." + NINES30).put("dec_u", "99999999.9999")
        .put("f", "3.4028234663852886e38").put("d", "1.7976931348623157e308")
        .put("i8", "127").put("u8", "255").put("i16", "32767").put("u16", "65535").put("i24", "8388607")
        .put("u24", "16777215").put("i32", "2147483647").put("u32", "4294967295").put("i64", "9223372036854775807")
        .put("u64", "18446744073709551615")
        .put("d_date", q("9999-12-31"))
        .fsp("dt", ALL_FSP, p -> frac("9999-12-31 23:59:59", p, "999999"))
        .fsp("tm", ALL_FSP, p -> frac("838:59:59", p, "999999"))
        // 2038-01-19 03:14:07.999999 UTC, the last TIMESTAMP, written at +05:30.
        .fsp("ts", ALL_FSP, p -> frac("2038-01-19 08:44:07", p, "999999"))
        .put("c_small", "REPEAT('é', 10)").put("c_big", "REPEAT('𝄞', 100)").put("vc_small", "REPEAT('ÿ', 20)")
        .put("vc_big", "REPEAT('😀', 300)").put("txt", "REPEAT('ü😀', 10922)")
        .put("c_latin1", "REPEAT('ÿ', 20)").put("vc_latin1", "REPEAT('é', 300)").put("txt_latin1", "REPEAT('þ', 65535)")
        .put("vc_bin", "REPEAT('Ω', 50)")
        .put("bin8", "X'FFFFFFFFFFFFFFFF'").put("vbin", "REPEAT(X'FF', 300)").put("tblob", "REPEAT(X'FE', 255)")
        .put("blb", "REPEAT(X'AB', 65535)").put("mblob", "REPEAT(X'00FF', 35000)")
        .put("lblob", "REPEAT(UNHEX(SHA2('ferry', 512)), 5000)").put("ltext", "REPEAT('ï😀', 40000)")
        .put("e", q("€")).put("s", q("a,b,c,ü")).put("s64", q(SET64.replace("'", "")))
        .put("j", q("{\"a\":{\"b\":[1,2,{\"c\":null,\"d\":[true,false]}]},\"u\":\"ünïcödé 😀 \\u00e9\","
            + "\"big\":18446744073709551615,\"neg\":-9223372036854775808,\"dbl\":1.7976931348623157e308,"
            + "\"tiny\":5e-324,\"pi\":3.141592653589793,\"esc\":\"q\\\" b\\\\ t\\t\"}"))
        .put("geo", "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1,2 0),"
            + "POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,2 1,2 2,1 1)))')")
        .put("pt", "ST_GeomFromText('POINT(179.99999999999997 89.99999999999999)', 4326)")
        .put("poly", "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2))')")
        .complete();
  }

  /** Zeros: 0, zero dates, the zero TIMESTAMP, YEAR 0000, empty strings, empty SET. */
  static Spec zero() {
    return new Spec()
        .put("y", "0").put("bit1", "0").put("bit7", "0").put("bit64", "0")
        .put("dec65", "0").put("dec_u", "0").put("f", "0").put("d", "0")
        .put("i8", "0").put("u8", "0").put("i16", "0").put("u16", "0").put("i24", "0").put("u24", "0")
        .put("i32", "0").put("u32", "0").put("i64", "0").put("u64", "0")
        .put("d_date", q("0000-00-00"))
        .fsp("dt", ALL_FSP, p -> frac("0000-00-00 00:00:00", p, "000000"))
        .fsp("tm", ALL_FSP, p -> frac("00:00:00", p, "000000"))
        .fsp("ts", ALL_FSP, p -> frac("0000-00-00 00:00:00", p, "000000"))
        .put("c_small", q("")).put("c_big", q("")).put("vc_small", q("")).put("vc_big", q("")).put("txt", q(""))
        .put("c_latin1", q("")).put("vc_latin1", q("")).put("txt_latin1", q("")).put("vc_bin", q(""))
        .put("bin8", q("")).put("vbin", q("")).put("tblob", q("")).put("blb", q("")).put("mblob", q(""))
        .put("lblob", q("")).put("ltext", q(""))
        .put("e", q("a")).put("s", q("")).put("s64", q(""))
        .put("j", q("{}"))
        .put("geo", "ST_GeomFromText('POINT(0 0)')").put("pt", "ST_GeomFromText('POINT(0 0)')")
        .put("poly", "ST_GeomFromText('POLYGON((0 0,0 1,1 1,0 0))')")
        .complete();
  }

  /** SQL NULL in every nullable column. */
  static Spec nulls() {
    Spec s = new Spec();
    for (String c : storedColumns()) {
      if (!c.equals("id")) {
        s.put(c, "NULL");
      }
    }
    return s.complete();
  }

  /**
   * The awkward middle: -1 and 2^(n-1) in every integer, negative zero, partial dates, negative TIMEs of
   * a single fraction unit, DST-edge TIMESTAMPs, 4-byte and combining characters, trailing zero bytes,
   * every byte value, the JSON null literal, a SET whose bit 63 is set.
   */
  static Spec tricky() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    return new Spec()
        .put("y", "2000").put("bit1", "b'1'").put("bit7", "b'1010101'").put("bit64", "X'8000000000000001'")
        .put("dec65", "-0." + "0".repeat(29) + "1").put("dec_u", "0.0001")
        .put("f", "1.0000001").put("d", "-0e0")
        .put("i8", "-1").put("u8", "128").put("i16", "-1").put("u16", "32768").put("i24", "-1").put("u24", "8388608")
        .put("i32", "-1").put("u32", "2147483648").put("i64", "-1").put("u64", "9223372036854775808")
        .put("d_date", q("2020-00-15"))
        .fsp("dt", ALL_FSP, p -> frac("2020-00-15 12:34:56", p, "123456"))
        .fsp("tm", ALL_FSP, p -> tiny("-00:00:00", p, "-00:00:01"))
        // Where a named zone would have a DST gap (US, 2021-03-14 02:30) — written at +05:30.
        .fsp("ts", ALL_FSP, p -> frac("2021-03-14 02:30:00", p, "654321"))
        .put("c_small", q("Zoë👩‍👩‍👧")).put("c_big", q("e\u0301 combining, 𝄞 clef, 中文, עברית, 😀 trailing  "))
        .put("vc_small", q("trail  ")).put("vc_big", q("👩‍👩‍👧‍👦 ZWJ family · ✓ · \u00a0nbsp"))
        .put("txt", q("multi\r\nline\u2028sep 😀"))
        .put("c_latin1", q("café ÿ ñ ß ©")).put("vc_latin1", q("àáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ"))
        .put("txt_latin1", q("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿"))
        .put("vc_bin", q("aA😀é"))
        .put("bin8", "X'0102'").put("vbin", "X'00FF00FF0000'").put("tblob", "X'00'").put("blb", hex(all))
        .put("mblob", "REPEAT(X'00', 70000)").put("lblob", hex(all)).put("ltext", q("😀"))
        .put("e", q("ü")).put("s", q("ü,a")).put("s64", q("m01,m64"))
        .put("j", q("null"))
        .put("geo", "ST_GeomFromText('LINESTRING(0 0,1.5 2.25,-3 4)', 4326)")
        .put("pt", "ST_GeomFromText('POINT(-0.1 0.30000000000000004)')")
        .put("poly", "ST_GeomFromText('POLYGON((1 1,2 1,2 2,1 1))', 3857)")
        .complete();
  }

  /** Small floats: subnormal minimums, -0 in FLOAT, the smallest normal DOUBLE; >24h TIMEs; partial day. */
  static Spec small() {
    return new Spec()
        .put("y", "1970").put("bit1", "b'0'").put("bit7", "b'1'").put("bit64", "b'1'")
        .put("dec65", "0." + "0".repeat(29) + "1").put("dec_u", "1")
        .put("f", "1.401298464324817e-45").put("d", "4.9e-324")
        .put("i8", "1").put("u8", "1").put("i16", "1").put("u16", "1").put("i24", "1").put("u24", "1")
        .put("i32", "1").put("u32", "1").put("i64", "1").put("u64", "1")
        .put("d_date", q("2021-02-00"))
        .fsp("dt", ALL_FSP, p -> frac("0000-00-00 10:11:12", p, "500000"))
        .fsp("tm", ALL_FSP, p -> frac("100:00:00", p, "500000"))
        // Where a named zone repeats an hour (US, 2021-11-07 01:30).
        .fsp("ts", ALL_FSP, p -> frac("2021-11-07 01:30:00", p, "000001"))
        .put("c_small", q("x")).put("c_big", q("y")).put("vc_small", q("z")).put("vc_big", q("w"))
        .put("txt", q("t")).put("c_latin1", q("Ä")).put("vc_latin1", q("Ö")).put("txt_latin1", q("Ü"))
        .put("vc_bin", q("b"))
        .put("bin8", "X'0000000000000001'").put("vbin", "X'FF'").put("tblob", "X'01'").put("blb", "X'02'")
        .put("mblob", "X'03'").put("lblob", "X'04'").put("ltext", q("l"))
        .put("e", q("b")).put("s", q("b")).put("s64", q("m32,m33"))
        .put("j", q("[1e2,-0.0,1.0E-7,12345678901234567890123,\"😀\",{\"k\":{}}]"))
        .put("geo", "ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))')")
        .put("pt", "ST_GeomFromText('POINT(1e-300 -1e300)')")
        .put("poly", "ST_GeomFromText('POLYGON((0 0,3 0,3 3,0 0))')")
        .complete();
  }

  /** More floats: -0 in FLOAT, the smallest normal DOUBLE, the classic 0.1+0.2. */
  static Spec floats() {
    Spec s = small();
    return s.put("f", "-0e0").put("d", "2.2250738585072014e-308").put("dec65", "12345.678901234567890123456789012345")
        .put("vc_big", q("floats")).put("e", q("a")).put("j", q("{\"x\":0.30000000000000004}"));
  }

  /** More floats: the smallest normal FLOAT (negative), 0.1+0.2 as a DOUBLE. */
  static Spec floats2() {
    Spec s = small();
    return s.put("f", "-1.1754943508222875e-38").put("d", "0.30000000000000004").put("vc_big", q("floats2"))
        .put("i64", "-4611686018427387904").put("u64", "4611686018427387904");
  }

  // ---------------------------------------------------------------- statements

  static String insert(String db, String table, Map<Integer, Spec> rows) {
    List<String> cols = storedColumns();
    StringBuilder sb = new StringBuilder("INSERT INTO " + db + "." + table + " ("
        + cols.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", ")) + ") VALUES ");
    boolean first = true;
    for (Map.Entry<Integer, Spec> row : rows.entrySet()) {
      sb.append(first ? "" : ", ").append('(').append(row.getKey());
      for (String c : cols.subList(1, cols.size())) {
        sb.append(", ").append(row.getValue().values.get(c));
      }
      sb.append(')');
      first = false;
    }
    return sb.toString();
  }

  /** Sets every stored column of row {@code id} (and the id itself to {@code newId}) to {@code spec}. */
  static String update(String db, String table, int id, int newId, Spec spec) {
    return "UPDATE " + db + "." + table + " SET id = " + newId + ", " + spec.values.entrySet().stream()
        .map(e -> "`" + e.getKey() + "` = " + e.getValue()).collect(Collectors.joining(", ")) + " WHERE id = " + id;
  }
}
