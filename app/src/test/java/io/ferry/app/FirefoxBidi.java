package io.ferry.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Firefox driven over WebDriver BiDi, the W3C protocol Firefox speaks itself
 * ({@code --remote-debugging-port}): no geckodriver, nothing downloaded. Just what the dashboard test
 * needs: navigate, evaluate a script in the page, screenshots, and the console's errors. Without Firefox
 * the calling test is skipped, unless {@code FERRY_REQUIRE_BROWSER} is set (CI sets it): then it fails.
 */
final class FirefoxBidi implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path FIREFOX = Path.of(System.getProperty("ferry.firefox", "/usr/bin/firefox-esr"));

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final String base;
  private String context;

  /** Skips the calling test when Firefox is not installed, or fails it when a browser is required. */
  static void requireFirefox() {
    boolean present = Files.isExecutable(FIREFOX);
    String message = "the dashboard's Firefox test needs Firefox (" + FIREFOX + "); on Debian: apt-get install"
        + " firefox-esr";
    if (!present && System.getenv("FERRY_REQUIRE_BROWSER") != null) {
      Assertions.fail(message + " (FERRY_REQUIRE_BROWSER is set, so this fails instead of skipping)");
    }
    Assumptions.assumeTrue(present, message);
  }

  private FirefoxBidi(Process process, Path profile, WebSocket socket, String base) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
    this.base = base;
  }

  /** Starts Firefox with a fresh profile and opens a BiDi session on its first tab. */
  static FirefoxBidi open(int httpPort) throws Exception {
    Path profile = Files.createTempDirectory("ferry-firefox-");
    // No updates, telemetry or remote settings: the test machine may have no network but localhost.
    Files.writeString(profile.resolve("user.js"), String.join("\n",
        "user_pref(\"app.update.enabled\", false);",
        "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);",
        "user_pref(\"toolkit.telemetry.enabled\", false);",
        "user_pref(\"browser.shell.checkDefaultBrowser\", false);",
        "user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");",
        "user_pref(\"services.settings.server\", \"http://127.0.0.1:9/\");",
        "user_pref(\"network.captive-portal-service.enabled\", false);", ""));
    Process p = new ProcessBuilder(FIREFOX.toString(), "--headless", "--no-remote", "--profile", profile.toString(),
        "--remote-debugging-port", "0", "--width", "1440", "--height", "960", "about:blank")
        .redirectErrorStream(true).start();
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          int at = line.indexOf("WebDriver BiDi listening on ");
          if (at >= 0) {
            url.complete(line.substring(at + "WebDriver BiDi listening on ".length()).trim());
          }
        }
      } catch (IOException e) {
        url.completeExceptionally(e);
      }
    }, "firefox-output");
    reader.setDaemon(true);
    reader.start();
    try {
      String ws = url.get(60, TimeUnit.SECONDS);
      FirefoxBidi[] self = new FirefoxBidi[1];
      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create(ws + "/session"), new Listener(m -> self[0].onMessage(m)))
          .get(30, TimeUnit.SECONDS);
      self[0] = new FirefoxBidi(p, profile, socket, "http://127.0.0.1:" + httpPort + "/");
      self[0].start();
      return self[0];
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private void start() {
    command("session.new", new JsonObject().put("capabilities", new JsonObject()));
    command("session.subscribe", new JsonObject().put("events", new JsonArray().add("log.entryAdded")));
    JsonObject tree = command("browsingContext.getTree", new JsonObject());
    context = tree.getJsonArray("contexts").getJsonObject(0).getString("context");
  }

  /** Loads the dashboard at {@code fragment} (its routes live in the URL's fragment). */
  void load(String fragment) {
    command("browsingContext.navigate", new JsonObject().put("context", context).put("url", base + "#" + fragment)
        .put("wait", "complete"));
  }

  /** Moves within the loaded dashboard, as a click on one of its links does. */
  void go(String fragment) {
    js("location.hash = " + new JsonArray().add(fragment).encode().replaceAll("^\\[|]$", ""));
  }

  /**
   * Evaluates {@code expression} in the page (a promise is awaited) and returns its value: a string,
   * number, boolean or null. A script error fails the test with its message.
   */
  Object js(String expression) {
    JsonObject r = command("script.evaluate", new JsonObject().put("expression", expression)
        .put("target", new JsonObject().put("context", context)).put("awaitPromise", true));
    if ("exception".equals(r.getString("type"))) {
      throw new AssertionError("script failed: " + expression + "\n  " + r.getJsonObject("exceptionDetails")
          .getString("text"));
    }
    JsonObject value = r.getJsonObject("result");
    return switch (value.getString("type")) {
      case "string", "boolean" -> value.getValue("value");
      case "number" -> value.getValue("value") instanceof Number n ? n : Double.NaN;
      default -> null;
    };
  }

  /** The text of the first element {@code css} matches, or null when none does. */
  String text(String css) {
    return (String) js("(() => { const e = document.querySelector(" + quote(css) + "); return e ? e.innerText : null; })()");
  }

  boolean present(String css) {
    return Boolean.TRUE.equals(js("document.querySelector(" + quote(css) + ") !== null"));
  }

  /** Waits until {@code css} is shown and enabled, then clicks it. */
  void click(String css) {
    await(css + " can be clicked", () -> Boolean.TRUE.equals(js("(() => { const e = document.querySelector("
        + quote(css) + "); if (!e || e.disabled || !e.offsetParent) return false; e.click(); return true; })()")));
  }

  /** Waits until {@code css} is shown, then sets its value as typing would (an input event follows). */
  void type(String css, String text) {
    await(css + " can be typed into", () -> Boolean.TRUE.equals(js("(() => { const e = document.querySelector("
        + quote(css) + "); if (!e || !e.offsetParent) return false; e.focus(); e.value = " + quote(text) + ";"
        + " e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));"
        + " return true; })()")));
  }

  /** Waits until the element's text satisfies {@code ok}; returns that text. */
  String awaitText(String css, String what, java.util.function.Predicate<String> ok) {
    String[] seen = new String[1];
    await(css + " " + what, () -> {
      seen[0] = text(css);
      return seen[0] != null && ok.test(seen[0]);
    });
    return seen[0];
  }

  void await(String what, java.util.concurrent.Callable<Boolean> condition) {
    try {
      Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(150)).ignoreExceptions().until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n  page: " + String.valueOf(text("body")).replace('\n', '|')
          + "\n  console errors: " + errors, e);
    }
  }

  /** Saves a PNG of the viewport. */
  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    js("document.getElementById('toasts') && document.getElementById('toasts').replaceChildren()");
    JsonObject r = command("browsingContext.captureScreenshot", new JsonObject().put("context", context));
    Files.write(file, Base64.getDecoder().decode(r.getString("data")));
  }

  /** The page's console errors and uncaught script errors so far (refused resources included). */
  List<String> consoleErrors() {
    return errors.stream().filter(m -> !m.contains("status of 4")).toList();
  }

  private static String quote(String s) {
    String json = new JsonArray().add(s).encode();
    return json.substring(1, json.length() - 1);
  }

  private JsonObject command(String method, JsonObject params) {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true).join();
    try {
      JsonObject m = reply.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
      if ("error".equals(m.getString("type"))) {
        throw new AssertionError(method + " failed: " + m.getString("error") + ": " + m.getString("message"));
      }
      return m.getJsonObject("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(method + " interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(method + " got no answer", e);
    } finally {
      pending.remove(id);
    }
  }

  private void onMessage(String text) {
    JsonObject m = new JsonObject(text);
    Long id = m.getLong("id");
    if (id != null) {
      CompletableFuture<JsonObject> reply = pending.get(id);
      if (reply != null) {
        reply.complete(m);
      }
    } else if ("log.entryAdded".equals(m.getString("method"))) {
      JsonObject entry = m.getJsonObject("params");
      if ("error".equals(entry.getString("level"))) {
        errors.add(entry.getString("type") + ": " + entry.getString("text"));
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the browser goes anyway
    }
    List<ProcessHandle> children = process.descendants().toList(); // content processes
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      children.forEach(ProcessHandle::destroyForcibly);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Joins a message's fragments and hands the whole text on. */
  private static final class Listener implements WebSocket.Listener {
    private final java.util.function.Consumer<String> onText;
    private final StringBuilder parts = new StringBuilder();

    Listener(java.util.function.Consumer<String> onText) {
      this.onText = onText;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      parts.append(data);
      if (last) {
        String text = parts.toString();
        parts.setLength(0);
        onText.accept(text);
      }
      socket.request(1);
      return null;
    }
  }
}
