package dev.weft.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A loop of {@link EventLoops#newLoop}: what its tasks throw reaches the log. */
class EventLoopsTest {
  /** Keeps every line logged at ERROR, formatted. */
  static final class Lines extends AbstractLogger {
    final List<String> errors = new CopyOnWriteArrayList<>();
    final java.util.concurrent.CountDownLatch twoErrors =
        new java.util.concurrent.CountDownLatch(2);

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] args, Throwable t) {
      if (level == Level.ERROR) {
        errors.add(MessageFormatter.basicArrayFormat(pattern, args));
        twoErrors.countDown();
      }
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isWarnEnabled() {
      return false;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }

  @Test
  void tasksThatThrow_onceOrPeriodically_areLogged_andTheLoopGoesOn() throws Exception {
    Lines log = new Lines();
    ScheduledExecutorService loop = EventLoops.newLoop("test-loop", log);
    try {
      loop.execute(
          () -> {
            throw new IllegalStateException("handler broke");
          });
      int[] runs = {0};
      loop.scheduleWithFixedDelay(
          () -> {
            if (++runs[0] == 2) {
              throw new IllegalArgumentException("timer broke");
            }
          },
          0,
          1,
          TimeUnit.MILLISECONDS);
      loop.schedule(() -> {}, 0, TimeUnit.MILLISECONDS).cancel(false); // not a failure
      assertThat(log.twoErrors.await(10, TimeUnit.SECONDS)).as("both failures logged").isTrue();
      assertThat(log.errors)
          .anySatisfy(l -> assertThat(l).contains("test-loop", "handler broke"))
          .anySatisfy(
              l ->
                  assertThat(l).contains("does not run again", "timer broke").doesNotContain("{}"));
      assertThat(loop.submit(() -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
      assertThat(log.errors).hasSize(2);
    } finally {
      loop.shutdownNow();
    }
  }
}
