package io.ferry.worker.node;

import io.ferry.protocol.model.ConnectionSpec;
import io.ferry.protocol.model.JobSpec;
import io.ferry.protocol.model.Position;
import io.ferry.protocol.model.SnapshotProgress;
import io.ferry.protocol.model.StartSpec;
import io.ferry.worker.JobState;
import io.ferry.worker.config.ConnectionConfig;
import io.ferry.worker.config.DdlPolicy;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.StartPosition;
import io.ferry.worker.config.TableFilter;
import io.ferry.worker.copy.CopyProgress;
import io.ferry.worker.position.BinlogPosition;

/** Translates between the wire records of shared-protocol and the worker's own types. */
final class JobSpecs {
  private JobSpecs() {}

  static JobConfig toJobConfig(String jobId, JobSpec spec) {
    return new JobConfig(jobId, connection(spec.source()), connection(spec.destination()),
        new TableFilter(spec.include(), spec.exclude()), spec.databaseMap(), start(spec.start()),
        DdlPolicy.valueOf(spec.ddl().name()), null);
  }

  private static ConnectionConfig connection(ConnectionSpec c) {
    return new ConnectionConfig(c.host(), c.port(), c.user(), c.password(),
        ConnectionConfig.TlsMode.valueOf(c.tls().name()), c.caCert());
  }

  private static StartPosition start(StartSpec s) {
    if (s instanceof StartSpec.File f) {
      return new StartPosition.File(f.file(), f.position());
    }
    if (s instanceof StartSpec.Gtid g) {
      return new StartPosition.Gtid(g.gtidSet());
    }
    if (s instanceof StartSpec.Snapshot snapshot) {
      return new StartPosition.Snapshot(snapshot.overwrite(), snapshot.chunkRows(), snapshot.parallel(),
          snapshot.bufferMb(), StartPosition.Snapshot.Keyless.valueOf(snapshot.keyless().toUpperCase(java.util.Locale.ROOT)));
    }
    return new StartPosition.Current();
  }

  static Position position(BinlogPosition p) {
    return p == null ? null : new Position(p.file(), p.position(), p.gtidSet());
  }

  static SnapshotProgress snapshot(CopyProgress p) {
    return p == null ? null : new SnapshotProgress(p.tablesDone(), p.tablesTotal(), p.rowsCopied(),
        Math.max(0, p.rowsPerSecond()), p.etaSeconds() == null ? null : Math.max(0, p.etaSeconds()), p.currentTable(),
        p.tables().stream().map(t -> new SnapshotProgress.Table(t.table(), Math.max(0, t.rowsCopied()),
            Math.max(0, t.rowsEstimate()), t.done())).toList());
  }

  static io.ferry.protocol.model.JobState state(JobState s) {
    return io.ferry.protocol.model.JobState.valueOf(s.name());
  }
}
