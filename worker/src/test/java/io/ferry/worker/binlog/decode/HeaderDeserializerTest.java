package io.ferry.worker.binlog.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderDeserializerTest {
  @Test
  void decodesEveryHeaderAsTheConnectorDoes() throws IOException {
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      byte[] header = new byte[HeaderDeserializer.LENGTH];
      random.nextBytes(header);
      if (i % 2 == 0) {
        header[4] = (byte) (i % 200); // known and unknown event types
      }
      EventHeaderV4 stock = new EventHeaderV4Deserializer().deserialize(new ByteArrayInputStream(header));
      EventHeaderV4 ours = new HeaderDeserializer().deserialize(new ByteArrayInputStream(new EventBytes(header)));
      assertThat(ours.toString()).isEqualTo(stock.toString());
      assertThat(ours.getTimestamp()).isEqualTo(stock.getTimestamp());
      assertThat(ours.getFlags()).isEqualTo(stock.getFlags());
    }
  }

  @Test
  void eventBytesReadLikeAByteArrayInputStream() throws IOException {
    byte[] bytes = {1, (byte) 0xFF, 3, 4, 5};
    EventBytes in = new EventBytes(bytes);
    assertThat(in.read()).isEqualTo(1);
    assertThat(in.read()).isEqualTo(0xFF);
    assertThat(in.available()).isEqualTo(3);
    byte[] into = new byte[10];
    assertThat(in.read(into, 2, 0)).isZero();
    assertThat(in.read(into, 2, 8)).isEqualTo(3);
    assertThat(into[2]).isEqualTo((byte) 3);
    assertThat(in.read(into, 0, 1)).isEqualTo(-1);
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.skip(5)).isZero();

    EventBytes prefix = new EventBytes(bytes, 2); // a reused buffer: only the event's own bytes
    assertThat(prefix.available()).isEqualTo(2);
    assertThat(prefix.skip(10)).isEqualTo(2);
    assertThat(prefix.read()).isEqualTo(-1);
  }
}
