package io.ferry.protocol.message;

import io.ferry.protocol.Checks;
import java.time.Instant;

/**
 * Worker to control plane ({@code Addresses.VERIFY}, no reply): how far a running {@link VerifyJob}
 * has come, sent every few seconds until its {@link VerifyResult}.
 *
 * @param tablesDone tables compared completely
 * @param rowsChecked source rows compared so far, all tables together
 * @param currentTable the table being compared ({@code db.table}), or null between tables
 */
public record VerifyProgress(String jobId, String verifyId, int tablesDone, int tablesTotal, long rowsChecked,
                             String currentTable, Instant at) implements Message {
  public VerifyProgress {
    Checks.id("jobId", jobId);
    Checks.id("verifyId", verifyId);
    Checks.atLeast("tablesDone", tablesDone, 0);
    Checks.atLeast("tablesTotal", tablesTotal, 0);
    Checks.atLeast("rowsChecked", rowsChecked, 0);
    Checks.notNull("at", at);
  }
}
