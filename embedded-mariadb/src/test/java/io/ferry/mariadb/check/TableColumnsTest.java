package io.ferry.mariadb.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableColumnsTest {
    @Test
    void generatedColumnsAreRecognised() {
        assertThat(TableColumns.isGenerated("VIRTUAL GENERATED", "ALWAYS")).isTrue();
        assertThat(TableColumns.isGenerated("STORED GENERATED", "NEVER")).isTrue();
        assertThat(TableColumns.isGenerated("PERSISTENT", null)).isTrue();
        assertThat(TableColumns.isGenerated("auto_increment", "NEVER")).isFalse();
        assertThat(TableColumns.isGenerated("INVISIBLE", "NEVER")).isFalse();
        assertThat(TableColumns.isGenerated(null, null)).isFalse();
    }

    @Test
    void tokensAreCanonical() {
        assertThat(new TableColumns.Column("name", "varchar", "varchar(10)").token())
                .isEqualTo("IFNULL(MD5(CONVERT(`name` USING utf8mb4)),'N')");
        assertThat(new TableColumns.Column("raw", "varbinary", "varbinary(10)").token())
                .isEqualTo("IFNULL(MD5(`raw`),'N')");
        assertThat(new TableColumns.Column("b", "bit", "bit(8)").canonical()).isEqualTo("HEX(`b`)");
        assertThat(new TableColumns.Column("t", "timestamp", "timestamp(3)").canonical())
                .isEqualTo("CAST(UNIX_TIMESTAMP(`t`) AS CHAR)");
        assertThat(new TableColumns.Column("n", "int", "int(11)").canonical()).isEqualTo("CAST(`n` AS CHAR)");
        assertThat(new TableColumns.Column("s", "char", "char(3)").order())
                .isEqualTo("CONVERT(`s` USING utf8mb4) COLLATE utf8mb4_bin");
    }

    @Test
    void identifiersAreQuoted() {
        assertThat(TableColumns.quote("we`ird")).isEqualTo("`we``ird`");
        assertThat(TableColumns.rowDigest(List.of(new TableColumns.Column("a", "int", "int"))))
                .isEqualTo("MD5(CONCAT_WS(',',IFNULL(MD5(CAST(`a` AS CHAR)),'N')))");
    }
}
