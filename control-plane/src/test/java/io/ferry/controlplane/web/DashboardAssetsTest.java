package io.ferry.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.ferry.controlplane.ControlPlaneSettings;
import io.ferry.controlplane.FakeFleet;
import io.ferry.controlplane.api.Api;
import io.ferry.controlplane.api.ApiRoutes;
import io.ferry.controlplane.api.JobTenants;
import io.ferry.controlplane.secrets.PasswordHasher;
import io.ferry.controlplane.secrets.SecretBox;
import io.ferry.controlplane.store.JobStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's files obey the content security policy they are served with (no inline script or
 * style, no handler attributes, no markup built from strings, nothing fetched from another origin),
 * every module import names a file that exists, and the control plane serves them at {@code /} with the
 * security headers while the API keeps its JSON errors. Nothing else needs to run (the pool is lazy).
 */
class DashboardAssetsTest {
  private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*(?:import|export)\\b[^;]*?from\\s+'([^']+)'");

  @TempDir
  Path dir;

  @Test
  void theFilesNeedNothingTheirPolicyForbids() throws Exception {
    Map<String, String> files = files();
    assertThat(files).containsKeys("index.html", "app.css", "js/app.js");
    files.forEach((name, text) -> {
      if (name.endsWith(".html")) {
        assertThat(text).as(name).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
            .doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=").doesNotContain("<style");
      }
      if (name.endsWith(".js")) {
        assertThat(text).as(name).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
            "eval(", "new Function", "setAttribute('style'", "localStorage");
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          String target = Path.of(name).resolveSibling(m.group(1)).normalize().toString();
          assertThat(files).as(name + " imports " + m.group(1)).containsKey(target);
        }
      }
      assertThat(text.replace("http://www.w3.org/2000/svg", "")).as(name + " fetches nothing from elsewhere")
          .doesNotContainPattern("https?://");
    });
  }

  @Test
  void servedAtTheRootWithSecurityHeadersBesideTheApi() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = JDBCPool.pool(vertx, new MysqlDataSource(), new PoolOptions().setMaxSize(1));
      FakeFleet fleet = new FakeFleet();
      Api api = ApiRoutes.create(vertx, pool, fleet, SecretBox.fromKeyFile(dir.resolve("k")),
          new PasswordHasher(1024, 1, 1), ControlPlaneSettings.defaults(), new JobTenants(new JobStore(pool), fleet), Set.of());
      HttpServer server = vertx.createHttpServer().requestHandler(api.router()).listen(0)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.actualPort();

      HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
      assertThat(index.headers().firstValue("content-type").orElse("")).startsWith("text/html");
      String csp = index.headers().firstValue("content-security-policy").orElse("");
      assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'")
          .doesNotContain("unsafe");
      assertThat(index.headers().firstValue("x-content-type-options")).contains("nosniff");
      assertThat(index.headers().firstValue("x-frame-options")).contains("DENY");
      assertThat(index.headers().firstValue("cache-control")).contains("no-cache");

      HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(base + "/js/app.js")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(script.headers().firstValue("content-type").orElse("")).startsWith("text/javascript");

      HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/nothing")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("\"code\":\"NOT_FOUND\"");
      assertThat(missing.headers().firstValue("content-security-policy")).isPresent();
      HttpResponse<String> asset = http.send(HttpRequest.newBuilder(URI.create(base + "/no-such-file.js")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(asset.statusCode()).isEqualTo(404);
      HttpResponse<String> outside = http.send(HttpRequest.newBuilder(URI.create(base + "/../openapi/ferry.yaml")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(outside.statusCode()).isEqualTo(404);
      api.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Every file under the classpath's webroot/, by its path there. */
  private static Map<String, String> files() throws Exception {
    URL index = DashboardAssetsTest.class.getClassLoader().getResource(Dashboard.WEBROOT + "/index.html");
    assertThat(index).as("the web-ui module's webroot on the classpath").isNotNull();
    URI uri = index.toURI();
    FileSystem jar = uri.getScheme().equals("jar") ? FileSystems.newFileSystem(uri, Map.of()) : null;
    try {
      Path root = Path.of(uri).getParent();
      Map<String, String> out = new TreeMap<>();
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : paths.filter(Files::isRegularFile).toList()) {
          out.put(root.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
        }
      }
      return out;
    } finally {
      if (jar != null) {
        jar.close();
      }
    }
  }
}
