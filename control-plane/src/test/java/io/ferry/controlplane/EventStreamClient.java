package io.ferry.controlplane;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/** Reads {@code GET /api/v1/events} line by line into a list, for tests; {@link #close()} cancels the stream. */
public final class EventStreamClient implements AutoCloseable {
  public final List<String> lines = new CopyOnWriteArrayList<>();
  public final CompletableFuture<HttpResponse<Void>> response;
  private volatile Flow.Subscription subscription;

  public EventStreamClient(int port, String token) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
        .header("Authorization", "Bearer " + token).build();
    response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(
        new Flow.Subscriber<String>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(String line) {
            lines.add(line);
          }

          @Override
          public void onError(Throwable t) {
            // the test cancels the stream
          }

          @Override
          public void onComplete() {
            // the server ended the stream
          }
        }));
  }

  /** The data lines of frames of {@code event}, in arrival order, without the {@code data:} prefix. */
  public List<String> data(String event) {
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).equals("event: " + event) && lines.get(i + 1).startsWith("data: ")) {
        out.add(lines.get(i + 1).substring("data: ".length()));
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.cancel();
    }
  }
}
