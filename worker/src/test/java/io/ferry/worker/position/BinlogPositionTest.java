package io.ferry.worker.position;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BinlogPositionTest {
  @Test
  void ordersByFileNumberThenOffset() {
    BinlogPosition a = new BinlogPosition("mysql-bin.000009", 900, "");
    BinlogPosition b = new BinlogPosition("mysql-bin.000010", 4, "");
    BinlogPosition c = new BinlogPosition("mysql-bin.1000000", 4, "");
    assertThat(b.isAfter(a)).isTrue();
    assertThat(c.isAfter(b)).isTrue();
    assertThat(a.isAfter(a)).isFalse();
    assertThat(new BinlogPosition("mysql-bin.000010", 5, "").isAfter(b)).isTrue();
  }

  @Test
  void tracksMariaDbDomainsAndMySqlSets() {
    GtidTracker maria = new GtidTracker("0-1-5,1-2-7");
    maria.addMariaDb(0, 1, 6);
    maria.addMariaDb(2, 3, 1);
    assertThat(maria.current()).isEqualTo("0-1-6,1-2-7,2-3-1");
    GtidTracker mysql = new GtidTracker("");
    mysql.addMySql("76f3e7be-6720-11ed-9cad-0242ac110002:11");
    mysql.addMySql("76f3e7be-6720-11ed-9cad-0242ac110002:12");
    assertThat(mysql.current()).isEqualTo("76f3e7be-6720-11ed-9cad-0242ac110002:11-12");
  }
}
