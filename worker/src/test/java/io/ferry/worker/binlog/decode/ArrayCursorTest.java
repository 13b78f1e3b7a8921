package io.ferry.worker.binlog.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArrayCursorTest {
  /** Random reads of every kind the row decoders use, on the cursor and on the connector's stream: the same values. */
  @Test
  void readsWhatTheConnectorsStreamReads() throws IOException {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      byte[] bytes = new byte[2_000 + random.nextInt(2_000)];
      random.nextBytes(bytes);
      int from = random.nextInt(100);
      int to = bytes.length - random.nextInt(100);
      byte[] slice = java.util.Arrays.copyOfRange(bytes, from, to);
      ByteArrayInputStream expected = new ByteArrayInputStream(slice);
      ArrayCursor cursor = new ArrayCursor().reset(bytes, from, to);
      while (expected.available() > 40) {
        assertThat(cursor.available()).isEqualTo(expected.available());
        switch (random.nextInt(8)) {
          case 0 -> {
            int n = 1 + random.nextInt(4);
            assertThat(cursor.readInteger(n)).isEqualTo(expected.readInteger(n));
          }
          case 1 -> {
            int n = 1 + random.nextInt(8);
            assertThat(cursor.readLong(n)).isEqualTo(expected.readLong(n));
          }
          case 2 -> {
            int n = random.nextInt(30);
            assertThat(cursor.read(n)).isEqualTo(expected.read(n));
          }
          case 3 -> {
            int n = 1 + random.nextInt(60);
            assertThat(cursor.readBitSet(n, true)).isEqualTo(expected.readBitSet(n, true));
          }
          case 4 -> {
            byte[] a = new byte[20];
            byte[] b = new byte[20];
            int n = random.nextInt(10);
            cursor.fill(a, 3, n);
            expected.fill(b, 3, n);
            assertThat(a).isEqualTo(b);
          }
          case 5 -> {
            // (the connector's available() leaves a peeked byte out until it is read)
            assertThat(cursor.peek()).isEqualTo(expected.peek());
            assertThat(cursor.read()).isEqualTo(expected.read());
          }
          case 6 -> {
            // a packed number of any width, or the same refusal of a byte that starts none (0xFF)
            assertThat(outcome(cursor::readPackedNumber)).isEqualTo(outcome(expected::readPackedNumber));
          }
          default -> {
            int n = random.nextInt(12);
            assertThat(cursor.skip(n)).isEqualTo(expected.skip(n));
          }
        }
      }
    }
  }

  private interface Read {
    Object get() throws IOException;
  }

  private static Object outcome(Read read) {
    try {
      return read.get();
    } catch (IOException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  @Test
  void neverReadsPastItsEnd() throws IOException {
    byte[] bytes = {1, 2, 3, 4, 5, 6, 7, 8};
    ArrayCursor cursor = new ArrayCursor().reset(bytes, 2, 5);
    assertThat(cursor.readInteger(2)).isEqualTo(3 | 4 << 8);
    assertThatThrownBy(() -> cursor.readInteger(2)).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> cursor.readLong(2)).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> cursor.read(2)).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> cursor.fill(new byte[4], 0, 2)).isInstanceOf(EOFException.class);
    assertThat(cursor.read(1)).containsExactly(5);
    assertThat(cursor.available()).isZero();
    assertThat(cursor.peek()).isEqualTo(-1);
    assertThat(cursor.read(new byte[4], 0, 4)).isEqualTo(-1);
    // read() and what is built on it end as the connector's stream ends: with an EOFException, not -1
    assertThatThrownBy(cursor::read).isInstanceOf(EOFException.class);
    assertThatThrownBy(cursor::readPackedNumber).isInstanceOf(EOFException.class);
    ByteArrayInputStream connector = new ByteArrayInputStream(new byte[] {3, 4});
    connector.readInteger(2);
    assertThatThrownBy(connector::read).isInstanceOf(EOFException.class);
    assertThatThrownBy(connector::readPackedNumber).isInstanceOf(EOFException.class);
  }

  /** Row images are copied into a buffer kept for the next event only up to the reader's own bound. */
  @Test
  void aHugeRowsEventIsNotKept() throws IOException {
    RowImages images = new RowImages(new java.util.HashMap<>());
    byte[] small = new byte[100_000];
    new Random(1).nextBytes(small);
    ArrayCursor rows = images.rows(new ByteArrayInputStream(small));
    assertThat(rows.read(small.length)).isEqualTo(small);
    int kept = images.keptBuffer();
    assertThat(kept).isBetween(small.length, StrictEventDeserializer.KEPT_BUFFER);

    byte[] huge = new byte[StrictEventDeserializer.KEPT_BUFFER * 3];
    huge[huge.length - 1] = 7;
    rows = images.rows(new ByteArrayInputStream(huge));
    assertThat(rows.available()).isEqualTo(huge.length);
    assertThat(rows.read(huge.length)[huge.length - 1]).isEqualTo((byte) 7);
    assertThat(images.keptBuffer()).isEqualTo(kept);
    rows.close();
    assertThat(rows.available()).isZero();
  }
}
