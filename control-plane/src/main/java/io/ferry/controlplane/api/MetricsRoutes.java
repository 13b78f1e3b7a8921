package io.ferry.controlplane.api;

import com.sun.management.OperatingSystemMXBean;
import io.ferry.controlplane.auth.Principal;
import io.ferry.controlplane.fleet.Fleet;
import io.ferry.controlplane.fleet.JobLive;
import io.ferry.controlplane.fleet.WorkerLive;
import io.ferry.controlplane.store.JobStore;
import io.ferry.controlplane.store.JobStore.Job;
import io.ferry.protocol.FerryVersion;
import io.ferry.protocol.model.WorkerState;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /metrics} in the Prometheus text format 0.0.4. Any role may scrape; an operator or viewer
 * sees its own tenant's job series only, an admin also the workers and this process. The job label
 * is {@code job_id}, not {@code job}, which Prometheus reserves for the scrape job. Labels carry ids,
 * tenants, states and error codes only: never a host, user, password or token. Rates are left to PromQL
 * ({@code rate(ferry_job_rows_applied_total[1m])}): every series is a counter ({@code _total}) or a gauge, named in
 * base units ({@code _seconds}, {@code _bytes}), as Prometheus and OpenTelemetry expect.
 */
public final class MetricsRoutes {
  private static final List<String> STATES =
      List.of("CREATED", "STARTING", "SNAPSHOT", "RUNNING", "PAUSED", "ERROR", "STOPPED");

  private final Fleet fleet;
  private final JobStore jobs;
  private final Clock clock;

  public MetricsRoutes(Fleet fleet, JobStore jobs, Clock clock) {
    this.fleet = fleet;
    this.jobs = jobs;
    this.clock = clock;
  }

  public void register(Api api) {
    api.route(HttpMethod.GET, "/metrics", Api.ANY, this::metrics);
  }

  private Future<?> metrics(RoutingContext ctx, Principal who) {
    return jobs.list(who.isAdmin() ? null : who.tenantId(), null).map(Api.then(list -> {
      StringBuilder out = new StringBuilder(4096);
      header(out, "ferry_build_info", "gauge", "always 1, labelled with the version of Ferry this control plane runs");
      sample(out, "ferry_build_info", "version=\"" + escape(FerryVersion.get()) + "\"", 1);
      jobSeries(out, list);
      if (who.isAdmin()) {
        workerSeries(out, fleet.workers());
        processSeries(out);
      }
      ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .putHeader("cache-control", "no-store").end(out.toString());
    }));
  }

  private void jobSeries(StringBuilder out, List<Job> list) {
    header(out, "ferry_job_state", "gauge", "1 for the job's current state, 0 for the others");
    for (Job j : list) {
      for (String s : STATES) {
        sample(out, "ferry_job_state", labels(j) + ",state=\"" + s + "\"", s.equals(j.state()) ? 1 : 0);
      }
    }
    header(out, "ferry_job_lag_seconds", "gauge", "seconds the destination is behind the source");
    for (Job j : list) {
      Optional<JobLive> live = fleet.job(j.id());
      Double lag = live.map(l -> l.lagSeconds() == null ? null : l.lagSeconds().doubleValue()).orElse(j.lagSeconds());
      if (lag != null) {
        sample(out, "ferry_job_lag_seconds", labels(j), lag);
      }
    }
    header(out, "ferry_job_rows_applied_total", "counter", "rows applied at the destination by the current owner");
    for (Job j : list) {
      Long rows = fleet.job(j.id()).map(JobLive::rowsApplied).orElse(j.rowsApplied());
      sample(out, "ferry_job_rows_applied_total", labels(j), rows == null ? 0 : rows);
    }
    header(out, "ferry_job_binlog_events_total", "counter",
        "binlog events the current owner has read (heartbeats included); events/s is its rate()");
    for (Job j : list) {
      fleet.job(j.id()).ifPresent(l -> sample(out, "ferry_job_binlog_events_total", labels(j), l.binlogEvents()));
    }
    header(out, "ferry_job_snapshot_rows_copied_total", "counter", "rows the initial copy has copied");
    for (Job j : list) {
      fleet.job(j.id()).map(JobLive::snapshot).ifPresent(p ->
          sample(out, "ferry_job_snapshot_rows_copied_total", labels(j), p.rowsCopied()));
    }
    header(out, "ferry_job_snapshot_tables", "gauge", "tables of the initial copy, by done=true|false");
    for (Job j : list) {
      fleet.job(j.id()).map(JobLive::snapshot).ifPresent(p -> {
        sample(out, "ferry_job_snapshot_tables", labels(j) + ",done=\"true\"", p.tablesDone());
        sample(out, "ferry_job_snapshot_tables", labels(j) + ",done=\"false\"", p.tablesTotal() - p.tablesDone());
      });
    }
    header(out, "ferry_job_error", "gauge", "1 while the job has an error, labelled with its code");
    for (Job j : list) {
      String code = j.errorCode() != null ? j.errorCode()
          : fleet.job(j.id()).map(l -> l.error() == null ? null : l.error().code()).orElse(null);
      if (code != null) {
        sample(out, "ferry_job_error", labels(j) + ",code=\"" + escape(code) + "\"", 1);
      }
    }
  }

