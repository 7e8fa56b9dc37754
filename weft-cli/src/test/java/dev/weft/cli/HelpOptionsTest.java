package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpOptionsTest {
  /**
   * Every command and subcommand answers {@code --help} with its usage and exit code 0 (those that
   * hand their arguments to a parser of their own, such as {@code bench}, answer it there).
   */
  @Test
  void everyCommand_answersHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(new CommandLine(new WeftCli()), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(10);
    for (List<String> path : paths) {
      CommandLine cli = new CommandLine(new WeftCli());
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      CommandLine target = cli;
      for (String name : path) {
        target = target.getSubcommands().get(name);
      }
      if (target.getCommandSpec().unmatchedArgsBindings().size() > 0) {
        continue; // passes --help on to its own parser
      }
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      int code = cli.execute(args.toArray(String[]::new));
      assertThat(code).as("weft " + String.join(" ", args) + "; stderr: " + err).isZero();
      assertThat(out.toString())
          .as("weft " + String.join(" ", args))
          .contains("Usage: weft " + String.join(" ", path));
    }
  }

  private static void collect(CommandLine c, List<String> path, List<List<String>> into) {
    for (var e : c.getSubcommands().entrySet()) {
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      into.add(p);
      collect(e.getValue(), p, into);
    }
  }
}
