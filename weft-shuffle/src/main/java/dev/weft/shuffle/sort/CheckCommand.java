package dev.weft.shuffle.sort;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft sort check}: checks a sort's output against its input with {@link SortCheck}. Exit
 * codes: 0 valid; 1 invalid or unreadable (the message says what and where); 2 bad command line.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Checks that the output folder holds the input folder's records (same count, same"
            + " order-independent checksum) sorted by their unsigned 10-byte keys across its files"
            + " in name order, and counts duplicate keys. Exit code 0: valid; 1: not valid or not"
            + " readable; 2: bad command line.")
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR",
      description = "The folder the sort read (gensort-format files).")
  Path input;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "The folder the sort wrote; its files in name order are the sorted sequence.")
  Path output;

  @Option(
      names = "--json",
      description =
          "Print one JSON object instead: valid, records, inputRecords, bytes, inputChecksum,"
              + " outputChecksum, duplicateKeys, seconds, error.")
  boolean json;

  @Override
  public Integer call() {
    SortCheck.Result r = SortCheck.check(input, output);
    if (json) {
      spec.commandLine().getOut().println(r.json());
    } else if (r.valid()) {
      spec.commandLine().getOut().println(r.summary());
    } else {
      spec.commandLine().getErr().println(r.summary());
    }
    return r.valid() ? 0 : 1;
  }
}
