package io.ferry.mariadb.check;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A fingerprint of a table's data, comparable across servers and versions.
 *
 * <p>{@link #rowDigest()} is the proof of equality: every row is rendered by the server as
 * {@code MD5(CONCAT_WS(',', token(col1), token(col2), ...))} over all stored (non-generated) columns (see
 * {@link TableColumns} for the tokens: exact UTF-8 bytes for text, raw bytes for binary, an explicit NULL marker),
 * the rows are read in primary key order (by the row digest itself when there is no primary key), and their digests
 * are folded into one SHA-256. Two tables with the same rows in the same stored columns have the same row digest,
 * whatever their charsets, collations, row formats or server versions.
 *
 * <p>{@link #checksumTable()} is the server's {@code CHECKSUM TABLE} value: cheap, but it depends on the table
 * definition (column types, row format), so it is only comparable between identically defined tables.
 *
 * @param database the schema
 * @param table the table
 * @param rowCount number of rows
 * @param rowDigest SHA-256 (hex) over the ordered per-row digests
 * @param checksumTable the {@code CHECKSUM TABLE} value, or null if the server returned none
 * @param columns the stored columns the digest covers, in table order
 */
public record TableChecksum(String database, String table, long rowCount, String rowDigest, Long checksumTable,
        List<String> columns) {

    public TableChecksum {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(rowDigest, "rowDigest");
        columns = List.copyOf(columns);
    }

    /**
     * Computes the checksum of {@code db.table} on this connection. Reads the rows streaming (one row digest at a
     * time), so it works for large tables; the connection must not be used by another thread meanwhile.
     */
    public static TableChecksum compute(Connection c, String db, String table) throws SQLException {
        TableColumns meta = TableColumns.load(c, db, table);
        String digestExpr = TableColumns.rowDigest(meta.columns());
        String sql = "SELECT " + digestExpr + " AS row_digest FROM " + meta.qualifiedName()
                + meta.orderBy("row_digest");
        MessageDigest fold = sha256();
        long rows = 0;
        try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    fold.update(rs.getString(1).getBytes(StandardCharsets.US_ASCII));
                    fold.update((byte) '\n');
                    rows++;
                }
            }
        }
        Long checksum = null;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CHECKSUM TABLE " + meta.qualifiedName())) {
            if (rs.next()) {
                long v = rs.getLong(2);
                checksum = rs.wasNull() ? null : v;
            }
        }
        List<String> names = meta.columns().stream().map(TableColumns.Column::name).toList();
        return new TableChecksum(db, table, rows, HexFormat.of().formatHex(fold.digest()), checksum, names);
    }

    /** Whether the other table holds the same rows (same count and row digest); names and CHECKSUM TABLE ignored. */
    public boolean sameDataAs(TableChecksum other) {
        return rowCount == other.rowCount && rowDigest.equals(other.rowDigest);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
