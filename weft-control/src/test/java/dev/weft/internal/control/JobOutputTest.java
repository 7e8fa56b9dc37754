package dev.weft.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.proto.Msg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobOutputTest {
  private static Msg.WorkerLogs batch(int job, int from, int n, long dropped) {
    List<Msg.LogLine> lines = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      lines.add(new Msg.LogLine(i % 2 == 0 ? null : "Counter", i % 3 == 0, "line " + i));
    }
    return new Msg.WorkerLogs(job, "node-1", 42, lines, dropped);
  }

  @Test
  void keepsEachJobsLinesInOrderWithWhereTheyRan() {
    JobOutput out = new JobOutput();
    out.add(batch(1, 0, 3, 0));
    out.add(batch(2, 0, 1, 0));
    out.add(batch(1, 3, 1, 5));

    Msg.JobLogLines all = out.read(1, 0, true);
    assertThat(all.lines())
        .containsExactly(
            "(pid=42, node=node-1) line 0",
            "(Counter pid=42, node=node-1) line 1",
            "(pid=42, node=node-1) line 2",
            "(Counter pid=42, node=node-1) line 3",
            "(pid=42, node=node-1) [weft: 5 more lines were printed faster than they could be"
                + " sent; they are in the worker's log file: weft logs --node node-1 --worker 42]");
    assertThat(all.firstSeq()).isZero();
    assertThat(all.nextSeq()).isEqualTo(5);
    assertThat(out.read(1, 3, true).lines()).hasSize(2).first().asString().endsWith("line 3");
    assertThat(out.read(1, 5, false).lines()).isEmpty();
    assertThat(out.read(2, 0, true).lines()).containsExactly("(pid=42, node=node-1) line 0");
    assertThat(out.read(3, 0, true).lines()).isEmpty();
  }

  @Test
  void dropsTheOldestLinesOfAJobBeyondItsBound() {
    JobOutput out = new JobOutput();
    out.add(batch(1, 0, JobOutput.LINES_PER_JOB + 10, 0));

    Msg.JobLogLines l = out.read(1, 0, true);
    assertThat(l.firstSeq()).as("the first line still kept").isEqualTo(10);
    assertThat(l.lines()).hasSize(JobOutput.LINES_PER_JOB);
    assertThat(l.lines().getFirst()).endsWith(" line 10");
  }

  @Test
  void forgetsTheJobsThatPrintedLeastRecentlyBeyondItsBound() {
    JobOutput out = new JobOutput();
    for (int job = 1; job <= JobOutput.JOBS + 1; job++) {
      out.add(batch(job, 0, 1, 0));
    }
    assertThat(out.read(1, 0, false).lines()).as("the oldest job's lines").isEmpty();
    assertThat(out.read(2, 0, false).lines()).hasSize(1);
  }
}
