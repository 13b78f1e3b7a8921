package io.ferry.controlplane.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * Works around vertx-jdbc-client 5.0.x (vert-x3/vertx-jdbc-client#356, fixed by #358 in a later
 * release): after a transaction's commit or rollback it calls {@code setAutoCommit(false)} instead of
 * {@code true}, so the pooled connection runs every later plain statement in an implicit transaction
 * that is never committed — reads see a frozen snapshot, writes stay invisible and can be rolled back
 * with an unrelated transaction. This data source hands out connections that turn that one call, the
 * first {@code setAutoCommit} after a commit or rollback, into {@code setAutoCommit(true)}. Remove it
 * once the client is upgraded.
 */
final class AutoCommitRestoring {
  private AutoCommitRestoring() {}

  static DataSource wrap(DataSource target) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(target, method, args);
          return result instanceof Connection c && method.getName().equals("getConnection") ? connection(c) : result;
        });
  }

  static Connection connection(Connection target) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        new Handler(target));
  }

  /** Owned by whichever pool worker thread uses the connection; the pool never shares one between threads. */
  private static final class Handler implements InvocationHandler {
    private final Connection target;
    private boolean afterEnd;

    Handler(Connection target) {
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.equals("setAutoCommit") && afterEnd) {
        afterEnd = false;
        target.setAutoCommit(true);
        return null;
      }
      if (name.equals("commit") || (name.equals("rollback") && (args == null || args.length == 0))) {
        afterEnd = true;
      } else if (name.equals("setAutoCommit")) {
        afterEnd = false;
      }
      return AutoCommitRestoring.invoke(target, method, args);
    }
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
