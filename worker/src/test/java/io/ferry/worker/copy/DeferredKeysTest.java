package io.ferry.worker.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting the deferrable keys off {@code SHOW CREATE TABLE} texts as MariaDB and MySQL print them. */
class DeferredKeysTest {
  @Test
  void plainKeysAreSplitOffWhereverTheyStandAndTheCommasStayRight() {
    String create = """
        CREATE TABLE `orders` (
          `id` bigint(20) NOT NULL,
          `customer` int(11) NOT NULL,
          `code` varchar(20) NOT NULL,
          `note` text DEFAULT NULL COMMENT 'KEY `x` (`y`), not a key',
          PRIMARY KEY (`id`),
          UNIQUE KEY `code` (`code`),
          KEY `by_customer` (`customer`,`id`),
          FULLTEXT KEY `ft` (`note`),
          KEY `prefix` (`code`(4)) COMMENT 'a, b'
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci
         PARTITION BY HASH (`id`)
        PARTITIONS 2""";
    DeferredKeys.Split split = DeferredKeys.split(create);
    assertThat(split.keys()).containsExactly("KEY `by_customer` (`customer`,`id`)",
        "KEY `prefix` (`code`(4)) COMMENT 'a, b'");
    assertThat(split.createTable()).isEqualTo("""
        CREATE TABLE `orders` (
          `id` bigint(20) NOT NULL,
          `customer` int(11) NOT NULL,
          `code` varchar(20) NOT NULL,
          `note` text DEFAULT NULL COMMENT 'KEY `x` (`y`), not a key',
          PRIMARY KEY (`id`),
          UNIQUE KEY `code` (`code`),
          FULLTEXT KEY `ft` (`note`)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci
         PARTITION BY HASH (`id`)
        PARTITIONS 2""");
  }

  @Test
  void mysqlInvisibleAndFunctionalKeysAreDeferredAsPrinted() {
    String create = """
        CREATE TABLE `t` (
          `id` int NOT NULL,
          `name` varchar(40) DEFAULT NULL,
          PRIMARY KEY (`id`),
          KEY `lower_name` ((lower(`name`))),
          KEY `hidden` (`name`) /*!80000 INVISIBLE */
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci""";
    DeferredKeys.Split split = DeferredKeys.split(create);
    assertThat(split.keys()).containsExactly("KEY `lower_name` ((lower(`name`)))",
        "KEY `hidden` (`name`) /*!80000 INVISIBLE */");
    assertThat(split.createTable()).endsWith("  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
        + " COLLATE=utf8mb4_0900_ai_ci");
  }

  @Test
  void nothingIsDeferredFromTablesWithForeignKeysOrWithoutPlainKeys() {
    String withForeignKey = """
        CREATE TABLE `line` (
          `id` int(11) NOT NULL,
          `order_id` int(11) NOT NULL,
          PRIMARY KEY (`id`),
          KEY `order_id` (`order_id`),
          CONSTRAINT `line_ibfk_1` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`)
        ) ENGINE=InnoDB""";
    assertThat(DeferredKeys.split(withForeignKey).keys()).isEmpty();
    assertThat(DeferredKeys.split(withForeignKey).createTable()).isEqualTo(withForeignKey);
    String keysOnly = """
        CREATE TABLE `u` (
          `id` int(11) NOT NULL,
          PRIMARY KEY (`id`),
          UNIQUE KEY `id2` (`id`)
        ) ENGINE=InnoDB""";
    assertThat(DeferredKeys.split(keysOnly).keys()).isEmpty();
    assertThat(DeferredKeys.split("CREATE TABLE `odd` (`id` int(11) NOT NULL, KEY `k` (`id`))").keys()).isEmpty();
  }

  @Test
  void aKeysNameIsReadWithItsQuotedBackticks() {
    assertThat(DeferredKeys.name("KEY `by_customer` (`customer`)")).isEqualTo("by_customer");
    assertThat(DeferredKeys.name("KEY `odd``name` (`c`)")).isEqualTo("odd`name");
    assertThat(List.of(DeferredKeys.name("KEY `Mixed Case` (`c`)"))).containsExactly("Mixed Case");
  }
}
