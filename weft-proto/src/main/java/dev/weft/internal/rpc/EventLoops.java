package dev.weft.internal.rpc;

import dev.weft.internal.proto.Msg;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;

/**
 * The one-thread loops that own a server process's state (the node manager's, the control store's),
 * made so that nothing thrown on them goes unseen. A task given to a {@link
 * ScheduledThreadPoolExecutor} keeps its exception in its future, which nobody reads for {@code
 * execute} or a timer: a handler that threw left its caller waiting for a reply until its own
 * timeout, and a periodic task that threw stopped running, both without a line in any log.
 */
public final class EventLoops {
  private EventLoops() {}

  /**
   * A loop on one platform thread named {@code threadName}; failed tasks are logged to {@code log}.
   */
  public static ScheduledExecutorService newLoop(String threadName, Logger log) {
    ScheduledThreadPoolExecutor loop =
        new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(threadName).factory()) {
          @Override
          protected void afterExecute(Runnable r, Throwable t) {
            super.afterExecute(r, t);
            Throwable failure = t;
            if (failure == null && r instanceof Future<?> f && f.isDone()) {
              try {
                f.get();
              } catch (CancellationException e) {
                return; // cancelled on purpose
              } catch (ExecutionException e) {
                failure = e.getCause();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            if (failure != null) {
              log.error(
                  "a task on {} failed (a periodic one does not run again): {}",
                  threadName,
                  failure.toString(),
                  failure);
            }
          }
        };
    return loop;
  }

  /**
   * Runs {@code handle} for a message that came on {@code c}. A failure is logged with the
   * message's type and sender, and a call ({@code reqId != 0}) is answered with a {@link
   * Msg.Failure} saying what failed where, so that its caller does not wait for a reply that will
   * never come. (A reply the handler sent before it threw stays the answer: the caller takes the
   * first.)
   */
  public static void handle(
      Logger log, String where, Connection c, long reqId, Msg msg, Runnable handle) {
    try {
      handle.run();
    } catch (RuntimeException | Error e) {
      String type = msg.getClass().getSimpleName();
      log.error("{}: handling {} from {} failed: {}", where, type, c.peer(), e.toString(), e);
      if (reqId != 0 && c.isOpen()) {
        c.replyFailure(
            reqId,
            where
                + " failed while handling "
                + type
                + ": "
                + e
                + " (a bug in Weft: its log has the stack trace; please report it)");
      }
    }
  }
}
