package dev.weft.shuffle.sort;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code weft sort}: generate gensort-format input, sort it on Weft, check a sorted output, and
 * benchmark the sort against Apache Spark on the same files.
 */
@Command(
    name = "weft sort",
    mixinStandardHelpOptions = true,
    description = "Sorts gensort-format files (100-byte records, 10-byte keys) on Weft.",
    subcommands = {GenCommand.class, RunCommand.class, CheckCommand.class, BenchCommand.class})
public final class SortMain implements Callable<Integer> {
  private SortMain() {}

  /** Runs {@code weft sort ARGS}; returns the exit code. */
  public static int run(String... args) {
    return new CommandLine(new SortMain()).execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }
}
