package io.ferry.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache directories are created once even when threads and JVMs race for them. */
class OnceDirsTest {
    @TempDir
    Path tmp;

    /** Child JVM entry point: createOnce(args[0]) with the logging filler, log in args[1]. */
    public static void main(String[] args) throws Exception {
        OnceDirs.createOnce(Path.of(args[0]), dir -> fill(dir, Path.of(args[1])));
    }

    static void fill(Path dir, Path log) throws java.io.IOException {
        Files.writeString(log, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        for (int i = 0; i < 200; i++) {
            Files.writeString(dir.resolve("f" + i), "content " + i);
        }
    }

    @Test
    void threadsAndJvmsCreateTheDirectoryOnce() throws Exception {
        Path target = tmp.resolve("cache").resolve("thing-1.0");
        Path log = tmp.resolve("fills.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    OnceDirsTest.class.getName(), target.toString(), log.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("child" + i + ".log").toFile()).start());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Path>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tasks.add(() -> OnceDirs.createOnce(target, dir -> fill(dir, log)));
            }
            for (Future<Path> f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isEqualTo(target);
            }
        } finally {
            pool.shutdownNow();
        }
        for (Process p : children) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        assertThat(Files.readAllLines(log)).hasSize(1);
        try (var files = Files.list(target)) {
            assertThat(files.count()).isEqualTo(200);
        }
        try (var siblings = Files.list(target.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString()))
                    .as("no temporary sibling left").noneMatch(n -> n.contains(".tmp-"));
        }
    }
}
