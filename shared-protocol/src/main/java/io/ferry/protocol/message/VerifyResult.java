package io.ferry.protocol.message;

import io.ferry.protocol.Checks;
import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.VerifyTable;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Worker to control plane ({@code Addresses.VERIFY}, no reply): how a {@link VerifyJob} ended.
 *
 * @param state {@code match}, {@code mismatch}, or {@code error} (then {@code error} says why)
 */
public record VerifyResult(String jobId, String verifyId, String state, List<VerifyTable> tables, ErrorInfo error,
                           Instant at) implements Message {
  public static final Set<String> STATES = Set.of("match", "mismatch", "error");

  public VerifyResult {
    Checks.id("jobId", jobId);
    Checks.id("verifyId", verifyId);
    Checks.notNull("state", state);
    if (!STATES.contains(state)) {
      throw new io.ferry.protocol.InvalidFieldException("state", "must be match, mismatch or error");
    }
    tables = List.copyOf(tables == null ? List.of() : tables);
    Checks.notNull("at", at);
  }
}
