package dev.weft.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's access rules, on a real HTTP server: bound to loopback its API is open to this
 * machine; bound to every address, its API asks for the cluster token (the page itself holds no
 * data). The control store here is an address nothing listens on, so an API call that passes the
 * check answers 502 (cannot read the cluster), one that does not 401.
 */
class DashboardTest {
  private static final String NOBODY = "127.0.0.1:1";

  private static HttpResponse<String> get(String url, String token) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void onEveryAddress_theApiNeedsTheToken() throws Exception {
    try (Dashboard d = Dashboard.start("0.0.0.0", 0, NOBODY, "s3cret")) {
      String local = "http://127.0.0.1:" + URI.create(d.url()).getPort() + "/";
      assertThat(get(local, null).statusCode()).as("the page").isEqualTo(200);
      assertThat(get(local, null).body()).contains("<title>Weft dashboard</title>");
      assertThat(get(local + "lib/uPlot.iife.min.js", null).statusCode()).isEqualTo(200);

      HttpResponse<String> none = get(local + "api/nodes", null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).contains("needs the cluster token");
      assertThat(get(local + "api/nodes", "wrong").statusCode()).isEqualTo(401);
      HttpResponse<String> right = get(local + "api/nodes", "s3cret");
      assertThat(right.statusCode()).as("past the check: " + right.body()).isEqualTo(502);
      assertThat(right.body()).contains("cannot reach the control store at " + NOBODY);
    }
  }

  @Test
  void onLoopback_theApiIsOpenToThisMachine() throws Exception {
    try (Dashboard d = Dashboard.start("127.0.0.1", 0, NOBODY, "s3cret")) {
      assertThat(d.url()).startsWith("http://127.0.0.1:");
      assertThat(get(d.url() + "api/jobs", null).statusCode()).isEqualTo(502);
      assertThat(get(d.url() + "nothing-here", null).statusCode()).isEqualTo(404);
      HttpResponse<String> badNumber = get(d.url() + "api/tasks?limit=lots", null);
      assertThat(badNumber.statusCode()).isEqualTo(502);
      // job submission runs a command: never without the token, even here
      HttpResponse<String> submit = post(d.url() + "api/submissions?arg=true", null, null);
      assertThat(submit.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aPageOfAnotherSite_cannotReadOrSubmit() throws Exception {
    JobSubmissions subs =
        new JobSubmissions(java.nio.file.Files.createTempDirectory("dash-"), NOBODY, "s3cret");
    try (Dashboard d = Dashboard.start("127.0.0.1", "127.0.0.1", 0, NOBODY, "s3cret", subs)) {
      // another site's script: its Origin is not the dashboard's
      HttpResponse<String> read = get(d.url() + "api/jobs", null, "http://evil.example");
      assertThat(read.statusCode()).isEqualTo(403);
      HttpResponse<String> submit =
          post(d.url() + "api/submissions?arg=true", "s3cret", "http://evil.example");
      assertThat(submit.statusCode()).isEqualTo(403);
      assertThat(subs.list()).as("nothing was started").isEmpty();
      // the dashboard's own origin, with the token: runs
      HttpResponse<String> own = post(d.url() + "api/submissions?arg=true", "s3cret", null);
      assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
      assertThat(subs.list()).hasSize(1);
    }
  }

  private static HttpResponse<String> get(String url, String token, String origin)
      throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      if (origin != null) {
        b.header("Origin", origin);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static HttpResponse<String> post(String url, String token, String origin)
      throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.noBody());
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      if (origin != null) {
        b.header("Origin", origin);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void aTakenPort_fallsBackToAFreeOne() throws Exception {
    try (Dashboard first = Dashboard.start("127.0.0.1", 0, NOBODY, "t")) {
      int taken = URI.create(first.url()).getPort();
      try (Dashboard second = Dashboard.start("127.0.0.1", taken, NOBODY, "t")) {
        assertThat(URI.create(second.url()).getPort()).isNotEqualTo(taken).isPositive();
      }
    }
  }
}
