package dev.weft.cli;

import dev.weft.internal.core.JsonReader;
import dev.weft.internal.proto.Msg;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft job submit|status|logs|stop|list} (issue 12 item 6): a client of the head's
 * job-submission API, under its dashboard. The head's address gives the dashboard's URL (the
 * control store knows it); requests carry the cluster token.
 */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = "Runs drivers on the head: submit, status, logs, stop, list.",
    subcommands = {
      JobCommand.Submit.class,
      JobCommand.Status.class,
      JobCommand.Logs.class,
      JobCommand.Stop.class,
      JobCommand.ListJobs.class
    })
final class JobCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("weft job: give submit, status, logs, stop or list (weft job --help)");
    return 2;
  }

  /** The head's job API: its URL and token, or null after saying why not. */
  record Api(String base, String token, HttpClient http) {
    static Api find(String address) {
      WeftCli.Head head = WeftCli.Head.connect(address);
      if (head == null) {
        return null;
      }
      try {
        Msg reply = head.control().call(new Msg.ClusterStatus()).get(10, TimeUnit.SECONDS);
        String url = reply instanceof Msg.StatusReply s ? s.dashboardUrl() : null;
        String headHost = dev.weft.internal.core.HostAddresses.hostOf(head.address());
        if (url != null
            && java.net.InetAddress.getByName(URI.create(url).getHost()).isLoopbackAddress()
            && !dev.weft.internal.core.HostAddresses.isLocal(headHost)) {
          System.err.println(
              "the head at "
                  + head.address()
                  + " serves its dashboard (which takes job submissions) on its own loopback only;"
                  + " start it with `weft start --head --dashboard-host 0.0.0.0` to submit from"
                  + " other machines, or submit on the head's machine");
          return null;
        }
        if (url == null) {
          System.err.println(
              "the head at "
                  + head.address()
                  + " serves no dashboard, which takes job submissions: start it with `weft start"
                  + " --head` (without --dashboard-port -1)");
          return null;
        }
        return new Api(
            url + "api/submissions",
            head.token(),
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
      } catch (Exception e) {
        System.err.println("cannot ask the head at " + head.address() + ": " + e.getMessage());
        return null;
      } finally {
        head.control().close();
      }
    }

    Object send(String method, String path, byte[] body, String type) throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + token);
      if (method.equals("POST")) {
        b.POST(
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
          b.header("Content-Type", type);
        }
      } else {
        b.GET();
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      Object json = JsonReader.parse(r.body());
      if (r.statusCode() != 200) {
        throw new IOException(
            json instanceof Map<?, ?> m && m.get("error") != null
                ? String.valueOf(m.get("error"))
                : "HTTP " + r.statusCode() + ": " + r.body());
      }
      return json;
    }

    /** Prints the driver's output from {@code from} on; follows it until it ends. */
    String printLogs(String id, long from, boolean follow) throws Exception {
      long next = from;
      while (true) {
        Map<?, ?> part = (Map<?, ?>) send("GET", "/" + id + "/logs?from=" + next, null, null);
        String text = (String) part.get("text");
        System.out.print(text);
        System.out.flush();
        next = ((Number) part.get("next")).longValue();
        String state = (String) part.get("state");
        if (!follow || (!state.equals("RUNNING") && text.isEmpty())) {
          return state;
        }
        if (text.isEmpty()) {
          Thread.sleep(300); // polling the log for what is added, as tail -f does
        }
      }
    }
  }

  /** A job command: finds the head's API, runs, and turns the API's errors into a message. */
  abstract static class OnHead implements Callable<Integer> {
    @picocli.CommandLine.Mixin HeadAddress head = new HeadAddress();

    abstract String name();

    abstract int run(Api api) throws Exception;

    @Override
    public Integer call() throws Exception {
      Api api = Api.find(head.address);
      if (api == null) {
        return 1;
      }
      try {
        return run(api);
      } catch (IOException e) {
        System.err.println("weft job " + name() + ": " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(
      name = "submit",
      mixinStandardHelpOptions = true,
      description = {
        "Runs a driver on the head and prints its output until it ends; exits with 0 when it"
            + " succeeded, 1 otherwise.",
        "  weft job submit --working-dir . -- java -cp app.jar com.example.Main args",
        "The working directory is zipped and unpacked in a folder of its own on the head, where"
            + " the command runs (a `java` command gets the head's JDK, Weft's JVM flags and Weft's"
            + " jars, as `weft java` gives them)."
      })
  static final class Submit extends OnHead {
    @Option(names = "--working-dir", description = "A folder to send along (default: none).")
    Path workingDir;

    @Option(names = "--no-wait", description = "Print the submission's id and return.")
    boolean noWait;

    @Parameters(paramLabel = "COMMAND", description = "The driver's command, after --.")
    List<String> command = new ArrayList<>();

    @Override
    String name() {
      return "submit";
    }

    @Override
    public Integer call() throws Exception {
      if (command.isEmpty()) {
        System.err.println(
            "weft job submit: give the command after --, e.g. -- java -cp app.jar Main");
        return 2;
      }
      if (workingDir != null && !Files.isDirectory(workingDir)) {
        System.err.println("weft job submit: --working-dir " + workingDir + " is not a folder");
        return 2;
      }
      return super.call();
    }

    @Override
    int run(Api api) throws Exception {
      byte[] zip = workingDir == null ? null : zip(workingDir);
      StringBuilder q = new StringBuilder();
      for (String a : command) {
        q.append(q.isEmpty() ? "?" : "&")
            .append("arg=")
            .append(URLEncoder.encode(a, StandardCharsets.UTF_8));
      }
      Map<?, ?> info =
          (Map<?, ?>) api.send("POST", q.toString(), zip, zip == null ? null : "application/zip");
      String id = (String) info.get("submissionId");
      System.err.println(
          "submitted " + id + " (weft job logs " + id + " --follow; weft job stop " + id + ")");
      if (noWait) {
        System.out.println(id);
        return 0;
      }
      String state = api.printLogs(id, 0, true);
      Map<?, ?> end = (Map<?, ?>) api.send("GET", "/" + id, null, null);
      System.err.println(id + " " + state + " (exit code " + end.get("exitCode") + ")");
      return state.equals("SUCCEEDED") ? 0 : 1;
    }

    static byte[] zip(Path dir) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream z = new ZipOutputStream(bytes);
          Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          z.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, z);
          z.closeEntry();
        }
      }
      return bytes.toByteArray();
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "A submission's state, pid, times and exit code.")
  static final class Status extends OnHead {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    String name() {
      return "status";
    }

    @Override
    int run(Api api) throws Exception {
      Map<?, ?> i = (Map<?, ?>) api.send("GET", "/" + id, null, null);
      System.out.println(
          id
              + " "
              + i.get("state")
              + " pid "
              + i.get("pid")
              + " exit "
              + i.get("exitCode")
              + " "
              + i.get("entrypoint"));
      return 0;
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = "A submission's driver output (--follow: until it ends).")
  static final class Logs extends OnHead {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(
        names = {"-f", "--follow"},
        description = "Keep printing until the driver ends.")
    boolean follow;

    @Override
    String name() {
      return "logs";
    }

    @Override
    int run(Api api) throws Exception {
      api.printLogs(id, 0, follow);
      return 0;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stops a submission's driver (and what it started).")
  static final class Stop extends OnHead {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    String name() {
      return "stop";
    }

    @Override
    int run(Api api) throws Exception {
      api.send("POST", "/" + id + "/stop", null, null);
      System.out.println("stopping " + id);
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every submission the head remembers.")
  static final class ListJobs extends OnHead {
    @Override
    String name() {
      return "list";
    }

    @Override
    int run(Api api) throws Exception {
      List<?> all = (List<?>) api.send("GET", "", null, null);
      System.out.printf(
          "%-16s %-10s %-8s %-5s %s%n", "SUBMISSION", "STATE", "PID", "EXIT", "COMMAND");
      for (Object o : all) {
        Map<?, ?> i = (Map<?, ?>) o;
        System.out.printf(
            "%-16s %-10s %-8s %-5s %s%n",
            i.get("submissionId"),
            i.get("state"),
            i.get("pid"),
            i.get("exitCode") == null ? "-" : i.get("exitCode"),
            String.join(
                " ", ((List<?>) i.get("entrypoint")).stream().map(String::valueOf).toList()));
      }
      return 0;
    }
  }
}
