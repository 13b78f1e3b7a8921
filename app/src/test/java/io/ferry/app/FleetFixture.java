package io.ferry.app;

import io.ferry.controlplane.secrets.SecretBox;
import io.ferry.mariadb.MariaDbServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Source/destination pairs with one ledger database per job, and jobs defined straight in the
 * metadata database (connections sealed with the control plane's key), for the fleet tests.
 */
final class FleetFixture implements AutoCloseable {
  /** One job: its id, servers and databases, and the load on its source database. */
  record Job(String id, MariaDbServer source, MariaDbServer destination, String db, String copy, LedgerLoad load) {}

  final List<MariaDbServer> servers = new ArrayList<>();
  final Map<String, Job> jobs = new LinkedHashMap<>();

  /** Starts {@code pairs} source/destination pairs. */
  List<MariaDbServer[]> pairs(int pairs) {
    List<MariaDbServer[]> out = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      MariaDbServer s = ChildJobSupport.startSource();
      servers.add(s);
      MariaDbServer d = ChildJobSupport.startDestination();
      servers.add(d);
      out.add(new MariaDbServer[] {s, d});
    }
    return out;
  }

  /**
   * Defines a job {@code id} from {@code db} on the pair's source to {@code db_copy} on its destination
   * (tables created on the source now; the job creates them at the destination), starting at the
   * source's current position.
   */
  Job defineJob(Connection metadata, SecretBox secrets, String id, MariaDbServer[] pair, String db, int tps)
      throws SQLException {
    LedgerLoad.createTables(pair[0], db);
    String copy = db + "_copy";
    String source = connection(metadata, secrets, id + "-src", pair[0]);
    String destination = connection(metadata, secrets, id + "-dst", pair[1]);
    String spec = "{\"tables\":{\"include\":[\"" + db + ".*\"],\"exclude\":[]},\"databaseMap\":{\"" + db + "\":\""
        + copy + "\"},\"start\":\"current\",\"ddl\":\"exec\"}";
    try (PreparedStatement p = metadata.prepareStatement("INSERT INTO jobs (id, tenant_id, name, source_id,"
        + " destination_id, spec, desired_state, state) VALUES (?, 'default', ?, ?, ?, ?, 'RUNNING', 'CREATED')")) {
      p.setString(1, id);
      p.setString(2, id);
      p.setString(3, source);
      p.setString(4, destination);
      p.setString(5, spec);
      p.executeUpdate();
    }
    return track(id, pair, db, tps);
  }

  /** Remembers a job from {@code db} (whose tables exist) to {@code db_copy} and prepares its load. */
  Job track(String id, MariaDbServer[] pair, String db, int tps) {
    Job job = new Job(id, pair[0], pair[1], db, db + "_copy", new LedgerLoad(pair[0], db, id.hashCode(), tps));
    jobs.put(id, job);
    return job;
  }

  /** The epoch of the job's checkpoint row at its destination: the owner the destination accepts. */
  static long checkpointEpoch(Job j) throws SQLException {
    try (Connection d = j.destination().rootConnection();
         PreparedStatement p = d.prepareStatement("SELECT epoch FROM _ferry.checkpoint WHERE job_id = ?")) {
      p.setString(1, j.id());
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /** Each job's ledger rows at its destination now. */
  Map<String, Long> destinationRows() throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Job j : jobs.values()) {
      out.put(j.id(), destinationLedgerRows(j));
    }
    return out;
  }

  /** Whether every job's destination holds more ledger rows than in {@code before}. */
  boolean allAdvancedFrom(Map<String, Long> before) throws SQLException {
    for (Job j : jobs.values()) {
      if (destinationLedgerRows(j) <= before.get(j.id())) {
        return false;
      }
    }
    return true;
  }

  static void ensureTenant(Connection metadata) throws SQLException {
    try (PreparedStatement p = metadata.prepareStatement(
        "INSERT IGNORE INTO tenants (id, name) VALUES ('default', 'default')")) {
      p.executeUpdate();
    }
  }

  private static String connection(Connection metadata, SecretBox secrets, String id, MariaDbServer server)
      throws SQLException {
    try (PreparedStatement p = metadata.prepareStatement("INSERT INTO connections (id, tenant_id, name, host, port,"
        + " user_name, password_enc, tls) VALUES (?, 'default', ?, ?, ?, ?, ?, 'disabled')")) {
      p.setString(1, id);
      p.setString(2, id);
      p.setString(3, server.host());
      p.setInt(4, server.port());
      p.setString(5, server.adminUser());
      p.setBytes(6, secrets.seal(server.adminPassword(), id));
      p.executeUpdate();
    }
    return id;
  }

  /** A job's row: state, worker, epoch. */
  static String[] jobRow(Connection metadata, String id) throws SQLException {
    try (PreparedStatement p = metadata.prepareStatement("SELECT state, worker_id, epoch FROM jobs WHERE id = ?")) {
      p.setString(1, id);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : null;
      }
    }
  }

  static void setDesired(Connection metadata, String id, String desired) throws SQLException {
    try (PreparedStatement p = metadata.prepareStatement("UPDATE jobs SET desired_state = ?, state = CASE WHEN ? ="
        + " 'RUNNING' THEN 'STARTING' ELSE state END WHERE id = ?")) {
      p.setString(1, desired);
      p.setString(2, desired);
      p.setString(3, id);
      p.executeUpdate();
    }
  }

  /** Waits for every load to stop, then for each job's destination to equal its source. */
  void assertAllEqual(java.time.Duration atMost) throws Exception {
    for (Job j : jobs.values()) {
      j.load().stop();
    }
    for (Job j : jobs.values()) {
      ChildJobSupport.await("job " + j.id() + " catches up", atMost, null, () -> j.load().describe(),
          () -> destinationLedgerRows(j) == j.load().committed());
      ChildJobSupport.assertSameData(j.source(), j.db(), j.destination(), j.copy(), "accounts", "ledger", "bulk");
    }
  }

  static long destinationLedgerRows(Job j) throws SQLException {
    try (Connection d = j.destination().rootConnection()) {
      return ChildJobSupport.ledgerRows(d, j.copy());
    }
  }

  static Path keyFile(Path dataDir) {
    return dataDir.resolve("secret.key");
  }

  @Override
  public void close() throws InterruptedException {
    for (Job j : jobs.values()) {
      j.load().close();
    }
    for (MariaDbServer s : servers) {
      s.close();
    }
  }
}
