package io.ferry.worker.position;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.worker.error.FerryException;
import org.junit.jupiter.api.Test;

class BinlogFilesTest {
  private final BinlogFiles files = new BinlogFiles("job j: source db:3306");

  @Test
  void theSameFileWithTheSameCreationTimeIsTheSameFile() {
    files.record("bin.000001", 1_700_000_000L, "the job's checkpoint");
    files.record("bin.000001", 1_700_000_000L, "as the source has it now");
    assertThat(files.created("bin.000001")).isEqualTo(1_700_000_000L);
    assertThat(files.created("bin.000002")).isNull();
  }

  @Test
  void aFileOfTheSameNameCreatedAtAnotherTimeStopsWithARemedy() {
    files.record("bin.000001", 1_700_000_000L, "the job's checkpoint");
    assertThatThrownBy(() -> files.record("bin.000001", 1_700_000_001L, "as the source has it now"))
        .isInstanceOfSatisfying(FerryException.class, e -> {
          assertThat(e.code()).isEqualTo("SOURCE_HISTORY_RESET");
          assertThat(e.retriable()).isFalse();
          assertThat(e.remedy()).contains("re-copy");
        })
        .hasMessageContaining("bin.000001")
        .hasMessageContaining("2023-11-14T22:13:20Z")
        .hasMessageContaining("2023-11-14T22:13:21Z")
        .hasMessageContaining("RESET MASTER");
    assertThat(files.created("bin.000001")).as("the first identity stays").isEqualTo(1_700_000_000L);
  }

  @Test
  void filesBeforeTheCheckpointedOneAreForgottenAndNumbersPast999999Count() {
    files.record("bin.999999", 1L, "stream");
    files.record("bin.1000000", 2L, "stream");
    files.record("bin.1000001", 3L, "stream");
    files.forgetBefore("bin.1000000");
    assertThat(files.created("bin.999999")).isNull();
    assertThat(files.created("bin.1000000")).isEqualTo(2L);
    assertThat(files.created("bin.1000001")).isEqualTo(3L);
  }

  @Test
  void aPositionWithoutAFileRecordsNothing() {
    files.record("", 5L, "stream");
    assertThat(files.created("")).isNull();
  }
}
