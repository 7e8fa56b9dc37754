package dev.weft.internal.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.WeftException;
import dev.weft.state.ClusterState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head's web dashboard (issue 12 item 5): a static page and the JSON API behind it, served by
 * the JDK's HTTP server on virtual threads from the head's node manager.
 *
 * <pre>
 *  GET /                      the page (static, bundled: dashboard/index.html, uPlot from its webjar)
 *  GET /api/nodes             nodes with their resources and metrics URL   (ClusterState.nodes)
 *  GET /api/stores            each node's object store                    (ClusterState.stores)
 *  GET /api/jobs              jobs                                         (ClusterState.jobs)
 *  GET /api/actors            actors                                       (ClusterState.actors)
 *  GET /api/tasks?job=&limit= latest tasks, running first                  (ClusterState.tasks)
 *  GET /api/summary           tasks by function and state                  (ClusterState.taskSummary)
 *  GET /api/placement-groups  placement groups
 *  GET /api/logs?job=J&from=N what job J printed, from line N              (ClusterState.jobOutput)
 *
 *  job submission (JobSubmissions: drivers run on the head)
 *  POST /api/submissions?arg=java&arg=-cp&arg=app.jar&arg=Main   body: the working directory as a
 *                             zip (optional, Content-Type application/zip) → the submission
 *  GET  /api/submissions      every submission;   GET /api/submissions/ID   one
 *  GET  /api/submissions/ID/logs?from=N   its driver's output from byte N (text, next, state)
 *  POST /api/submissions/ID/stop          stops its driver and what it started
 * </pre>
 *
 * Binds to loopback by default. Bound elsewhere ({@code --dashboard-host}), every {@code /api/}
 * request must carry the cluster token ({@code Authorization: Bearer TOKEN}); the page takes it
 * from {@code ?token=} in its URL. Job submissions need the token wherever it binds (a command runs
 * on the head). Whatever the binding, a request must name this server in its {@code Host} header
 * (no DNS rebinding) and come from no other web origin than the dashboard's own ({@code Origin}): a
 * page of another site that the user opens cannot read the API or submit. The API reads the cluster
 * through one {@link ClusterState}, reconnected when the control store restarted.
 */
