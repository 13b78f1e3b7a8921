package io.ferry.mariadb;

import io.ferry.mariadb.check.SecretLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The admin password of a server whose data directory is kept (the control plane's embedded metadata
 * database): a fresh data directory has root accounts without a password, which any local user could
 * use. At first start every root account gets a random password, written first to a file only its
 * owner can read, so a crash in between leaves the password on disk rather than a locked-out server.
 */
final class AdminPassword {
  private AdminPassword() {}

  /** The password kept in {@code file}, or empty when there is none. */
  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file).trim() : "";
    } catch (IOException e) {
      throw new MariaDbException("cannot read the admin password in " + file + ": " + e, e);
    }
  }

  /** Gives every root account of {@code server} a new password kept in {@code file}; returns it. */
  static String set(MariaDbServer server, Path file) {
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    SecretLedger.record(password);
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, password, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin password file " + file, e);
    }
    try (Connection c = server.rootConnection(); Statement s = c.createStatement()) {
      // Accounts for the machine's host name (unusable over loopback, and ALTER USER refuses them
      // under skip-name-resolve) and anonymous ones go; the loopback root accounts get the password.
      s.execute("DELETE FROM mysql.global_priv WHERE user = '' OR (user = 'root'"
          + " AND host NOT IN ('localhost', '127.0.0.1', '::1'))");
      s.execute("FLUSH PRIVILEGES");
      List<String> accounts = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT CONCAT(QUOTE(user), '@', QUOTE(host)) FROM mysql.global_priv"
          + " WHERE user = 'root'")) {
        while (rs.next()) {
          accounts.add(rs.getString(1));
        }
      }
      for (String account : accounts) {
        s.execute("ALTER USER " + account + " IDENTIFIED BY '" + password + "'");
      }
    } catch (SQLException e) {
      throw new MariaDbException("cannot set the admin password: " + e.getMessage(), e);
    }
    return password;
  }
}
