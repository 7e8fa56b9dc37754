package dev.weft.shuffle.sort;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft sort gen}: writes gensort-format input with {@link GenSort}. Exit codes: 0 written; 1
 * a file could not be written; 2 bad command line (including a non-empty output folder without
 * {@code --overwrite}).
 */
@Command(
    name = "gen",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Writes gensort-format input (100-byte records, 10-byte keys) into files part-00000,"
            + " part-00001, ... of the output folder; the same seed gives the same records however"
            + " they are split into files. Exit code 0: written; 1: I/O error; 2: bad command line.")
final class GenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--records",
      required = true,
      paramLabel = "N",
      description = "Records to write (100 bytes each).")
  long records;

  @Option(
      names = "--files",
      paramLabel = "F",
      description = "Files to split them into, as evenly as possible (default: ${DEFAULT-VALUE}).")
  int files = 1;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Folder to write into: created if missing, must be empty unless --overwrite.")
  Path output;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the keys (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--keys",
      paramLabel = "uniform|skewed|duplicates",
      converter = KeysConverter.class,
      description =
          "uniform: random keys (default); skewed: every key starts with "
              + GenSort.SKEW_PREFIX
              + " zero bytes; duplicates: keys drawn from "
              + GenSort.DISTINCT_KEYS
              + " distinct ones.")
  GenSort.Keys keys = GenSort.Keys.UNIFORM;

  @Option(
      names = "--overwrite",
      description = "Delete the files already in the output folder instead of refusing.")
  boolean overwrite;

  @Override
  public Integer call() {
    GenSort.Summary summary;
    try {
      summary = GenSort.generate(output, records, files, seed, keys, overwrite);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "weft sort gen: " + e.getMessage());
    } catch (UncheckedIOException e) {
      spec.commandLine().getErr().println("weft sort gen: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println(summary.line());
    return 0;
  }

  /** Parses {@code --keys} case-insensitively, listing the choices when the value is wrong. */
  static final class KeysConverter implements CommandLine.ITypeConverter<GenSort.Keys> {
    @Override
    public GenSort.Keys convert(String value) {
      for (GenSort.Keys k : GenSort.Keys.values()) {
        if (k.cliName().equals(value.toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new CommandLine.TypeConversionException(
          "'"
              + value
              + "' is not a key distribution: use one of "
              + Arrays.stream(GenSort.Keys.values())
                  .map(GenSort.Keys::cliName)
                  .collect(Collectors.joining(", ")));
    }
  }
}
