package io.ferry.controlplane;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test with a fresh {@link MetadataDb} for each test method. */
public abstract class MetadataDbTest {
  protected MetadataDb db;
  protected Pool pool;

  /** The pool's size (2 unless a test needs one connection). */
  protected int poolSize() {
    return 2;
  }

  @BeforeEach
  void startMetadataDb() throws Exception {
    db = MetadataDb.start(poolSize());
    pool = db.pool;
  }

  @AfterEach
  void stopMetadataDb() throws Exception {
    db.close();
  }

  protected static <T> T await(Future<T> f) throws Exception {
    return MetadataDb.await(f);
  }
}
