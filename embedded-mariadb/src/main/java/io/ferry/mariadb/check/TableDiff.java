package io.ferry.mariadb.check;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where two copies of a table differ, column by column and key by key.
 *
 * <p>Both sides are read with one token per stored column per row (see {@link TableColumns}). With a primary key
 * (the source's, else the destination's), rows are matched by key: a column differs when its token differs for some
 * key present on both sides, and a key differs when its row differs or is missing on one side. Without a primary key,
 * rows are matched as a multiset, a column differs when its multiset of values differs, and no key can be named.
 * Columns are matched by name; a column present on one side only is a schema difference. Type differences alone are
 * not: values are compared in their canonical form, so {@code INT 5} equals {@code BIGINT 5}.
 *
 * <p>Holds one 16-byte digest per column per row of both tables in memory: meant for test-sized tables.
 *
 * @param table the table compared
 * @param sourceRows rows on the source side
 * @param destinationRows rows on the destination side
 * @param differingColumns columns whose values differ, in source table order
 * @param differingKeys the first {@value #MAX_KEYS} differing primary keys, e.g. {@code id=7} or
 *     {@code id=9 (only in source)}
 * @param differingRowCount how many rows differ or are missing, on both sides together
 * @param schemaDifferences columns that exist on one side only
 */
public record TableDiff(String table, long sourceRows, long destinationRows, List<String> differingColumns,
        List<String> differingKeys, long differingRowCount, List<String> schemaDifferences) {

    /** How many differing keys are listed at most. */
    public static final int MAX_KEYS = 10;

    public TableDiff {
        differingColumns = List.copyOf(differingColumns);
        differingKeys = List.copyOf(differingKeys);
        schemaDifferences = List.copyOf(schemaDifferences);
    }

    /** Compares {@code srcDb.table} on {@code src} with {@code dstDb.table} on {@code dst}. */
    public static TableDiff compare(Connection src, String srcDb, Connection dst, String dstDb, String table)
            throws SQLException {
        TableColumns s = TableColumns.load(src, srcDb, table);
        TableColumns d = TableColumns.load(dst, dstDb, table);
        List<String> schema = new ArrayList<>();
        List<TableColumns.Column> common = new ArrayList<>();
        List<TableColumns.Column> commonDst = new ArrayList<>();
        for (TableColumns.Column c : s.columns()) {
            d.columns().stream().filter(x -> x.name().equalsIgnoreCase(c.name())).findFirst().ifPresentOrElse(x -> {
                common.add(c);
                commonDst.add(x);
            }, () -> schema.add("column " + c.name() + " only in source"));
        }
        for (TableColumns.Column c : d.columns()) {
            if (s.columns().stream().noneMatch(x -> x.name().equalsIgnoreCase(c.name()))) {
                schema.add("column " + c.name() + " only in destination");
            }
        }
        List<String> keyNames = (!s.primaryKey().isEmpty() ? s.primaryKey() : d.primaryKey()).stream()
                .map(TableColumns.Column::name).toList();
        List<TableColumns.Column> srcKey = pick(s.columns(), keyNames);
        List<TableColumns.Column> dstKey = pick(d.columns(), keyNames);
        boolean keyed = !keyNames.isEmpty() && srcKey.size() == keyNames.size() && dstKey.size() == keyNames.size();
        Map<List<String>, byte[][]> a = read(src, s, keyed ? srcKey : List.of(), common);
        Map<List<String>, byte[][]> b = read(dst, d, keyed ? dstKey : List.of(), commonDst);
        long srcRows = a.size();
        long dstRows = b.size();
        Set<String> columns = new LinkedHashSet<>();
        List<String> keys = new ArrayList<>();
        long differing;
        if (keyed) {
            differing = compareKeyed(a, b, common, keyNames, columns, keys);
        } else {
            differing = compareMultiset(a, b, common, columns);
        }
        List<String> inTableOrder = common.stream().map(TableColumns.Column::name).filter(columns::contains).toList();
        return new TableDiff(table, srcRows, dstRows, inTableOrder, keys, differing, schema);
    }

    /** True when both sides hold the same rows in the same columns. */
    public boolean equal() {
        return sourceRows == destinationRows && differingColumns.isEmpty() && differingRowCount == 0
                && schemaDifferences.isEmpty();
    }

    /** A one-paragraph summary, for assertion messages. */
    public String describe() {
        if (equal()) {
            return table + ": equal (" + sourceRows + " rows)";
        }
        return table + ": DIFFERENT — rows " + sourceRows + " vs " + destinationRows + ", " + differingRowCount
                + " differing rows, columns " + differingColumns + ", keys " + differingKeys
                + (schemaDifferences.isEmpty() ? "" : ", schema " + schemaDifferences);
    }

    private static List<TableColumns.Column> pick(List<TableColumns.Column> cols, List<String> names) {
        List<TableColumns.Column> out = new ArrayList<>();
        for (String n : names) {
            cols.stream().filter(c -> c.name().equalsIgnoreCase(n)).findFirst().ifPresent(out::add);
        }
        return out;
    }

    /**
     * Reads key display values and column tokens. Keyless tables are keyed by the row's tokens plus an occurrence
     * number, so duplicates are kept.
     */
    private static Map<List<String>, byte[][]> read(Connection c, TableColumns meta, List<TableColumns.Column> key,
            List<TableColumns.Column> cols) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (TableColumns.Column k : key) {
            sql.append(k.display()).append(", ");
        }
        sql.append(cols.isEmpty() ? "'N'" : cols.stream().map(TableColumns.Column::token)
                .collect(Collectors.joining(", ")));
        sql.append(" FROM ").append(meta.qualifiedName());
        if (!key.isEmpty()) {
            sql.append(" ORDER BY ").append(key.stream().map(TableColumns.Column::order).collect(Collectors.joining(", ")));
        }
        Map<List<String>, byte[][]> rows = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        HexFormat hex = HexFormat.of();
        try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rs = st.executeQuery(sql.toString())) {
                while (rs.next()) {
                    List<String> k = new ArrayList<>();
                    for (int i = 1; i <= key.size(); i++) {
                        k.add(rs.getString(i));
                    }
                    byte[][] tokens = new byte[cols.size()][];
                    for (int i = 0; i < cols.size(); i++) {
                        String t = rs.getString(key.size() + 1 + i);
                        tokens[i] = "N".equals(t) ? new byte[0] : hex.parseHex(t);
                    }
                    if (key.isEmpty()) {
                        String rowHex = Arrays.stream(tokens).map(hex::formatHex).collect(Collectors.joining(","));
                        k.add(rowHex);
                        k.add(Integer.toString(seen.merge(rowHex, 1, Integer::sum)));
                    }
                    rows.put(k, tokens);
                }
            }
        }
        return rows;
    }

    private static long compareKeyed(Map<List<String>, byte[][]> a, Map<List<String>, byte[][]> b,
            List<TableColumns.Column> cols, List<String> keyNames, Set<String> columns, List<String> keys) {
        long differing = 0;
        for (Map.Entry<List<String>, byte[][]> e : a.entrySet()) {
            byte[][] other = b.get(e.getKey());
            if (other == null) {
                differing++;
                addKey(keys, keyNames, e.getKey(), " (only in source)");
                continue;
            }
            boolean rowDiffers = false;
            for (int i = 0; i < cols.size(); i++) {
                if (!Arrays.equals(e.getValue()[i], other[i])) {
                    columns.add(cols.get(i).name());
                    rowDiffers = true;
                }
            }
            if (rowDiffers) {
                differing++;
                addKey(keys, keyNames, e.getKey(), "");
            }
        }
        for (List<String> k : b.keySet()) {
            if (!a.containsKey(k)) {
                differing++;
                addKey(keys, keyNames, k, " (only in destination)");
            }
        }
        return differing;
    }

    private static void addKey(List<String> keys, List<String> names, List<String> values, String suffix) {
        if (keys.size() >= MAX_KEYS) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(values.get(i));
        }
        keys.add((names.size() > 1 ? "(" + sb + ")" : sb.toString()) + suffix);
    }

    private static long compareMultiset(Map<List<String>, byte[][]> a, Map<List<String>, byte[][]> b,
            List<TableColumns.Column> cols, Set<String> columns) {
        for (int i = 0; i < cols.size(); i++) {
            if (!Arrays.equals(columnDigest(a, i), columnDigest(b, i))) {
                columns.add(cols.get(i).name());
            }
        }
        long differing = 0;
        for (List<String> k : a.keySet()) {
            differing += b.containsKey(k) ? 0 : 1;
        }
        for (List<String> k : b.keySet()) {
            differing += a.containsKey(k) ? 0 : 1;
        }
        return differing;
    }

    /** SHA-256 over the sorted tokens of one column: equal iff the multisets of values are equal. */
    private static byte[] columnDigest(Map<List<String>, byte[][]> rows, int column) {
        HexFormat hex = HexFormat.of();
        List<String> tokens = new ArrayList<>(rows.size());
        for (byte[][] r : rows.values()) {
            tokens.add(r[column].length == 0 ? "N" : hex.formatHex(r[column]));
        }
        tokens.sort(null);
        MessageDigest md = TableChecksum.sha256();
        for (String t : tokens) {
            md.update(t.getBytes(StandardCharsets.US_ASCII));
            md.update((byte) '\n');
        }
        return md.digest();
    }
}
