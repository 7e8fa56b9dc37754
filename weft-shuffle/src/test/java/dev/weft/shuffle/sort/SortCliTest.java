package dev.weft.shuffle.sort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weft sort gen} and {@code weft sort check} through their command lines. */
class SortCliTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(Object command, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path gen(String name, String... more) {
    Path dir = tmp.resolve(name);
    String[] args = {"gen", "--records", "300", "--files", "2", "--output", dir.toString()};
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    assertThat(SortMain.run(all)).isZero();
    return dir;
  }

  @Test
  void sortMain_genThenCheck_exitCodes() throws IOException {
    Path in = gen("in", "--seed", "9", "--keys", "SKEWED");
    Path out = tmp.resolve("out");
    List<byte[]> sorted = SortData.sorted(SortData.read(in));
    SortData.write(out, sorted, 100);

    assertThat(SortMain.run("check", "--input", in.toString(), "--output", out.toString()))
        .isZero();
    assertThat(SortMain.run("check", "--input", in.toString(), "--output", in.toString()))
        .isEqualTo(1); // generated order is not sorted
    assertThat(SortMain.run("check", "--input", in.toString())).isEqualTo(2);
    assertThat(SortMain.run("gen", "--records", "5", "--output", in.toString())).isEqualTo(2);
    assertThat(SortMain.run("gen", "--records", "5", "--keys", "zipf", "--output", "x"))
        .isEqualTo(2);
  }

  @Test
  void gen_printsSummary_andRefusesNonEmptyFolder() {
    Path dir = tmp.resolve("g");
    assertThat(
            execute(
                new GenCommand(), "--records", "1000", "--files", "3", "--output", dir.toString()))
        .isZero();
    assertThat(out.toString()).startsWith("gen: 1000 records, 100000 bytes, 3 files in " + dir);

    assertThat(execute(new GenCommand(), "--records", "10", "--output", dir.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("is not empty").contains("--overwrite");

    assertThat(
            execute(new GenCommand(), "--records", "10", "--output", dir.toString(), "--overwrite"))
        .isZero();
  }

  @Test
  void gen_unknownKeys_listsTheChoices() {
    assertThat(execute(new GenCommand(), "--records", "1", "--keys", "zipf", "--output", "x"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'zipf'").contains("uniform, skewed, duplicates");
  }

  @Test
  void check_json_validAndInvalid() throws IOException {
    Path in = gen("in");
    Path sortedDir = tmp.resolve("sorted");
    List<byte[]> sorted = SortData.sorted(SortData.read(in));
    SortData.write(sortedDir, sorted, 150);

    assertThat(
            execute(new CheckCommand(), "--input", "" + in, "--output", "" + sortedDir, "--json"))
        .isZero();
    assertThat(out.toString().strip())
        .startsWith("{\"valid\":true,\"records\":300,")
        .endsWith("\"error\":null}")
        .doesNotContain("\n");

    Collections.swap(sorted, 5, 6);
    Path bad = tmp.resolve("bad");
    SortData.write(bad, sorted, 150);
    out.getBuffer().setLength(0);
    assertThat(execute(new CheckCommand(), "--input", "" + in, "--output", "" + bad, "--json"))
        .isEqualTo(1);
    assertThat(out.toString())
        .contains("\"valid\":false")
        .contains("output not sorted: " + bad.resolve("part-00000") + " record 6 ");
  }

  @Test
  void check_human_failureOnStderr() throws IOException {
    Path in = gen("in");
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.write(out.resolve("part-00000"), new byte[150]);

    assertThat(execute(new CheckCommand(), "--input", "" + in, "--output", "" + out)).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("check: FAILED: output: ")
        .contains(out.resolve("part-00000").toString());
  }
}
