package io.ferry.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's small shop: customers, products, orders with items (several types of each kind), and an
 * audit table without a primary key; plus a write load of whole transactions (new orders, stock
 * changes, cancellations). Owns its load thread.
 */
final class DemoShop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoShop.class);
  static final String DATABASE = "shop";

  private final Connection connection;
  private final Random random = new Random();
  private final AtomicLong transactions = new AtomicLong();
  private volatile boolean running;
  private boolean seeded;
  private Thread thread;

  DemoShop(Connection connection) {
    this.connection = connection;
  }

  static void createSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE + " CHARACTER SET utf8mb4");
      s.execute("CREATE TABLE shop.customers (id BIGINT UNSIGNED PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100) NOT NULL,"
          + " email VARCHAR(150) NOT NULL UNIQUE, country CHAR(2), tier ENUM('basic','gold','platinum') NOT NULL,"
          + " created_at DATETIME(3) NOT NULL, last_seen TIMESTAMP(6) NULL)");
      s.execute("CREATE TABLE shop.products (sku VARCHAR(32) PRIMARY KEY, title VARCHAR(200) NOT NULL,"
          + " price DECIMAL(12,2) NOT NULL, weight_kg FLOAT, stock INT NOT NULL, tags SET('new','sale','eco'),"
          + " details JSON, photo BLOB)");
      s.execute("CREATE TABLE shop.orders (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer_id BIGINT UNSIGNED NOT NULL,"
          + " status ENUM('new','paid','shipped','cancelled') NOT NULL, total DECIMAL(14,2) NOT NULL,"
          + " placed_on DATE NOT NULL, note TEXT, KEY (customer_id))");
      s.execute("CREATE TABLE shop.order_items (order_id BIGINT NOT NULL, line SMALLINT NOT NULL, sku VARCHAR(32) NOT NULL,"
          + " qty INT NOT NULL, price DECIMAL(12,2) NOT NULL, PRIMARY KEY (order_id, line))");
      s.execute("CREATE TABLE shop.audit_log (at TIMESTAMP(3) NOT NULL, actor VARCHAR(50), action VARCHAR(200))");
    }
  }

  /**
   * The shop's past, written before the demo's job exists, so that its initial copy has something to copy while the
   * load goes on: the products, {@code customers} customers, {@code orders} orders of one to four lines each, and an
   * audit row per order (the table without a key). Multi-row statements, a commit every 500 orders.
   */
  void seedHistory(int customers, int orders) throws SQLException {
    connection.setAutoCommit(false);
    seedProducts();
    seeded = true;
    try (Statement s = connection.createStatement()) {
      String[] countries = {"ID", "DE", "US", "JP", "BR"};
      String[] tiers = {"basic", "gold", "platinum"};
      for (int from = 0; from < customers; from += 500) {
        StringBuilder sql = new StringBuilder("INSERT INTO shop.customers (name, email, country, tier, created_at,"
            + " last_seen) VALUES ");
        for (int i = from; i < Math.min(customers, from + 500); i++) {
          sql.append(i == from ? "" : ",").append("('Customer ").append(i).append("','past").append(i)
              .append("@example.com','").append(countries[random.nextInt(5)]).append("','")
              .append(tiers[random.nextInt(3)]).append("', NOW(3) - INTERVAL ").append(random.nextInt(1_000_000))
              .append(" SECOND, ").append(random.nextInt(4) == 0 ? "NULL" : "NOW(6)").append(')');
        }
        s.executeUpdate(sql.toString());
      }
      connection.commit();
      String[] statuses = {"paid", "shipped", "shipped", "cancelled"};
      for (int from = 0; from < orders; from += 500) {
        long first;
        StringBuilder sql = new StringBuilder("INSERT INTO shop.orders (customer_id, status, total, placed_on, note)"
            + " VALUES ");
        int count = Math.min(orders, from + 500) - from;
        for (int i = 0; i < count; i++) {
          sql.append(i == 0 ? "" : ",").append('(').append(1 + random.nextInt(customers)).append(",'")
              .append(statuses[random.nextInt(4)]).append("', ").append(random.nextInt(100_000)).append('.')
              .append(random.nextInt(100)).append(", CURDATE() - INTERVAL ").append(random.nextInt(700))
              .append(" DAY, ").append(random.nextInt(3) == 0 ? "'gift wrap 🎁'" : "NULL").append(')');
        }
        s.executeUpdate(sql.toString(), Statement.RETURN_GENERATED_KEYS);
        try (ResultSet keys = s.getGeneratedKeys()) {
          keys.next();
          first = keys.getLong(1);
        }
        StringBuilder items = new StringBuilder("INSERT INTO shop.order_items VALUES ");
        StringBuilder audit = new StringBuilder("INSERT INTO shop.audit_log VALUES ");
        for (int i = 0; i < count; i++) {
          int lines = 1 + random.nextInt(4);
          for (int line = 1; line <= lines; line++) {
            items.append(i == 0 && line == 1 ? "" : ",").append('(').append(first + i).append(',').append(line)
                .append(",'SKU-").append(1 + random.nextInt(50)).append("',").append(1 + random.nextInt(3)).append(',')
                .append(1 + random.nextInt(500)).append('.').append(random.nextInt(100)).append(')');
          }
          audit.append(i == 0 ? "" : ",").append("(NOW(3) - INTERVAL ").append(random.nextInt(1_000_000))
              .append(" SECOND, 'history', 'order ").append(first + i).append("')");
        }
        s.executeUpdate(items.toString());
        s.executeUpdate(audit.toString());
        connection.commit();
      }
    }
  }

  void start() {
    running = true;
    thread = new Thread(this::run, "ferry-demo-load");
    thread.setDaemon(true);
    thread.start();
  }

  long transactions() {
    return transactions.get();
  }

  private void run() {
    try {
      connection.setAutoCommit(false);
      if (!seeded) {
        seedProducts();
      }
      while (running) {
        int dice = random.nextInt(10);
        if (dice < 5) {
          newOrder();
        } else if (dice < 7) {
          restock();
        } else if (dice < 9) {
          advanceOrder();
        } else {
          newCustomer();
        }
        connection.commit();
        transactions.incrementAndGet();
        pace();
      }
    } catch (SQLException e) {
      if (running) {
        LOG.error("demo load stopped: {}", e.getMessage());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pace() throws InterruptedException {
    Thread.sleep(10 + random.nextInt(30));
  }

  private void seedProducts() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("INSERT INTO shop.products VALUES (?,?,?,?,?,?,?,?)")) {
      for (int i = 1; i <= 50; i++) {
        ps.setString(1, "SKU-" + i);
        ps.setString(2, "Product " + i + (i % 7 == 0 ? " — édition spéciale ☕" : ""));
        ps.setBigDecimal(3, java.math.BigDecimal.valueOf(100 + random.nextInt(99_900), 2));
        ps.setFloat(4, random.nextFloat() * 20);
        ps.setInt(5, random.nextInt(500));
        ps.setString(6, i % 3 == 0 ? "new,eco" : i % 5 == 0 ? "sale" : "");
        ps.setString(7, "{\"color\": \"c" + (i % 9) + "\", \"sizes\": [" + i + ", " + (i + 1) + "]}");
        byte[] photo = new byte[16 + random.nextInt(64)];
        random.nextBytes(photo);
        ps.setBytes(8, photo);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    connection.commit();
    newCustomer();
    connection.commit();
  }

  private void newCustomer() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("INSERT INTO shop.customers"
        + " (name, email, country, tier, created_at, last_seen) VALUES (?,?,?,?,NOW(3),NOW(6))")) {
      long n = random.nextLong() & Long.MAX_VALUE;
      ps.setString(1, "Customer " + n % 100_000);
      ps.setString(2, "c" + n + "@example.com");
      ps.setString(3, new String[] {"ID", "DE", "US", "JP", "BR"}[random.nextInt(5)]);
      ps.setString(4, new String[] {"basic", "gold", "platinum"}[random.nextInt(3)]);
      ps.executeUpdate();
    }
    audit("signup");
  }

  private void newOrder() throws SQLException {
    long customer = pick("SELECT id FROM shop.customers ORDER BY RAND() LIMIT 1");
    long orderId;
    try (PreparedStatement ps = connection.prepareStatement("INSERT INTO shop.orders (customer_id, status, total,"
        + " placed_on, note) VALUES (?, 'new', 0, CURDATE(), ?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setLong(1, customer);
      ps.setString(2, random.nextBoolean() ? null : "please deliver after 5pm 🚚");
      ps.executeUpdate();
      try (ResultSet rs = ps.getGeneratedKeys()) {
        rs.next();
        orderId = rs.getLong(1);
      }
    }
    int lines = 1 + random.nextInt(4);
    try (PreparedStatement item = connection.prepareStatement("INSERT INTO shop.order_items"
        + " SELECT ?, ?, sku, ?, price FROM shop.products WHERE sku = ?");
         PreparedStatement stock = connection.prepareStatement("UPDATE shop.products SET stock = stock - ? WHERE sku = ?")) {
      for (int line = 1; line <= lines; line++) {
        String sku = "SKU-" + (1 + random.nextInt(50));
        int qty = 1 + random.nextInt(3);
        item.setLong(1, orderId);
        item.setInt(2, line);
        item.setInt(3, qty);
        item.setString(4, sku);
        item.executeUpdate();
        stock.setInt(1, qty);
        stock.setString(2, sku);
        stock.executeUpdate();
      }
    }
    try (PreparedStatement ps = connection.prepareStatement("UPDATE shop.orders SET total = (SELECT SUM(qty * price)"
        + " FROM shop.order_items WHERE order_id = ?) WHERE id = ?")) {
      ps.setLong(1, orderId);
      ps.setLong(2, orderId);
      ps.executeUpdate();
    }
    audit("order " + orderId);
  }

  private void restock() throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("UPDATE shop.products SET stock = stock + ?,"
        + " price = price * ?, tags = ? WHERE sku = ?")) {
      ps.setInt(1, 10 + random.nextInt(100));
      ps.setDouble(2, 0.95 + random.nextDouble() / 10);
      ps.setString(3, random.nextBoolean() ? "sale" : "new");
      ps.setString(4, "SKU-" + (1 + random.nextInt(50)));
      ps.executeUpdate();
    }
  }

  private void advanceOrder() throws SQLException {
    long order = pick("SELECT id FROM shop.orders WHERE status IN ('new','paid') ORDER BY RAND() LIMIT 1");
    if (order == 0) {
      return;
    }
    if (random.nextInt(5) == 0) {
      try (PreparedStatement a = connection.prepareStatement("DELETE FROM shop.order_items WHERE order_id = ?");
           PreparedStatement b = connection.prepareStatement("UPDATE shop.orders SET status = 'cancelled' WHERE id = ?")) {
        a.setLong(1, order);
        a.executeUpdate();
        b.setLong(1, order);
        b.executeUpdate();
      }
      audit("cancel " + order);
    } else {
      try (PreparedStatement ps = connection.prepareStatement("UPDATE shop.orders SET status ="
          + " IF(status = 'new', 'paid', 'shipped') WHERE id = ?")) {
        ps.setLong(1, order);
        ps.executeUpdate();
      }
    }
  }

  private void audit(String action) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("INSERT INTO shop.audit_log VALUES (NOW(3), 'demo', ?)")) {
      ps.setString(1, action);
      ps.executeUpdate();
    }
  }

  private long pick(String sql) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.join(5_000);
    }
  }
}
