package io.ferry.worker.position;

import io.ferry.worker.error.FerryException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity of each binlog file a job meets: the time the source created it, which is the header
 * timestamp of the file's first event, its format description event (seconds since the epoch). A file
 * name and an offset alone do not name a place in a source's history: after {@code RESET MASTER} the
 * source starts {@code .000001} again, and once the new history has grown past the job's checkpoint
 * (in bytes and in GTIDs) the old position reads as valid. The new file was created later, so its
 * identity differs. The server sends the file's format description event whenever a replica starts
 * reading a file, also in the middle of one, with the same header timestamp (checked on MariaDB by
 * {@code BinlogEdgeIT}). The event's own create-timestamp field is not used: the binlog client does not
 * decode it, and servers fill it only in some files.
 *
 * <p>Filled by the binlog reader's thread as files begin, read by the applier's thread when it writes
 * the checkpoint ({@code _ferry.checkpoint.binlog_file_created}), so it is thread-safe. Files before
 * the last checkpointed one are forgotten.
 */
public final class BinlogFiles {
  private final String who;
  private final Map<String, Long> created = new ConcurrentHashMap<>();

  /** @param who how errors name the job and source, e.g. {@code job j1: source db1:3306} */
  public BinlogFiles(String who) {
    this.who = who;
  }

  /**
   * Records that {@code file} was created at {@code seconds} (since the epoch).
   *
   * @param what where {@code seconds} comes from, for the error message
   * @throws FerryException {@code SOURCE_HISTORY_RESET} when the file is known with another creation time:
   *     the source's binlog history was reset (or it is another server) since that was recorded
   */
  public void record(String file, long seconds, String what) {
    if (file == null || file.isEmpty()) {
      return;
    }
    Long known = created.putIfAbsent(file, seconds);
    if (known != null && known != seconds) {
      throw FerryException.fatal("SOURCE_HISTORY_RESET", who + ": binlog " + file + " was created at "
          + Instant.ofEpochSecond(seconds) + " (" + what + "), but the job's " + file + " was created at "
          + Instant.ofEpochSecond(known) + ": the source's binlog history was reset (RESET MASTER) or it is"
          + " another server, and the job's position means nothing in the new history",
          "Nothing was applied from the new history; re-copy needed (start: snapshot into empty tables). If the"
          + " checkpoint's binlog_file was changed by hand, set its binlog_file_created to NULL as well.");
    }
  }

  /** When {@code file} was created (seconds since the epoch), or null when the job has not met it. */
  public Long created(String file) {
    return created.get(file);
  }

  /** Forgets the files before {@code file} (the checkpoint never goes back within one stream). */
  public void forgetBefore(String file) {
    long number = BinlogPosition.fileNumber(file);
    created.keySet().removeIf(f -> BinlogPosition.fileNumber(f) < number);
  }
}