  private void workerSeries(StringBuilder out, List<WorkerLive> workers) {
    header(out, "ferry_worker_up", "gauge", "1 while the worker heartbeats (UP or DRAINING), 0 when LOST");
    workers.forEach(w -> sample(out, "ferry_worker_up", worker(w), w.state() == WorkerState.LOST ? 0 : 1));
    header(out, "ferry_worker_jobs", "gauge", "jobs assigned to the worker");
    workers.forEach(w -> sample(out, "ferry_worker_jobs", worker(w), w.jobs().size()));
    header(out, "ferry_worker_heartbeat_age_seconds", "gauge", "seconds since the worker's last heartbeat");
    for (WorkerLive w : workers) {
      if (w.lastHeartbeat() != null) {
        sample(out, "ferry_worker_heartbeat_age_seconds", worker(w),
            Math.max(0, Duration.between(w.lastHeartbeat(), clock.instant()).toMillis() / 1000.0));
      }
    }
    header(out, "ferry_worker_heartbeats_total", "counter", "heartbeats handled from the worker since start");
    workers.forEach(w -> sample(out, "ferry_worker_heartbeats_total", worker(w), w.heartbeats()));
    header(out, "ferry_heartbeats_received_total", "counter", "worker heartbeats handled since start");
    sample(out, "ferry_heartbeats_received_total", null, fleet.heartbeatsReceived());
  }

  private static void processSeries(StringBuilder out) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    header(out, "jvm_memory_used_bytes", "gauge", "JVM memory in use");
    sample(out, "jvm_memory_used_bytes", "area=\"heap\"", memory.getHeapMemoryUsage().getUsed());
    sample(out, "jvm_memory_used_bytes", "area=\"nonheap\"", memory.getNonHeapMemoryUsage().getUsed());
    header(out, "jvm_threads_live", "gauge", "live JVM threads");
    sample(out, "jvm_threads_live", null, ManagementFactory.getThreadMXBean().getThreadCount());
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os && os.getProcessCpuTime() >= 0) {
      header(out, "process_cpu_seconds_total", "counter", "CPU time used by this process");
      sample(out, "process_cpu_seconds_total", null, os.getProcessCpuTime() / 1e9);
    }
    header(out, "process_uptime_seconds", "gauge", "seconds since this process started");
    sample(out, "process_uptime_seconds", null, ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
  }

  private static String labels(Job j) {
    return "job_id=\"" + escape(j.id()) + "\",tenant=\"" + escape(j.tenantId()) + "\"";
  }

  private static String worker(WorkerLive w) {
    return "worker=\"" + escape(w.id()) + "\"";
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name);
    if (labels != null) {
      out.append('{').append(labels).append('}');
    }
    out.append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(value);
    }
    out.append('\n');
  }

  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
