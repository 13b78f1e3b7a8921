package io.ferry.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.ferry.controlplane.ControlPlaneSettings;
import io.ferry.controlplane.FakeFleet;
import io.ferry.controlplane.auth.Role;
import io.ferry.controlplane.secrets.PasswordHasher;
import io.ferry.controlplane.secrets.SecretBox;
import io.ferry.controlplane.store.JobStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document and the router agree: the same (method, path) pairs in both directions, and the
 * same roles per route. The pool is never used (it connects lazily), so nothing needs to run.
 */
class OpenApiRoutesTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @TempDir
  Path dir;
  private Vertx vertx;
  private Api api;

  @BeforeEach
  void build() throws Exception {
    vertx = Vertx.vertx();
    Pool pool = JDBCPool.pool(vertx, new MysqlDataSource(), new PoolOptions().setMaxSize(1));
    FakeFleet fleet = new FakeFleet();
    api = ApiRoutes.create(vertx, pool, fleet, SecretBox.fromKeyFile(dir.resolve("k")), new PasswordHasher(1024, 1, 1),
        ControlPlaneSettings.defaults(), new JobTenants(new JobStore(pool), fleet), Set.of());
  }

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void everyDocumentedOperationIsRoutedAndEveryRouteIsDocumentedWithItsRoles() throws Exception {
    Map<String, Set<String>> documented = documented();
    Set<String> routed = new TreeSet<>();
    for (Route r : api.router().getRoutes()) {
      if (r.methods() == null || r.methods().isEmpty() || r.getPath() == null) {
        continue; // the body handler and other catch-all handlers
      }
      r.methods().forEach(m -> routed.add(m.name() + " " + Api.openApiPath(r.getPath())));
    }
    assertThat(routed).containsExactlyInAnyOrderElementsOf(documented.keySet());

    Map<String, Set<String>> roles = new TreeMap<>();
    api.specs().forEach(s -> roles.put(s.method().name() + " " + s.path(), s.roles().isEmpty() ? Set.of("public")
        : s.roles().stream().map(Role::wire).collect(Collectors.toSet())));
    assertThat(roles).isEqualTo(documented);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Set<String>> documented() throws Exception {
    Map<String, Object> doc;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(ApiRoutes.OPENAPI_RESOURCE)) {
      assertThat(in).as("the OpenAPI resource").isNotNull();
      doc = new Yaml().load(in);
    }
    assertThat(String.valueOf(doc.get("openapi"))).startsWith("3.0");
    Map<String, Set<String>> out = new TreeMap<>();
    Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
    paths.forEach((path, item) -> ((Map<String, Object>) item).forEach((method, op) -> {
      if (METHODS.contains(method)) {
        Map<String, Object> operation = (Map<String, Object>) op;
        assertThat(operation).as(method + " " + path).containsKeys("responses", "x-ferry-roles");
        out.put(method.toUpperCase(Locale.ROOT) + " " + path,
            Set.copyOf((java.util.List<String>) operation.get("x-ferry-roles")));
      }
    }));
    return out;
  }
}
