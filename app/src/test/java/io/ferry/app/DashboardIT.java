package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.mariadb.MariaDbServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium against a real control plane, worker and MariaDB servers: an
 * admin signs in with the bootstrap token and adds an operator; the operator signs in with name and
 * password, creates two connections (the first with a wrong password, which the live check reports with
 * its remedy, then mends), creates a job through the wizard (a whole database minus two keyless tables,
 * renamed), watches rows-applied rise live while a write load runs (without the page polling the job
 * list), pauses and resumes, runs verify and sees "match", finds another tenant's job nowhere, and signs
 * out (which revokes the session). No script error or Content-Security-Policy violation may occur.
 * Screenshots of the overview and the job page go to {@link DashboardBrowser#screenshots()}.
 */
class DashboardIT {
  private static final String OPERATOR = "olivia";
  private static final String OPERATOR_PASSWORD = "correct-horse-battery";

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
        "INSERT INTO shop.orders SELECT seq, seq % 9, CONCAT('order ', seq) FROM shop.seq_1_to_2000");
    pair[0].createUser("repl", "repl-pw-1", "REPLICATION SLAVE, BINLOG MONITOR ON *.*", "SELECT ON shop.*");
    pair[1].createUser("ferry", "ferry-pw-2", "ALL ON shop_copy.*", "ALL ON _ferry.*");
    String foreignJob = foreignTenantJob(admin, pair);

    browser = fleet.closing(DashboardBrowser.open(fleet.controlPlane.httpPort()));
    adminAddsTheOperator(fleet.controlPlane.generatedAdminToken());
    signIn(OPERATOR, OPERATOR_PASSWORD);
    String source = connection("shop-source", pair[0], "repl", "repl-pw-1", "source");
    String destination = connection("shop-copy", pair[1], "ferry", "ferry-pw-2", "destination");
    String job = wizard(source, destination);

    browser.awaitText("#job-page .heading .badge", "says RUNNING", "RUNNING"::equals);
    // The initial copy's section stays on the page once done: a bar per table, each marked done.
    browser.awaitText("#snapshot-tables", "lists every copied table as done", t -> t.contains("shop.orders")
        && t.contains("shop.accounts") && t.contains("2,000") && !t.contains("%"));
    assertThat(browser.text("#job-snapshot")).contains("tables (100 %)").doesNotContain("shop.ledger");
    browser.screenshot(DashboardBrowser.screenshots().resolve("job-copied.png"), false);
    LedgerLoad load = fleet.closing(new LedgerLoad(pair[0], "shop", 7, 20));
    load.start();
    watchRowsRiseLive(job);
    browser.screenshot(DashboardBrowser.screenshots().resolve("overview.png"));

    browser.go("/jobs/" + job);
    pauseAndResume();
    load.stop();
    browser.click("#action-verify");
    browser.awaitText("#verify-state", "says match", "match"::equals);
    assertThat(browser.text("#verify-tables")).contains("shop.accounts", "shop.orders").doesNotContain("shop.ledger");
    browser.await("the charts have samples", () -> browser.present("#chart-rows path.line") ? true : null);
    browser.screenshot(DashboardBrowser.screenshots().resolve("job.png"));

    foreignJobIsNowhere(foreignJob);
    signOut();
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

  private void adminAddsTheOperator(String adminToken) {
    browser.load("/");
    browser.awaitText("#version", "shows the control plane's version", t -> t.matches("v\\d+\\.\\d+\\.\\d+.*"));
    browser.click("#signin-tab-token");
    browser.type("#signin-token", adminToken);
    browser.click("#signin-submit");
    browser.awaitText("#identity", "names the admin", t -> t.contains("admin"));
    browser.go("/admin/users");
    browser.type("#user-name", OPERATOR);
    browser.type("#user-password", OPERATOR_PASSWORD);
    browser.select("#user-role", "operator");
    browser.select("#user-tenant", "default");
    browser.click("#user-form button[type=submit]");
    browser.awaitText("#admin-users table", "lists the operator", t -> t.contains(OPERATOR));
    browser.click("#sign-out");
    browser.find("#signin-form");
  }

  private void signIn(String name, String password) {
    browser.type("#signin-name", name);
    browser.type("#signin-password", password);
    browser.click("#signin-submit");
    browser.awaitText("#identity", "names the operator", t -> t.contains(name) && t.contains("operator"));
    assertThat(browser.present("#nav [data-nav=admin]:not([hidden])")).as("no administration for an operator").isFalse();
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

  /** The wizard: shop minus its keyless tables, renamed to shop_copy, with the initial copy. */
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
    assertThat(browser.present("#keyless-warning") ? browser.text("#keyless-warning") : "")
        .as("the excluded keyless tables do not warn").isEmpty();
    browser.select("#job-start", "snapshot");
    browser.select("#job-ddl", "exec");
    browser.click("#wizard-next");
    String review = browser.text("#wizard-review");
    assertThat(review).contains("shop.*", "shop.ledger", "shop.bulk", "shop → shop_copy", "snapshot");
    browser.click("#wizard-create");
    browser.await("the job page opens", () -> browser.driver.getCurrentUrl().contains("#/jobs/job_") ? true : null);
    return browser.find("#job-page").getAttribute("data-job-id");
  }

  /** Rows applied rises in the overview from the event stream alone: the job list is not fetched meanwhile. */
  private void watchRowsRiseLive(String job) {
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
    assertThat(browser.text("#jobs-body")).contains("shop", "RUNNING", "w1");
    assertThat(browser.text(".counts [data-state=RUNNING] .count")).isEqualTo("1");
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