final class Dashboard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

  private final HttpServer server;
  private final String controlAddress;
  private final String token;
  private final boolean needsToken;
  private final String url;
  private final JobSubmissions submissions;
  private ClusterState state;

  /** {@code host:port} names this server may be asked by (Host and Origin headers). */
  private final java.util.Set<String> names = new java.util.HashSet<>();

  private Dashboard(
      String bindHost,
      String advertisedHost,
      int port,
      String controlAddress,
      String token,
      JobSubmissions submissions)
      throws IOException {
    this.controlAddress = controlAddress;
    this.token = token;
    this.submissions = submissions;
    InetAddress bind = InetAddress.getByName(bindHost);
    this.needsToken = !bind.isLoopbackAddress();
    this.server = HttpServer.create(new InetSocketAddress(bind, port), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::serve);
    server.start();
    // others reach it at the node's advertised address when it listens on every address
    String host = bind.isAnyLocalAddress() ? advertisedHost : bindHost;
    int bound = server.getAddress().getPort();
    String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + bound;
    this.url = "http://" + hostPort + "/";
    names.add(hostPort);
    names.add(bindHost + ":" + bound);
    if (bind.isLoopbackAddress() || bind.isAnyLocalAddress()) {
      names.addAll(List.of("localhost:" + bound, "127.0.0.1:" + bound, "[::1]:" + bound));
    }
    if (bind.isAnyLocalAddress()) {
      names.add(advertisedHost + ":" + bound);
    }
  }

  /** The Host header names this server, and an Origin header (if any) is this server's. */
  private boolean sameSite(HttpExchange x) {
    String host = x.getRequestHeaders().getFirst("Host");
    if (host == null || !names.contains(host.trim().toLowerCase(java.util.Locale.ROOT))) {
      return false;
    }
    String origin = x.getRequestHeaders().getFirst("Origin");
    return origin == null
        || origin.equals("http://" + host.trim())
        || origin.equals("https://" + host.trim());
  }

  /**
   * Serves the dashboard on {@code bindHost:port}; when that port is taken, on a free one (the URL
   * says which).
   */
  static Dashboard start(String bindHost, int port, String controlAddress, String token)
      throws IOException {
    return start(bindHost, bindHost, port, controlAddress, token, null);
  }

  /**
   * The same, with job submission ({@code submissions} null: none); {@code advertisedHost}: how
   * other machines reach this node (the URL names it when the dashboard listens on every address).
   */
  static Dashboard start(
      String bindHost,
      String advertisedHost,
      int port,
      String controlAddress,
      String token,
      JobSubmissions submissions)
      throws IOException {
    try {
      return new Dashboard(bindHost, advertisedHost, port, controlAddress, token, submissions);
    } catch (java.net.BindException e) {
      if (port == 0) {
        throw e;
      }
      log.warn("dashboard port {} is taken: serving the dashboard on a free port", port);
      return new Dashboard(bindHost, advertisedHost, 0, controlAddress, token, submissions);
    }
  }

  String url() {
    return url;
  }

  private void serve(HttpExchange x) throws IOException {
    try (x) {
      URI uri = x.getRequestURI();
      String path = uri.getPath();
      if (!sameSite(x)) {
        send(
            x,
            403,
            "text/plain",
            "this request names another site (its Host or Origin header): refused\n");
        return;
      }
      if (path.startsWith("/api/submissions")) {
        if (!authorized(x)) { // a submission runs a command on the head: always the token
          send(
              x, 401, "application/json", "{\"error\":\"this dashboard needs the cluster token\"}");
          return;
        }
        submissions(x, path.substring("/api/submissions".length()), uri);
        return;
      }
      if (!x.getRequestMethod().equals("GET")) {
        send(x, 405, "text/plain", "only GET here\n");
        return;
      }
      switch (path) {
        case "/", "/index.html" -> resource(x, "dashboard/index.html", "text/html; charset=utf-8");
        case "/dashboard.js" -> resource(x, "dashboard/dashboard.js", "text/javascript");
        case "/dashboard.css" -> resource(x, "dashboard/dashboard.css", "text/css");
        case "/lib/uPlot.iife.min.js" ->
            resource(x, UPLOT + "uPlot.iife.min.js", "text/javascript");
        case "/lib/uPlot.min.css" -> resource(x, UPLOT + "uPlot.min.css", "text/css");
        default -> {
          if (path.startsWith("/api/")) {
            api(x, path.substring(5), query(uri));
          } else {
            send(x, 404, "text/plain", "no page " + path + " here; the dashboard is at /\n");
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("dashboard request {} failed", x.getRequestURI(), e);
      try {
        send(
            x,
            500,
            "application/json",
            "{\"error\":\"the dashboard failed; see the head's node.log\"}");
      } catch (IOException | RuntimeException again) {
        // the response had begun: the client sees the connection close
      }
    }
  }

  private void api(HttpExchange x, String what, Map<String, String> q) throws IOException {
    if (needsToken && !authorized(x)) {
      send(
          x,
          401,
          "application/json",
          "{\"error\":\"this dashboard needs the cluster token: Authorization: Bearer <token>, or"
              + " open the page as /?token=<token>\"}");
      return;
    }
    Function<ClusterState, Object> read =
        switch (what) {
          case "nodes" -> ClusterState::nodes;
          case "stores" -> ClusterState::stores;
          case "jobs" -> ClusterState::jobs;
          case "actors" -> ClusterState::actors;
          case "summary" -> ClusterState::taskSummary;
          case "placement-groups" -> ClusterState::placementGroups;
          case "tasks" -> s -> s.tasks(intOf(q, "job", 0), intOf(q, "limit", 200));
          case "logs" -> s -> s.jobOutput(intOf(q, "job", 0), longOf(q, "from"));
          default -> null;
        };
    if (read == null) {
      send(
          x,
          404,
          "application/json",
          "{\"error\":\"no API /api/"
              + what.replace("\"", "")
              + "; there are nodes, stores, jobs, actors, tasks, summary, placement-groups,"
              + " logs\"}");
      return;
    }
    Object result;
    try {
      result = withState(read);
    } catch (IllegalArgumentException e) {
      send(
          x,
          400,
          "application/json",
          "{\"error\":" + dev.weft.internal.core.JsonWriter.of(e.getMessage()) + "}");
      return;
    } catch (WeftException e) {
      send(
          x,
          502,
          "application/json",
          "{\"error\":" + dev.weft.internal.core.JsonWriter.of(e.getMessage()) + "}");
      return;
    }
    send(x, 200, "application/json", dev.weft.internal.core.JsonWriter.of(result));
  }

  /** The job-submission API (see the class comment). */
  private void submissions(HttpExchange x, String rest, URI uri) throws IOException {
    if (submissions == null) {
      send(x, 404, "application/json", "{\"error\":\"this dashboard takes no job submissions\"}");
      return;
    }
    String method = x.getRequestMethod();
    try {
      Object result;
      if (rest.isEmpty() || rest.equals("/")) {
        if (method.equals("POST")) {
          List<String> args = new java.util.ArrayList<>();
          String q = uri.getRawQuery();
          if (q != null) {
            for (String kv : q.split("&")) {
              if (kv.startsWith("arg=")) {
                args.add(URLDecoder.decode(kv.substring(4), StandardCharsets.UTF_8));
              }
            }
          }
          String type = x.getRequestHeaders().getFirst("Content-Type");
          boolean zip = type != null && type.startsWith("application/zip");
          result = submissions.submit(args, zip ? x.getRequestBody() : null);
        } else {
          result = submissions.list();
        }
      } else {
        String[] parts = rest.substring(1).split("/");
        String id = parts[0];
        if (parts.length == 1 && method.equals("GET")) {
          result = submissions.get(id);
        } else if (parts.length == 2 && parts[1].equals("logs") && method.equals("GET")) {
          result = submissions.logs(id, longOf(query(uri), "from"));
        } else if (parts.length == 2 && parts[1].equals("stop") && method.equals("POST")) {
          result = submissions.stop(id);
        } else {
          send(x, 404, "application/json", "{\"error\":\"no such submission API\"}");
          return;
        }
      }
      send(x, 200, "application/json", dev.weft.internal.core.JsonWriter.of(result));
    } catch (java.util.NoSuchElementException e) {
      send(
          x,
          404,
          "application/json",
          "{\"error\":" + dev.weft.internal.core.JsonWriter.of(e.getMessage()) + "}");
    } catch (IllegalArgumentException | WeftException | IOException e) {
      send(
          x,
          400,
          "application/json",
          "{\"error\":" + dev.weft.internal.core.JsonWriter.of(e.getMessage()) + "}");
    }
  }

  /** Reads through the one connection, made again once if the control store restarted. */
  private synchronized Object withState(Function<ClusterState, Object> read) {
    for (int attempt = 0; ; attempt++) {
      if (state == null) {
        state = ClusterState.connect(controlAddress, token);
      }
      try {
        return read.apply(state);
      } catch (WeftException e) {
        state.close();
        state = null;
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  private boolean authorized(HttpExchange x) {
    String h = x.getRequestHeaders().getFirst("Authorization");
    String given = h != null && h.startsWith("Bearer ") ? h.substring(7).trim() : null;
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  private static int intOf(Map<String, String> q, String key, int dflt) {
    String v = q.get(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("?" + key + "= must be a number (got '" + v + "')");
    }
  }

  private static long longOf(Map<String, String> q, String key) {
    String v = q.get(key);
    try {
      return v == null || v.isBlank() ? 0 : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("?" + key + "= must be a number (got '" + v + "')");
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String q = uri.getRawQuery();
    if (q == null) {
      return out;
    }
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void resource(HttpExchange x, String name, String type) throws IOException {
    try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        send(x, 500, "text/plain", "the dashboard's " + name + " is missing from the class path\n");
        return;
      }
      byte[] body = in.readAllBytes();
      x.getResponseHeaders().set("Content-Type", type);
      x.getResponseHeaders().set("Cache-Control", "no-cache");
      x.sendResponseHeaders(200, body.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void send(HttpExchange x, int code, String type, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(code, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public synchronized void close() {
    server.stop(0);
    if (state != null) {
      state.close();
    }
  }
}
