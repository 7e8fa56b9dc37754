package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.proto.Msg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskEventLogTest {
  private static Msg.TaskSpec spec(long lo, String name, long actorLo) {
    return new Msg.TaskSpec(7, lo, name, "owner:1", null, List.of(), 7, lo, 0, 1, 0, actorLo, 0, 0);
  }

  private static Msg.TaskReply reply(long lo, Msg.TaskStatus status, Msg.RemoteThrowable t) {
    return new Msg.TaskReply(7, lo, status, List.of(), null, t, List.of(), null);
  }

  @Test
  void reportsRunningTasksThenWhatEndedOnce() {
    TaskEventLog log = new TaskEventLog();
    assertThat(log.drain()).as("nothing ran").isNull();

    TaskEventLog.Running a = log.started(spec(1, "Fns.ok", 0), 3);
    TaskEventLog.Running b = log.started(spec(2, "Counter.add", 9), 3);
    Msg.TaskEvents first = log.drain();
    assertThat(first.finished()).isEmpty();
    assertThat(first.running())
        .extracting(Msg.TaskEvent::function, Msg.TaskEvent::state, Msg.TaskEvent::jobId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Fns.ok", "RUNNING", 3),
            org.assertj.core.groups.Tuple.tuple("Counter.add", "RUNNING", 3));

    log.ended(a, reply(1, Msg.TaskStatus.OK, null));
    log.ended(
        b,
        reply(
            2,
            Msg.TaskStatus.USER_ERROR,
            new Msg.RemoteThrowable(
                "java.lang.IllegalStateException", "bad\nmore lines", "", null)));
    Msg.TaskEvents second = log.drain();
    assertThat(second.running()).isEmpty();
    assertThat(second.finished()).hasSize(2);
    Msg.TaskEvent ok = second.finished().get(0);
    assertThat(ok.state()).isEqualTo("FINISHED");
    assertThat(ok.durationMicros()).isPositive();
    assertThat(ok.actor()).isNull();
    assertThat(ok.attempt()).isEqualTo(1);
    assertThat(ok.workerPid()).isEqualTo(ProcessHandle.current().pid());
    Msg.TaskEvent failed = second.finished().get(1);
    assertThat(failed.state()).isEqualTo("FAILED");
    assertThat(failed.error()).isEqualTo("java.lang.IllegalStateException: bad");
    assertThat(failed.actor()).isEqualTo("00000000000000000000000000000009");
    assertThat(log.drain()).as("everything was sent").isNull();
  }

  @Test
  void commitsAJfrEventPerTask(@TempDir Path dir) throws Exception {
    TaskEventLog log = new TaskEventLog();
    Path file = dir.resolve("tasks.jfr");
    try (Recording r = new Recording()) {
      r.enable("dev.weft.Task").withThreshold(java.time.Duration.ZERO);
      r.start();
      TaskEventLog.Running t = log.started(spec(5, "Fns.traced", 0), 4);
      log.ended(t, reply(5, Msg.TaskStatus.OK, null));
      r.stop();
      r.dump(file);
    }
    List<RecordedEvent> events =
        RecordingFile.readAllEvents(file).stream()
            .filter(e -> e.getEventType().getName().equals("dev.weft.Task"))
            .toList();
    assertThat(events).hasSize(1);
    RecordedEvent e = events.getFirst();
    assertThat(e.getString("function")).isEqualTo("Fns.traced");
    assertThat(e.getInt("jobId")).isEqualTo(4);
    assertThat(e.getString("status")).isEqualTo("OK");
    assertThat(e.getString("taskId")).isEqualTo("00000000000000070000000000000005");
    assertThat(Files.size(file)).isPositive();
  }
}
