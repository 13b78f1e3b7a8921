package io.ferry.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server must not outlive the JVM that started it, however that JVM ends. */
class WatchdogIT {
    @TempDir
    Path tmp;

    @Test
    void serverDiesAndItsDirectoryGoesWhenItsJvmIsKilledWithSigkill() throws Exception {
        Process child = startChild("block");
        String[] ready = awaitReady(child);
        long pid = Long.parseLong(ready[0]);
        Path dataDir = Path.of(ready[1]);
        try {
            assertThat(Processes.isAlive(pid)).isTrue();
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> !Processes.isAlive(pid));
            await().atMost(Duration.ofSeconds(10)).until(() -> Processes.withArgument(dataDir.toString()).isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(dataDir));
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            Dirs.deleteQuietly(dataDir); // in case the watchdog could not
        }
    }

    @Test
    void shutdownHookKillsServerAndDeletesItsDirectoryOnExit() throws Exception {
        Process child = startChild("exit");
        String[] ready = awaitReady(child);
        long pid = Long.parseLong(ready[0]);
        Path dataDir = Path.of(ready[1]);
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
            assertThat(Processes.isAlive(pid)).isFalse();
            assertThat(dataDir).doesNotExist();
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            Dirs.deleteQuietly(dataDir);
        }
    }

    private Process startChild(String mode) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path")));
        for (String p : List.of(MariaDbDistribution.PROPERTY, EmbeddedBinaries.CACHE_PROPERTY)) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of(ChildServerMain.class.getName(), tmp.resolve("ready").toString(), mode));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    }

    private String[] awaitReady(Process child) throws IOException {
        Path ready = tmp.resolve("ready");
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(ready) || !child.isAlive());
        } finally {
            if (!Files.exists(ready)) {
                child.destroyForcibly();
            }
        }
        assertThat(ready).as(() -> "child did not start a server:\n" + Dirs.tail(tmp.resolve("child.log"), 40))
                .exists();
        return Files.readString(ready).trim().split(" ", 2);
    }
}
