package dev.weft.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A service's Prometheus endpoint over real HTTP: the JVM's metrics are there from the first
 * scrape.
 */
class MetricsEndpointTest {
  @Test
  void everyScrape_hasTheJvmMetrics_registeredOnTheFirst() throws Exception {
    try (MetricsEndpoint m = MetricsEndpoint.start("127.0.0.1", "127.0.0.1", 0)) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(m.url())).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
            .contains("jvm_memory_used_bytes", "jvm_threads_current", "jvm_gc_collection_seconds");
      }
    }
  }
}
