package io.ferry.worker.position;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GtidTrackerTest {

  @Test
  void aMariaDbSourceBehindTheCheckpointInSomeDomainLacksIt() {
    assertThat(GtidTracker.missingFrom("0-1-500,1-2-30", "0-1-501,1-3-30")).isNull();
    assertThat(GtidTracker.missingFrom("0-1-500", "0-1-12")).contains("0-1-500").contains("0-1-12");
    assertThat(GtidTracker.missingFrom("0-1-500,2-1-4", "0-1-900")).as("a domain the source no longer has")
        .contains("2-1-4");
  }

  @Test
  void aMySqlSourceMustHaveExecutedEveryGtidOfTheCheckpoint() {
    String uuid = "4c2b0a1e-aaaa-bbbb-cccc-000000000001";
    assertThat(GtidTracker.missingFrom(uuid + ":1-100", uuid + ":1-250")).isNull();
    assertThat(GtidTracker.missingFrom(uuid + ":1-100", uuid + ":1-40")).isNotNull();
  }

  @Test
  void emptySetsTellNothing() {
    assertThat(GtidTracker.missingFrom("", "0-1-3")).isNull();
    assertThat(GtidTracker.missingFrom("0-1-3", "")).isNull();
  }

  @Test
  void theTrackerKeepsTheLastGtidOfEachMariaDbDomain() {
    GtidTracker t = new GtidTracker("0-1-10,1-1-5");
    t.addMariaDb(0, 2, 11);
    assertThat(t.current()).isEqualTo("0-2-11,1-1-5");
  }
}
