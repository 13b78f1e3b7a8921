package io.ferry.controlplane.api;

import io.ferry.controlplane.fleet.Fleet;
import io.ferry.controlplane.fleet.JobLive;
import io.ferry.controlplane.store.JobStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which tenant each job belongs to, for filtering fleet-wide views (workers, events, metrics) by tenant.
 * A job never changes tenant, so entries never go stale; an id not known yet is treated as foreign (the
 * safe answer) and triggers a reload.
 */
public final class JobTenants {
  private final JobStore jobs;
  private final Fleet fleet;
  private final Map<String, String> tenants = new ConcurrentHashMap<>();
  private final AtomicBoolean loading = new AtomicBoolean();

  public JobTenants(JobStore jobs, Fleet fleet) {
    this.jobs = jobs;
    this.fleet = fleet;
  }

  public Future<Void> load() {
    if (!loading.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return jobs.tenants().onComplete(ar -> loading.set(false)).map(rows -> {
      rows.forEach(r -> tenants.put(r[0], r[1]));
      return null;
    });
  }

  public void put(String jobId, String tenantId) {
    tenants.put(jobId, tenantId);
  }

  /** The job's tenant, or null when not known (yet). */
  public String of(String jobId) {
    String known = tenants.get(jobId);
    if (known != null) {
      return known;
    }
    String live = fleet.job(jobId).map(JobLive::tenantId).orElse(null);
    if (live == null) {
      load();
    }
    return live;
  }

  /** The ids of {@code jobIds} that belong to {@code tenantId}. */
  public List<String> ofTenant(List<String> jobIds, String tenantId) {
    return jobIds.stream().filter(id -> tenantId.equals(of(id))).toList();
  }
}
