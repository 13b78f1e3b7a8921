package io.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Firefox (driven over WebDriver BiDi, see {@link FirefoxBidi}) against a
 * real control plane, worker and MariaDB servers: sign in with a token, rows applied rising live in the
 * overview while a write load runs, the job page with its charts, pause and resume, verify ending in
 * "match", the connections list, the wizard browsing the source's databases, draining the worker (confirmed
 * first), sign out; no script error
 * or refused resource on the way. {@link DashboardIT} runs the whole user story in Chromium; this one
 * proves the same pages work in the other engine.
 */
class FirefoxDashboardIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @AutoClose
  private PairFleet fleet;

  @Test
  void theDashboardWorksInFirefox() throws Exception {
    FirefoxBidi.requireFirefox();
    fleet = PairFleet.start(dir, "w1", 8);
    FleetApi admin = fleet.api;
    LedgerLoad.createTables(fleet.source, "shop");
    PairFleet.Connections connections = fleet.connections("shop-source", "shop-destination");
    String source = connections.source();
    String destination = connections.destination();
    String job = admin.job("shop", source, destination, "shop", "shop_copy");
    Awaitility.await("the job runs").atMost(Duration.ofSeconds(60))
        .until(() -> "RUNNING".equals(admin.job(job).getString("state")));
    LedgerLoad load = fleet.closing(new LedgerLoad(fleet.source, "shop", 11, 20));
    load.start();

    FirefoxBidi browser = fleet.closing(FirefoxBidi.open(fleet.controlPlane.httpPort()));
    browser.load("/");
    browser.awaitText("#version", "shows the control plane's version", t -> t.matches("v\\d+\\.\\d+\\.\\d+.*"));
    browser.click("#signin-tab-token");
    browser.type("#signin-token", fleet.controlPlane.generatedAdminToken());
    browser.click("#signin-submit");
    browser.awaitText("#identity", "names the admin", t -> t.contains("admin"));

    String cell = "#jobs-body tr[data-job-id='" + job + "'] td[data-col=rows]";
    long first = count(browser.awaitText(cell, "shows a count", t -> t.matches(".*\\d.*")));
    browser.awaitText(cell, "rises live", t -> count(t) > first);
    assertThat(browser.text("#jobs-body")).contains("shop", "RUNNING", "w1");
    browser.screenshot(DashboardBrowser.screenshots().resolve("firefox-overview.png"));

    browser.go("/jobs/" + job);
    browser.awaitText("#job-page .heading .badge", "says RUNNING", "RUNNING"::equals);
    browser.click("#action-pause");
    browser.awaitText("#job-page .heading .badge", "says PAUSED", "PAUSED"::equals);
    browser.click("#action-resume");
    browser.awaitText("#job-page .heading .badge", "says RUNNING again", "RUNNING"::equals);
    browser.awaitText("#job-events", "lists the pause and the resume", t -> t.contains("job.pause")
        && t.contains("job.resume"));
    load.stop();
    browser.click("#action-verify");
    browser.awaitText("#verify-state", "says match", "match"::equals);
    assertThat(browser.text("#verify-tables")).contains("shop.accounts", "shop.ledger");
    browser.await("the charts have samples", () -> browser.present("#chart-rows path.line"));
    browser.screenshot(DashboardBrowser.screenshots().resolve("firefox-job.png"));

    browser.go("/connections");
    browser.awaitText("main", "lists both connections", t -> t.contains("shop-source") && t.contains("shop-destination"));
    browser.go("/new-job");
    browser.type("#job-name-input", "another");
    browser.js("(() => { const s = document.querySelector('#job-source'); s.value = '" + source + "';"
        + " s.dispatchEvent(new Event('change', {bubbles: true})); })()");
    browser.js("(() => { const s = document.querySelector('#job-destination'); s.value = '" + destination + "';"
        + " s.dispatchEvent(new Event('change', {bubbles: true})); })()");
    browser.click("#wizard-next");
    browser.await("the wizard lists the source's databases", () -> browser.present("#db-shop"));

    // drain (admin only): asks first, then the worker shows DRAINING and offers no second drain
    browser.go("/workers");
    String row = "#workers-body tr[data-worker-id=w1]";
    browser.awaitText(row, "lists the worker with its heartbeat's age", t -> t.contains("UP") && t.matches("(?s).*\\d+ s ago.*"));
    browser.click(row + " button");
    browser.awaitText("#confirm-message", "asks before draining", t -> t.contains("move to other workers"));
    browser.click("#confirm-ok");
    browser.awaitText(row, "shows the worker draining", t -> t.contains("DRAINING"));
    assertThat(browser.present(row + " button")).as("no drain button for a draining worker").isFalse();
    assertThat(admin.workers().getJsonObject(0).getString("state")).isEqualTo("DRAINING");

    browser.click("#sign-out");
    browser.await("the sign-in form is back", () -> browser.present("#signin-form"));
    assertThat(browser.consoleErrors()).as("script errors or refused resources").isEmpty();
  }

  private static long count(String text) {
    String digits = text.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? -1 : Long.parseLong(digits);
  }
}
