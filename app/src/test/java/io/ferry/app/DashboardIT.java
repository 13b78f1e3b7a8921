package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.MariaDbServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium against a real control plane, worker and MariaDB servers: an
 * admin signs in with the bootstrap token, adds an operator and a viewer, a tenant and an API token (shown
 * once), and finds them in the audit trail; the operator signs in by keyboard with name and password,
 * creates two connections (each first with a wrong password, which the live check reports with its
 * remedy, then mends), creates a job through the wizard (a whole database minus two keyless tables,
 * renamed, a third keyless table copied whole), watches the copy's bar per table and rows-applied rise
 * live while a write load runs (without the page polling the job list), sorts and filters the overview,
 * sees the worker's heartbeat, pauses and resumes, runs verify and sees "match", sees a failed job's
 * error with its remedy and stops (asked first), restarts and deletes it, finds another tenant's job
 * nowhere, and signs out (which revokes the session); a viewer then sees no action. No script error or
 * Content-Security-Policy violation may occur. Screenshots of the overview and the job page go to
 * {@link DashboardBrowser#screenshots()}.
 */
class DashboardIT {
  private static final String OPERATOR = "olivia";
  private static final String OPERATOR_PASSWORD = "correct-horse-battery";
  private static final String VIEWER = "victor";
  private static final String VIEWER_PASSWORD = "only-looking-here";
  private static final String CONFIRM_OPEN = "return document.getElementById('confirm').open";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @AutoClose
  private PairFleet fleet;
  private DashboardBrowser browser;

  @Test
  void anOperatorRunsAJobFromTheBrowser() throws Exception {
    DashboardBrowser.requireBrowser();
    fleet = PairFleet.start(dir, "w1", 8);
    FleetApi admin = fleet.api;
    MariaDbServer[] pair = fleet.pair();
    LedgerLoad.createTables(pair[0], "shop");
    pair[0].execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(40))",
        "INSERT INTO shop.orders SELECT seq, seq % 9, CONCAT('order ', seq) FROM shop.seq_1_to_2000",
        // no key at all: the wizard offers to copy it whole
        "CREATE TABLE shop.notes (n INT, body VARCHAR(40))",
        "INSERT INTO shop.notes SELECT seq % 50, CONCAT('note ', seq) FROM shop.seq_1_to_300");
    pair[0].createUser("repl", "repl-pw-1", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON shop.*");
    pair[1].createUser("ferry", "ferry-pw-2", "ALL ON shop_copy.*", "ALL ON _ferry.*");
    String foreignJob = foreignTenantJob(admin, pair);

    browser = fleet.closing(DashboardBrowser.open(fleet.controlPlane.httpPort()));
    String readerToken = adminAdministers(fleet.controlPlane.generatedAdminToken());
    assertThat(new FleetApi(fleet.controlPlane.httpPort(), readerToken).ok("GET", "/api/v1/sessions/current", null)
        .getString("role")).as("the token shown once is the real one").isEqualTo("viewer");
    signInByKeyboard(OPERATOR, OPERATOR_PASSWORD);
    String source = connection("shop-source", pair[0], "repl", "repl-pw-1", "source");
    String destination = connection("shop-copy", pair[1], "ferry", "ferry-pw-2", "destination");
    String job = wizard(source, destination);
    String broken = brokenJob(admin, pair[0], destination);

    browser.awaitText("#job-page .heading .badge", "says RUNNING", "RUNNING"::equals);
    // The initial copy's section stays on the page once done: a bar per table, each marked done.
    browser.awaitText("#snapshot-tables", "lists every copied table as done", t -> t.contains("shop.orders")
        && t.contains("shop.accounts") && t.contains("shop.notes") && t.contains("2,000") && t.contains("300")
        && !t.contains("%"));
    assertThat(browser.awaitText("#job-snapshot", "says all tables are done", t -> t.contains("3 of 3 tables (100 %)")))
        .doesNotContain("shop.ledger");
    browser.awaitText("#job-definition", "says the keyless table is copied whole", t -> t.contains("snapshot (keyless copy)"));
    browser.screenshot(DashboardBrowser.screenshots().resolve("job-copied.png"), false);
    LedgerLoad load = fleet.closing(new LedgerLoad(pair[0], "shop", 7, 20));
    load.start();
    watchRowsRiseLive(job, broken);
    browser.screenshot(DashboardBrowser.screenshots().resolve("overview.png"));
    sortAndFilter(job, broken);
    workers(job);

    browser.go("/jobs/" + job);
    browser.awaitText("#job-position", "shows the binlog file, offset and GTID set",
        t -> t.matches("(?s)Binlog file\\s+mysql-bin\\.\\d+\\s+Offset\\s+[\\d,]+\\s+GTID set\\s+\\d+-\\d+-\\d+.*"));
    pauseAndResume();
    load.stop();
    browser.click("#action-verify");
    browser.awaitText("#verify-state", "says match", "match"::equals);
    assertThat(browser.text("#verify-tables")).contains("shop.accounts", "shop.orders", "shop.notes")
        .doesNotContain("shop.ledger");
    browser.await("the charts have samples", () -> browser.present("#chart-rows path.line") ? true : null);
    browser.screenshot(DashboardBrowser.screenshots().resolve("job.png"));
    readableOnALaptop(job);
    aFailedJobShowsItsRemedyAndIsStoppedAndDeleted(broken);

    foreignJobIsNowhere(foreignJob);
    signOut();
    aViewerSeesNoActions(job);
    assertThat(browser.consoleErrors()).as("script errors or refused resources").isEmpty();
  }

  /** Another tenant with its own connections and a job the operator must never see. */
  private static String foreignTenantJob(FleetApi admin, MariaDbServer[] pair) {
    admin.ok("POST", "/api/v1/tenants", new JsonObject().put("name", "globex"));
    String[] ids = new String[2];
    for (int i = 0; i < 2; i++) {
      ids[i] = admin.ok("POST", "/api/v1/connections", new JsonObject().put("name", "globex-" + i)
          .put("host", pair[i].host()).put("port", pair[i].port()).put("user", "nobody").put("password", "x")
          .put("tls", "disabled").put("tenant", "globex")).getString("id");
    }
    return admin.ok("POST", "/api/v1/jobs", new JsonObject().put("name", "globex-secret-ledger").put("tenant", "globex")
        .put("source", ids[0]).put("destination", ids[1]).put("autoStart", false)
        .put("tables", new JsonObject().put("include", new JsonArray().add("secret.*")))).getString("id");
  }

  /**
   * The admin adds the operator and a viewer, creates a tenant, an API token (shown once: gone from the page
   * once left) and finds all three in the audit trail; returns the token.
   */
  private String adminAdministers(String adminToken) {
    browser.load("/");
    browser.awaitText("#version", "shows the control plane's version", t -> t.matches("v\\d+\\.\\d+\\.\\d+.*"));
    browser.click("#signin-tab-token");
    browser.type("#signin-token", adminToken);
    browser.click("#signin-submit");
    browser.awaitText("#identity", "names the admin", t -> t.contains("admin"));
    browser.go("/admin/users");
    for (String[] person : new String[][] {{OPERATOR, OPERATOR_PASSWORD, "operator"}, {VIEWER, VIEWER_PASSWORD, "viewer"}}) {
      browser.type("#user-name", person[0]);
      browser.type("#user-password", person[1]);
      browser.select("#user-role", person[2]);
      browser.select("#user-tenant", "default");
      browser.click("#user-form button[type=submit]");
      browser.awaitText("#admin-users table", "lists " + person[0], t -> t.contains(person[0]));
    }

    browser.go("/admin/tenants");
    browser.type("#tenant-name", "Initech Ltd");
    browser.click("#admin-tenants button[type=submit]");
    assertThat(browser.js("return document.getElementById('tenant-name').validity.patternMismatch"))
        .as("the form refuses a name the API would refuse").isEqualTo(true);
    browser.type("#tenant-name", "initech");
    browser.click("#admin-tenants button[type=submit]");
    browser.awaitText("#admin-tenants table", "lists the new tenant", t -> t.contains("initech") && t.contains("globex"));

    browser.go("/admin/tokens");
    browser.type("#token-name", "ci-reader");
    browser.select("#token-form select[name=role]", "viewer");
    browser.select("#token-form select[name=tenant]", "default");
    browser.click("#token-form button[type=submit]");
    String token = browser.await("the new token is shown", () -> {
      String v = browser.find("#token-value").getAttribute("value");
      return v != null && v.startsWith("fy_") ? v : null;
    });
    assertThat(browser.text("#token-shown")).contains("shown only this once");
    browser.go("/admin/audit");
    browser.awaitText("#admin-audit table", "lists what the admin did", t -> t.contains("user.create")
        && t.contains("tenant.create") && t.contains("token.create"));
    browser.go("/admin/tokens");
    browser.awaitText("#admin-tokens table", "lists the token", t -> t.contains("ci-reader") && t.contains(token.substring(0, 8)));
    assertThat(browser.present("#token-value")).as("the token is shown once only").isFalse();
    assertThat(browser.driver.getPageSource()).doesNotContain(token);

    browser.click("#sign-out");
    browser.find("#signin-form");
    return token;
  }

  /** The operator signs in with the keyboard alone: the name field has the focus, Tab, Enter. */
  private void signInByKeyboard(String name, String password) {
    browser.await("the name field has the focus", () -> "signin-name".equals(active().getAttribute("id")) ? true : null);
    active().sendKeys(name);
    active().sendKeys(Keys.TAB);
    assertThat(active().getAttribute("id")).isEqualTo("signin-password");
    active().sendKeys(password, Keys.ENTER);
    browser.awaitText("#identity", "names the operator", t -> t.contains(name) && t.contains("operator"));
    assertThat(browser.present("#nav [data-nav=admin]:not([hidden])")).as("no administration for an operator").isFalse();
  }

  private WebElement active() {
    return browser.driver.switchTo().activeElement();
  }

  /** Creates a connection with a wrong password first: the check names the problem and its remedy; then mends it. */
  private String connection(String name, MariaDbServer server, String user, String password, String role) {
    browser.go("/connections/new");
    browser.type("#conn-name", name);
    browser.type("#conn-host", server.host());
    browser.type("#conn-port", Integer.toString(server.port()));
    browser.type("#conn-user", user);
    browser.type("#conn-password", "wrong-" + password);
    browser.select("#conn-tls", "disabled");
    browser.click("#save-connection");
    browser.await("the connection is saved", () -> browser.driver.getCurrentUrl().matches(".*#/connections/conn_.*") ? true : null);
    String id = browser.driver.getCurrentUrl().replaceAll(".*#/connections/", "");
    browser.select("#check-role", role);
    browser.click("#check");
    String problems = browser.awaitText("#check-problems", "reports the wrong password", t -> t.contains("ACCESS_DENIED"));
    assertThat(problems).contains("access denied", "What to do:");
    assertThat(browser.find("#conn-password").getAttribute("value")).as("the password field is write-only").isEmpty();

    browser.type("#conn-password", password);
    browser.click("#save-connection");
    browser.await("the password field is emptied again", () ->
        browser.find("#conn-password").getAttribute("value").isEmpty() ? true : null);
    browser.click("#check");
    browser.find("#check-ok");
    return id;
  }

  /**
   * The wizard: shop minus two keyless tables the load writes, renamed to shop_copy, with the initial copy
   * taking the third keyless table (notes) whole.
   */
  private String wizard(String source, String destination) {
    browser.go("/new-job");
    browser.type("#job-name-input", "shop");
    browser.select("#job-source", source);
    browser.select("#job-destination", destination);
    browser.click("#wizard-next");
    browser.click("#db-shop");
    browser.click("[id='table-shop.ledger']");
    browser.click("[id='table-shop.bulk']");
    browser.click("#wizard-next");
    browser.type("#rename-shop", "shop_copy");
    browser.click("#wizard-next");
    browser.select("#job-start", "snapshot");
    assertThat(browser.text("#keyless-warning")).as("only the included keyless table is named")
        .contains("shop.notes").doesNotContain("shop.ledger", "shop.bulk");
    browser.select("#job-keyless", "copy");
    browser.select("#job-ddl", "exec");
    browser.click("#wizard-next");
    String review = browser.text("#wizard-review");
    assertThat(review).contains("shop.*", "shop.ledger", "shop.bulk", "shop → shop_copy", "snapshot (keyless copy)");
    browser.click("#wizard-create");
    browser.await("the job page opens", () -> browser.driver.getCurrentUrl().contains("#/jobs/job_") ? true : null);
    return browser.find("#job-page").getAttribute("data-job-id");
  }

  /**
   * A job of the operator's tenant whose source connection holds an outdated password: the worker fails it
   * at once with the reason and a remedy.
   */
  private static String brokenJob(FleetApi admin, MariaDbServer source, String destination) {
    String stale = admin.ok("POST", "/api/v1/connections", new JsonObject().put("name", "stale-password")
        .put("host", source.host()).put("port", source.port()).put("user", "repl").put("password", "an-old-password")
        .put("tls", "disabled").put("tenant", "default")).getString("id");
    return admin.ok("POST", "/api/v1/jobs", new JsonObject().put("name", "audit-feed").put("tenant", "default")
        .put("source", stale).put("destination", destination).put("start", "current")
        .put("tables", new JsonObject().put("include", new JsonArray().add("shop.orders")))
        .put("databaseMap", new JsonObject().put("shop", "shop_audit"))).getString("id");
  }

  /**
   * Rows applied rises in the overview from the event stream alone: the job list is not fetched meanwhile.
   * The failed job shows its state and last error, and the counts by state tell both.
   */
  private void watchRowsRiseLive(String job, String broken) {
    browser.go("/");
    String cell = "#jobs-body tr[data-job-id='" + job + "'] td[data-col=rows]";
    long first = count(browser.awaitText(cell, "shows a count", t -> !t.equals("–")));
    long listFetches = listFetches();
    long[] seen = {first};
    int[] rises = {0};
    Awaitility.await("rows applied rises three times live").atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(200)).until(() -> {
          long now = count(browser.text(cell));
          if (now > seen[0]) {
            seen[0] = now;
            rises[0]++;
          }
          return rises[0] >= 3;
        });
    assertThat(listFetches()).as("the overview does not poll the job list").isEqualTo(listFetches);
    assertThat(browser.text("#jobs-body tr[data-job-id='" + job + "']")).contains("shop", "RUNNING", "w1");
    String code = errorCode(broken);
    browser.awaitText("#jobs-body tr[data-job-id='" + broken + "'] td[data-col=error]", "shows the last error",
        t -> t.startsWith(code + ": "));
    assertThat(browser.text("#jobs-body tr[data-job-id='" + broken + "'] td[data-col=state]")).isEqualTo("ERROR");
    assertThat(browser.text(".counts [data-state=RUNNING] .count")).isEqualTo("1");
    assertThat(browser.text(".counts [data-state=ERROR] .count")).isEqualTo("1");
    assertThat(browser.text(".counts [data-state=''] .count")).isEqualTo("2");
  }

  /** The error the worker reported for the job, as the API tells it (after waiting for it). */
  private String errorCode(String id) {
    return Awaitility.await("job " + id + " fails").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> fleet.api.job(id).getJsonObject("error"), e -> e != null).getString("code");
  }

  /** Sorting by a column and back, filtering by a state's count and by text. */
  private void sortAndFilter(String job, String broken) {
    assertThat(shownJobs()).containsExactly(broken, job); // by name: audit-feed, shop
    browser.click("#jobs-table th[data-col=name] button");
    browser.await("sorted by name, descending", () -> shownJobs().equals(List.of(job, broken)) ? true : null);
    assertThat(browser.find("#jobs-table th[data-col=name]").getAttribute("aria-sort")).isEqualTo("descending");
    browser.click("#jobs-table th[data-col=name] button");
    browser.await("sorted by name again", () -> shownJobs().equals(List.of(broken, job)) ? true : null);

    browser.click(".counts [data-state=ERROR]");
    browser.await("only the failed job is shown", () -> shownJobs().equals(List.of(broken)) ? true : null);
    assertThat(browser.text("#jobs-shown")).isEqualTo("1 of 2 jobs shown");
    assertThat(browser.find(".counts [data-state=ERROR]").getAttribute("aria-pressed")).isEqualTo("true");
    browser.click(".counts [data-state=ERROR]");
    browser.await("both jobs are shown again", () -> shownJobs().size() == 2 ? true : null);

    WebElement filter = browser.find("#job-filter");
    filter.sendKeys(errorCode(broken).toLowerCase(java.util.Locale.ROOT));
    browser.await("the filter by error keeps the failed job", () -> shownJobs().equals(List.of(broken)) ? true : null);
    filter.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    browser.await("an empty filter shows both", () -> shownJobs().size() == 2 ? true : null);
  }

  @SuppressWarnings("unchecked")
  private List<String> shownJobs() {
    return (List<String>) browser.js("return [...document.querySelectorAll('#jobs-body tr')].map(r => r.dataset.jobId)");
  }

  /** The worker with its job and a heartbeat a few seconds old; an operator gets no drain button. */
  private void workers(String job) {
    browser.go("/workers");
    String row = "#workers-body tr[data-worker-id=w1]";
    browser.awaitText(row, "lists the worker's job", t -> t.contains("UP") && t.contains("1 job"));
    String age = browser.awaitText(row + " td[data-col=heartbeat]", "tells the heartbeat's age", t -> t.matches("\\d+ s ago"));
    assertThat(count(age)).as("heartbeat age (s)").isLessThan(15);
    browser.click(row + " summary");
    browser.awaitText(row + " td[data-col=jobs]", "names the job", t -> t.contains("shop"));
    assertThat(browser.present(row + " a[href='#/jobs/" + job + "']")).isTrue();
    assertThat(browser.present(row + " button")).as("no drain for an operator").isFalse();
  }

  /** At 1280×800 the overview and the job page need no sideways scrolling. */
  private void readableOnALaptop(String job) {
    Dimension before = browser.driver.manage().window().getSize();
    browser.driver.manage().window().setSize(new Dimension(1280, 800));
    try {
      for (String page : new String[] {"/jobs/" + job, "/"}) {
        browser.go(page);
        browser.find(page.equals("/") ? "#jobs-body tr" : "#chart-rows");
        browser.await(page + " fits 1280 pixels", () -> (Boolean) browser.js("const d = document.documentElement;"
            + " return d.scrollWidth <= d.clientWidth") ? true : null);
      }
    } finally {
      browser.driver.manage().window().setSize(before);
    }
  }

  /**
   * The failed job's page shows the error with its remedy; Stop asks first (Escape cancels, the keyboard
   * confirms), Start tries again and fails the same way, Delete asks and removes the job everywhere.
   */
  private void aFailedJobShowsItsRemedyAndIsStoppedAndDeleted(String broken) {
    String code = errorCode(broken);
    browser.go("/jobs/" + broken);
    String error = browser.awaitText("#job-error", "shows the error", t -> t.contains(code));
    assertThat(error).contains("What to do:");
    assertThat(browser.find("#action-start").isEnabled()).as("a failed job can be started").isTrue();

    browser.click("#action-stop");
    browser.await("the confirmation opens", () -> Boolean.TRUE.equals(browser.js(CONFIRM_OPEN)) ? true : null);
    assertThat(active().getAttribute("id")).as("Cancel has the focus").isEqualTo("confirm-cancel");
    assertThat(browser.text("#confirm-message")).contains("audit-feed");
    active().sendKeys(Keys.ESCAPE);
    browser.await("Escape closes the confirmation", () -> Boolean.FALSE.equals(browser.js(CONFIRM_OPEN)) ? true : null);
    assertThat(fleet.api.job(broken).getString("desiredState")).as("nothing was stopped").isEqualTo("RUNNING");

    browser.click("#action-stop");
    browser.await("the confirmation opens again", () -> Boolean.TRUE.equals(browser.js(CONFIRM_OPEN)) ? true : null);
    active().sendKeys(Keys.TAB);
    assertThat(active().getAttribute("id")).isEqualTo("confirm-ok");
    active().sendKeys(Keys.ENTER);
    browser.awaitText("#job-page .heading .badge", "says STOPPED", "STOPPED"::equals);

    browser.click("#action-start");
    browser.awaitText("#job-events", "lists the stop and the start", t -> t.contains("job.stop") && t.contains("job.start"));
    browser.awaitText("#job-page .heading .badge", "says ERROR again", "ERROR"::equals);
    browser.awaitText("#job-error", "shows the error again", t -> t.contains(code) && t.contains("What to do:"));

    browser.click("#action-stop");
    browser.click("#confirm-ok");
    browser.awaitText("#job-page .heading .badge", "says STOPPED", "STOPPED"::equals);
    browser.click("#action-delete");
    browser.awaitText("#confirm-message", "warns", t -> t.contains("cannot be undone"));
    browser.click("#confirm-ok");
    browser.await("back on the overview", () -> browser.driver.getCurrentUrl().endsWith("#/") ? true : null);
    browser.await("the job is gone", () -> shownJobs().size() == 1 ? true : null);
    assertThat(fleet.api.call("GET", "/api/v1/jobs/" + broken, null).status()).isEqualTo(404);
  }

  /** A viewer sees the jobs but no button that changes anything. */
  private void aViewerSeesNoActions(String job) {
    browser.type("#signin-name", VIEWER);
    browser.type("#signin-password", VIEWER_PASSWORD);
    browser.click("#signin-submit");
    browser.awaitText("#identity", "names the viewer", t -> t.contains(VIEWER) && t.contains("viewer"));
    browser.awaitText("#jobs-body", "lists the job", t -> t.contains("shop"));
    assertThat(browser.present("main .heading a.button")).as("no New job button").isFalse();
    assertThat(browser.present("#nav [data-nav=new-job]:not([hidden])")).isFalse();
    assertThat(browser.present("#nav [data-nav=admin]:not([hidden])")).isFalse();
    browser.go("/jobs/" + job);
    browser.awaitText("#job-page .heading .badge", "says RUNNING", "RUNNING"::equals);
    assertThat(browser.present("#job-actions button")).as("no job actions for a viewer").isFalse();
    browser.go("/connections");
    browser.awaitText("#connections-body", "lists the connections", t -> t.contains("shop-source"));
    assertThat(browser.present("#connections-body button, #connections-body a, #new-connection"))
        .as("no editing for a viewer").isFalse();
    assertThat(new FleetApi(fleet.controlPlane.httpPort(), (String) browser.js(
        "return JSON.parse(sessionStorage.getItem('ferry.session')).token")).call("POST", "/api/v1/jobs/" + job + "/pause", null)
        .status()).as("the API refuses a viewer's pause").isEqualTo(403);
    browser.click("#sign-out");
    browser.find("#signin-form");
  }

  private long listFetches() {
    return ((Number) browser.js("return performance.getEntriesByType('resource')"
        + ".filter(e => new URL(e.name).pathname === '/api/v1/jobs').length")).longValue();
  }

  private static long count(String text) {
    return Long.parseLong(text.replaceAll("[^0-9]", ""));
  }

  private void pauseAndResume() {
    browser.awaitText("#job-page .heading .badge", "says RUNNING", "RUNNING"::equals);
    browser.click("#action-pause");
    browser.awaitText("#job-page .heading .badge", "says PAUSED", "PAUSED"::equals);
    browser.click("#action-resume");
    browser.awaitText("#job-page .heading .badge", "says RUNNING again", "RUNNING"::equals);
    browser.awaitText("#job-events", "lists the pause and the resume", t -> t.contains("job.pause") && t.contains("job.resume")
        && t.contains(OPERATOR));
  }

  private void foreignJobIsNowhere(String foreignJob) {
    for (String page : new String[] {"/", "/workers", "/connections"}) {
      browser.go(page);
      browser.find("main h1");
      browser.await("the page has loaded its rows", () -> browser.text("main").length() > 20 ? true : null);
      assertThat(browser.text("main")).as(page).doesNotContain("globex", foreignJob);
    }
    browser.go("/jobs/" + foreignJob);
    browser.awaitText("main h1", "says not found", "Job not found"::equals);
    assertThat(browser.text("main")).doesNotContain("globex-secret-ledger");
  }

  private void signOut() {
    String token = (String) browser.js("return JSON.parse(sessionStorage.getItem('ferry.session')).token");
    browser.click("#sign-out");
    browser.find("#signin-form");
    assertThat(browser.js("return sessionStorage.getItem('ferry.session')")).isNull();
    assertThat(new FleetApi(fleet.controlPlane.httpPort(), token).call("GET", "/api/v1/sessions/current", null).status())
        .as("signing out revoked the session").isEqualTo(401);
  }
}
