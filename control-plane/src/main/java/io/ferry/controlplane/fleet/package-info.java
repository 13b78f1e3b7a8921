/**
 * The scheduler and the fleet's live state.
 *
 * <h2>The jobs table, shared with the HTTP API</h2>
 * The API owns a job's definition and the operator's wish; the scheduler owns where and how it runs.
 * <ul>
 *   <li>{@code spec} is JSON text in the API's own shape: {@code {"tables":{"include":[...],
 *       "exclude":[...]},"databaseMap":{...},"start":"snapshot"|"current"|{"file","position"}|
 *       {"gtid"},"ddl":"exec"|"ignore"|"stop"}}, validated by the API before it is stored.</li>
 *   <li>{@code desired_state} (RUNNING, PAUSED, STOPPED) is written by the API only, together with
 *       {@code state} where an API call decides it (a new job is CREATED; start/resume set STARTING
 *       and clear the error), then {@link Fleet#jobChanged} is called.</li>
 *   <li>{@code state} (other than by those calls), {@code worker_id}, {@code epoch} and the
 *       {@code error_*} columns are written by the scheduler only. {@code epoch} only grows: each
 *       assignment raises it, so an older owner is fenced at the destination.</li>
 *   <li>{@code job_checkpoints} is the scheduler's mirror of each job's position; an update with an
 *       epoch below the stored one is refused.</li>
 * </ul>
 */
package io.ferry.controlplane.fleet;
