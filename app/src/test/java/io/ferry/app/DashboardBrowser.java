package io.ferry.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for the dashboard tests, driven through the system's chromedriver (never a
 * download: the driver's path is given, so Selenium Manager is not asked). Without a browser the test is
 * skipped with a message, unless {@code FERRY_REQUIRE_BROWSER} is set (CI sets it): then it fails.
 */
final class DashboardBrowser implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path DRIVER = Path.of(System.getProperty("ferry.chromedriver", "/usr/bin/chromedriver"));
  private static final Path CHROMIUM = Path.of(System.getProperty("ferry.chromium", "/usr/bin/chromium"));

  final ChromeDriver driver;
  private final String base;
  private final Path profile;

  private DashboardBrowser(ChromeDriver driver, String base, Path profile) {
    this.driver = driver;
    this.base = base;
    this.profile = profile;
  }

  /** Skips the calling test when no browser is installed, or fails it when one is required. */
  static void requireBrowser() {
    boolean present = Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
    String message = "the dashboard's browser tests need Chromium and its driver (" + CHROMIUM + ", " + DRIVER
        + "); on Debian: apt-get install chromium chromium-driver";
    if (!present && System.getenv("FERRY_REQUIRE_BROWSER") != null) {
      Assertions.fail(message + " (FERRY_REQUIRE_BROWSER is set, so this fails instead of skipping)");
    }
    Assumptions.assumeTrue(present, message);
  }

  static DashboardBrowser open(int port) throws IOException {
    Path profile = Files.createTempDirectory("ferry-chromium-");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1440,960", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    return new DashboardBrowser(new ChromeDriver(service, options), "http://127.0.0.1:" + port + "/", profile);
  }

  void go(String fragment) {
    String url = base + "#" + fragment;
    if (driver.getCurrentUrl() != null && driver.getCurrentUrl().startsWith(base)) {
      js("location.hash = arguments[0]", fragment);
    } else {
      driver.get(url);
    }
  }

  void load(String fragment) {
    driver.get(base + "#" + fragment);
  }

  WebElement find(String css) {
    return await(css + " is shown", () -> {
      List<WebElement> found = driver.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  boolean present(String css) {
    return !driver.findElements(By.cssSelector(css)).isEmpty();
  }

  void click(String css) {
    WebElement e = await(css + " can be clicked", () -> {
      List<WebElement> found = driver.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.get(0).isDisplayed() || !found.get(0).isEnabled() ? null : found.get(0);
    });
    e.click();
  }

  void type(String css, String text) {
    WebElement e = find(css);
    e.clear();
    e.sendKeys(text);
  }

  void select(String css, String value) {
    js("const s = document.querySelector(arguments[0]); s.value = arguments[1];"
        + " s.dispatchEvent(new Event('change', {bubbles: true}));", css, value);
  }

  /** The shown element's text; read again when the page replaced the element meanwhile (views repaint). */
  String text(String css) {
    return await(css + " is shown with its text", () -> {
      List<WebElement> found = driver.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0).getText();
    });
  }

  /** Waits until the element's text satisfies the condition; returns that text. */
  String awaitText(String css, String what, java.util.function.Predicate<String> ok) {
    return await(css + " " + what, () -> {
      List<WebElement> found = driver.findElements(By.cssSelector(css));
      String t = found.isEmpty() ? null : found.get(0).getText();
      return t != null && ok.test(t) ? t : null;
    });
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> jsMap(String script, Object... args) {
    return (Map<String, Object>) js(script, args);
  }

  <T> T await(String what, Callable<T> probe) {
    Object[] found = new Object[1];
    try {
      Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
        found[0] = probe.call();
        return found[0] != null;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n  at " + driver.getCurrentUrl() + "\n  page: "
          + driver.findElement(By.tagName("body")).getText().replace('\n', '|') + "\n  console: "
          + driver.manage().logs().get(LogType.BROWSER).getAll(), e);
    }
    @SuppressWarnings("unchecked")
    T result = (T) found[0];
    return result;
  }

  /** Saves a PNG of the whole page (the window grown to its height), without passing notices. */
  void screenshot(Path file) throws IOException {
    screenshot(file, true);
  }

  /** Saves a PNG of the window, or of the whole page (up to 4,000 pixels high), without passing notices. */
  void screenshot(Path file, boolean wholePage) throws IOException {
    Files.createDirectories(file.getParent());
    js("document.getElementById('toasts').replaceChildren()");
    org.openqa.selenium.Dimension before = driver.manage().window().getSize();
    long height = wholePage ? ((Number) js("return document.documentElement.scrollHeight")).longValue() : 0;
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(before.getWidth(),
        (int) Math.min(4000, Math.max(before.getHeight(), height + 140))));
    try {
      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  /** The console's errors: script errors and refused resources (a Content-Security-Policy violation). */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !m.contains("the server responded with a status of 4")) // answers the test provokes
        .toList();
  }

  /** Where screenshots go: -Dferry.screenshots=DIR, else target/dashboard-screenshots. */
  static Path screenshots() {
    return Path.of(System.getProperty("ferry.screenshots", "target/dashboard-screenshots"));
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
