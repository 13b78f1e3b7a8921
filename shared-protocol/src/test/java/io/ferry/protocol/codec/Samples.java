package io.ferry.protocol.codec;

import io.ferry.protocol.ProtocolVersion;
import io.ferry.protocol.message.Ack;
import io.ferry.protocol.message.AssignJob;
import io.ferry.protocol.message.Checkpoint;
import io.ferry.protocol.message.DrainWorker;
import io.ferry.protocol.message.Heartbeat;
import io.ferry.protocol.message.JobError;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.message.Nack;
import io.ferry.protocol.message.RegisterWorker;
import io.ferry.protocol.message.RevokeJob;
import io.ferry.protocol.message.VerifyJob;
import io.ferry.protocol.message.VerifyProgress;
import io.ferry.protocol.message.VerifyResult;
import io.ferry.protocol.message.WorkerRegistered;
import io.ferry.protocol.model.ConnectionSpec;
import io.ferry.protocol.model.DdlPolicy;
import io.ferry.protocol.model.ErrorInfo;
import io.ferry.protocol.model.JobSpec;
import io.ferry.protocol.model.JobState;
import io.ferry.protocol.model.JobStatus;
import io.ferry.protocol.model.SnapshotProgress;
import io.ferry.protocol.model.Position;
import io.ferry.protocol.model.StartSpec;
import io.ferry.protocol.model.TlsMode;
import io.ferry.protocol.model.VerifyTable;
import io.ferry.protocol.model.WorkerState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One or more valid instances of every message, shared by the tests. */
final class Samples {
  static final String SOURCE_PASSWORD = "s3cr3t-Source!pw";
  static final String DEST_PASSWORD = "d3st-Pa55word#x";
  static final String MARIADB_GTIDS = "0-1-5,1-2-7";
  static final String MYSQL_GTIDS = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-10";
  static final Instant T = Instant.parse("2026-11-24T23:45:01.123456789Z");
  /** A throwaway self-signed CA certificate (its key was never kept). */
  static final String CA = resource("/tls/ca-a.pem");

  private Samples() {}

  static ConnectionSpec source() {
    return new ConnectionSpec("src.example", 3306, "repl", SOURCE_PASSWORD, TlsMode.REQUIRED);
  }

  static ConnectionSpec destination() {
    return new ConnectionSpec("10.0.0.7", 3307, "ferry", DEST_PASSWORD, TlsMode.VERIFY_CA, CA);
  }

  static String resource(String name) {
    try (var in = Samples.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("test resource " + name + " is missing", e);
    }
  }

  static JobSpec spec(StartSpec start) {
    return new JobSpec(source(), destination(), List.of("shop.*", "crm.customers"), List.of("shop.tmp_*"),
        Map.of("shop", "shop_copy", "crm", "crm2"), start, DdlPolicy.STOP);
  }

  static AssignJob assign() {
    return new AssignJob("job-1", 3, "tenant_a", spec(new StartSpec.Gtid(MYSQL_GTIDS)));
  }

  /** The first sample of {@code type}, so tests do not depend on the samples' order. */
  static <T extends Message> T first(Class<T> type) {
    return all().stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }

  static List<Message> all() {
    ErrorInfo error = new ErrorInfo("SOURCE_UNREACHABLE", "job-2: cannot reach repl@src.example:3306",
        "Check the source is up.", T, true);
    JobStatus running = new JobStatus("job-1", 3, JobState.RUNNING, new Position("mysql-bin.000042", 1234,
        MYSQL_GTIDS), 2L, 10_000, 512.5, null);
    JobStatus failing = new JobStatus("job-2", 1, JobState.ERROR, new Position("mariadb-bin.000001", 4,
        MARIADB_GTIDS), null, 0, 0, error);
    JobStatus fresh = new JobStatus("job-3", 7, JobState.CREATED, null, null, 0, 0, null);
    JobStatus copying = new JobStatus("job-4", 2, JobState.SNAPSHOT, new Position("mysql-bin.000042", 1234,
        MYSQL_GTIDS), null, 0, 0, null, new SnapshotProgress(1, 3, 250_000, 41_000.5, 12L, "shop.orders",
        List.of(new SnapshotProgress.Table("shop.orders", 150_000, 400_000, false),
            new SnapshotProgress.Table("shop.lines", 0, 90_000, false),
            new SnapshotProgress.Table("shop.customers", 100_000, 100_000, true))), 1_234_567);
    return List.of(
        new RegisterWorker("node-a1b2:5701", "worker-1.internal", 8, ProtocolVersion.CURRENT, T),
        new WorkerRegistered("node-a1b2:5701", ProtocolVersion.CURRENT, 1, T),
        new Heartbeat("node-a1b2:5701", T, WorkerState.UP, List.of(running, failing, fresh, copying)),
        new Heartbeat("node-b", T, WorkerState.DRAINING, List.of()),
        assign(),
        new AssignJob("job-2", 1, "t1", spec(new StartSpec.Gtid(MARIADB_GTIDS))),
        new AssignJob("job-3", 1, "t1", spec(new StartSpec.File("mysql-bin.000003", 4))),
        new AssignJob("job-4", 1, "t1", spec(new StartSpec.Current())),
        new AssignJob("job-5", Long.MAX_VALUE, "t1", spec(new StartSpec.Snapshot())),
        new AssignJob("job-6", 2, "t1", spec(new StartSpec.Snapshot(true, 500, 8, 64, StartSpec.Snapshot.KEYLESS_COPY))),
        new RevokeJob("job-1", 3, "rebalance"),
        new Checkpoint("job-1", 3, new Position("mysql-bin.000042", 5678, MYSQL_GTIDS + ",4c2b0a1e-aaaa-bbbb-cccc-"
            + "000000000001:1-3:7-9"), T),
        new Checkpoint("job-2", 2, new Position("mariadb-bin.000001", 330, MARIADB_GTIDS), T),
        new Checkpoint("job-3", 1, new Position("mysql-bin.000001", 4, ""), T),
        JobError.of("job-2", 1, error),
        new JobError("job-2", 1, "BINLOG_PURGED", "gone", "Start the job again with a snapshot.", T, false),
        new DrainWorker("node-a1b2:5701", "maintenance"),
        new Ack(),
        new Nack(Nack.STALE_EPOCH, "job-1 is at epoch 4"),
        new VerifyJob("job-1", 3, "ver_0a1b2c"),
        new VerifyResult("job-1", "ver_0a1b2c", "mismatch", List.of(new VerifyTable("shop.orders", false, 1_000_000,
            List.of("id=17", "id=4321")), new VerifyTable("shop.items", true, 20, List.of())), null, T),
        new VerifyResult("job-1", "ver_0a1b2d", "error", List.of(), error, T),
        new VerifyProgress("job-1", "ver_0a1b2c", 1, 3, 250_000, "shop.orders", T),
        new VerifyProgress("job-1", "ver_0a1b2c", 3, 3, 1_250_020, null, T));
  }
}
