package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.mariadb.MariaDbServer;
import io.ferry.protocol.codec.MessageCodec;
import io.ferry.protocol.message.Message;
import io.ferry.protocol.Addresses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A whole in-process run — control plane, worker, a replicating job, a job whose source password is
 * wrong, a failed live check — scanned for its secrets (the two connection passwords, the wrong one, the
 * admin token): none appears in any log line or exception text (every logger, causes included), in any
 * API answer (every GET route with data behind it, a failed and a good live check, the metrics), or in any event-bus
 * payload as sent on the wire except the job assignment to the worker, which must carry the passwords
 * (the clustered bus is TLS, {@code ClusterSecurityIT}).
 */
class SecretsScanIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void noSecretInLogsAnswersMetricsOrEventPayloads() throws Exception {
    String sourcePassword = "Src-" + UUID.randomUUID();
    String destinationPassword = "Dst-" + UUID.randomUUID();
    String wrongPassword = "Wrong-" + UUID.randomUUID();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    List<String[]> bus = Collections.synchronizedList(new ArrayList<>());
    Map<String, String> answers = new LinkedHashMap<>();
    String token;
    try (InProcessFleet fleet = new InProcessFleet(dir)) {
      token = fleet.controlPlane.generatedAdminToken();
      fleet.vertx.eventBus().addOutboundInterceptor(ctx -> {
        Object body = ctx.message().body();
        bus.add(new String[] {ctx.message().address(),
            body instanceof Message m ? MessageCodec.encode(m).encode() : String.valueOf(body)});
        ctx.next();
      });
      MariaDbServer[] pair = fleet.fixture.pairs(1).get(0);
      pair[0].createUser("scan_src", sourcePassword, "ALL PRIVILEGES ON *.*");
      pair[1].createUser("scan_dst", destinationPassword, "ALL PRIVILEGES ON *.*");
      pair[0].execute("CREATE DATABASE scan", "CREATE TABLE scan.t (id INT PRIMARY KEY, v VARCHAR(20))");
      fleet.worker("w1", 4);
      FleetApi api = fleet.api();
      String src = api.connection("src", pair[0], "scan_src", sourcePassword);
      String dst = api.connection("dst", pair[1], "scan_dst", destinationPassword);
      String bad = api.connection("bad", pair[0], "scan_src", wrongPassword);
      String job = api.job("scan", src, dst, "scan", "scan_copy");
      String badJob = api.job("scan-bad", bad, dst, "scan", "scan_bad");
      ChildJobSupport.await("the job RUNNING and the other failing", Duration.ofSeconds(60), null, () -> "",
          () -> "RUNNING".equals(api.job(job).getString("state"))
              && api.job(badJob).getValue("error") != null);
      for (int i = 0; i < 20; i++) {
        pair[0].execute("INSERT INTO scan.t VALUES (" + i + ", 'row')");
      }
      ChildJobSupport.await("rows replicated", Duration.ofSeconds(30), null, () -> "",
          () -> "20".equals(pair[1].queryString("SELECT COUNT(*) FROM scan_copy.t")));

      answers.put("POST check bad", api.call("POST", "/api/v1/connections/" + bad + "/check", null).body());
      answers.put("POST check src", api.call("POST", "/api/v1/connections/" + src + "/check", null).body());
      // (GET /api/v1/events is an endless event stream; the events it carries are those listed below)
      for (String path : List.of("/api/v1/connections", "/api/v1/connections/" + src, "/api/v1/connections/" + dst,
          "/api/v1/connections/" + bad, "/api/v1/jobs", "/api/v1/jobs/" + job, "/api/v1/jobs/" + badJob,
          "/api/v1/jobs/" + job + "/events", "/api/v1/jobs/" + badJob + "/events", "/api/v1/jobs/" + job + "/history",
          "/api/v1/audit", "/api/v1/workers", "/api/v1/tokens", "/api/v1/users", "/api/v1/tenants",
          "/metrics")) {
        FleetApi.Reply r = api.call("GET", path, null);
        assertThat(r.status()).as("GET %s: %s", path, r.body()).isBetween(200, 299);
        answers.put("GET " + path, r.body());
      }
    } finally {
      root.detachAppender(logs);
    }

    Map<String, String> secrets = Map.of("source password", sourcePassword, "destination password",
        destinationPassword, "wrong password", wrongPassword, "admin token", token);
    List<String> found = new ArrayList<>();
    assertThat(logs.list).as("log events captured").isNotEmpty();
    for (ILoggingEvent e : logs.list) {
      String text = e.getFormattedMessage() + " " + throwableText(e.getThrowableProxy()) + " " + e.getMDCPropertyMap();
      secrets.forEach((name, secret) -> {
        if (text.contains(secret)) {
          found.add(name + " in a log line of " + e.getLoggerName() + ": " + e.getFormattedMessage());
        }
      });
    }
    answers.forEach((route, body) -> secrets.forEach((name, secret) -> {
      if (body.contains(secret)) {
        found.add(name + " in the answer to " + route);
      }
    }));
    Set<String> carriers = new LinkedHashSet<>();
    synchronized (bus) {
      assertThat(bus).as("event-bus messages captured").isNotEmpty();
      for (String[] m : bus) {
        secrets.forEach((name, secret) -> {
          if (m[1].contains(secret)) {
            if (m[0].startsWith(Addresses.WORKER_PREFIX) && m[1].contains("\"type\":\"assign-job\"")
                && !name.equals("admin token")) {
              carriers.add(name);
            } else {
              found.add(name + " in an event-bus payload to " + m[0] + ": " + m[1]);
            }
          }
        });
      }
    }
    assertThat(found).as("secrets seen").isEmpty();
    assertThat(carriers).as("the assignment carries the job's passwords to the worker (so the scan can see them)")
        .contains("source password", "destination password");
  }

  private static String throwableText(IThrowableProxy t) {
    StringBuilder b = new StringBuilder();
    for (IThrowableProxy p = t; p != null; p = p.getCause()) {
      b.append(p.getClassName()).append(": ").append(p.getMessage()).append('\n');
      for (StackTraceElementProxy s : p.getStackTraceElementProxyArray()) {
        b.append(s.getSTEAsString()).append('\n');
      }
      for (IThrowableProxy sup : p.getSuppressed()) {
        b.append(throwableText(sup));
      }
    }
    return b.toString();
  }
}
