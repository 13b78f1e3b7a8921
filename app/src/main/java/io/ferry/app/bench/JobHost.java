package io.ferry.app.bench;

import io.ferry.worker.JobListener;
import io.ferry.worker.JobOptions;
import io.ferry.worker.JobRunner;
import io.ferry.worker.JobState;
import io.ferry.worker.config.JobConfig;
import io.ferry.worker.config.JobConfigLoader;
import io.ferry.worker.error.FerryException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ferry process of {@code ferry bench grid} (unless {@code --ferry-process fresh}): one JVM for the whole grid
 * that runs the backlogs' jobs one after the other, as a worker runs the jobs it is given, so that a drain meets a
 * process that has run jobs before (its code compiled, its heap sized), as a deployed worker's does. Told over
 * stdin: {@code start <job.yaml>} starts a job (the one before it is stopped first), {@code stop} stops it at a
 * transaction boundary; the end of input (also the bench's death) ends the process. States are logged as
 * {@code ferry replicate} logs them ({@code job ID: STATE}, a failure with its description).
 */
public final class JobHost {
  private static final Logger LOG = LoggerFactory.getLogger(JobHost.class);

  private JobHost() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    JobRunner runner = null;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("start ")) {
        stop(runner);
        JobConfig job = JobConfigLoader.fromSystemEnvironment().load(Path.of(line.substring("start ".length())));
        runner = new JobRunner(job, JobOptions.DEFAULTS, new JobListener() {
          @Override
          public void onState(String id, JobState state, FerryException error) {
            if (error == null) {
              LOG.info("job {}: {}", id, state);
            } else {
              LOG.warn("job {}: {} {}", id, state, error.describe());
            }
          }
        });
        runner.start();
      } else if (line.equals("stop")) {
        stop(runner);
        runner = null;
      }
    }
    stop(runner);
    System.exit(0); // the end of input is also the bench going away: end whatever threads a job left
  }

  private static void stop(JobRunner runner) throws InterruptedException {
    if (runner != null) {
      runner.stop();
      if (!runner.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("the job did not stop within 30 s");
      }
    }
  }
}
