package dev.weft.internal.core;

import dev.weft.WeftException;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver's or worker's connection to the control store, kept: when it closes (the control store
 * died and its supervisor starts it again, or the network failed for a moment), it is made again
 * with back-off, and what needs the control store waits for it instead of failing (issue 11, item
 * 6). Tasks, actor calls and object transfers never use it, so they go on meanwhile.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 *  attach(c): c is the link's connection; {@link #ready} is complete with it
 *  c closes (not shut down) → ready = a new, pending future; on a virtual thread, every 100 ms
 *      doubling to 2 s: connect → hello (a driver: ResumeJob(its job id, its registration) →
 *      JobInfo) → ready completes with the new connection;
 *      hello refused (the control store ended the job) or nothing within the reconnect window
 *      (-Dweft.controlReconnectMillis, default 5 min): ready fails with the reason, for good
 *  call(m): on the ready connection; a call whose connection closes before its answer is sent
 *      again on the next one (the control store's requests that go through here are idempotent:
 *      actors and placement groups are created under ids the caller chose, and a second create
 *      of the same id answers what the first made; kills, removals and reads can be repeated)
 * </pre>
 */
final class ControlLink {
  private static final Logger log = LoggerFactory.getLogger(ControlLink.class);

  /** How long a lost control store is tried again before what waits for it fails. */
  static final long RECONNECT_WINDOW_MILLIS = Long.getLong("weft.controlReconnectMillis", 300_000);

  private final CoreWorker cw;
  private final String address;
  private final Function<Connection, CompletableFuture<Msg>> hello;

  /** Complete with the open connection; pending while reconnecting; failed once given up. */
  private CompletableFuture<Connection> ready = new CompletableFuture<>();

  private volatile boolean closed;

  /**
   * A link to the control store at {@code address}; {@code hello} (null for none) is the first
   * request on every new connection after the first, and must answer other than Failure.
   */
  ControlLink(CoreWorker cw, String address, Function<Connection, CompletableFuture<Msg>> hello) {
    this.cw = cw;
    this.address = address;
    this.hello = hello;
  }

  String address() {
    return address;
  }

  /** {@code c}, open and set up, is the link's connection from now on. */
  void attach(Connection c) {
    CompletableFuture<Connection> r;
    synchronized (this) {
      r = ready;
      if (r.isDone()) {
        r = CompletableFuture.completedFuture(c);
        ready = r;
      }
    }
    r.complete(c);
    c.closeFuture().thenRun(() -> lost(c));
  }

  /** The open connection, or null (for one-way messages that may be dropped). */
  Connection ifOpen() {
    Connection c = current();
    return c != null && c.isOpen() ? c : null;
  }

  private synchronized Connection current() {
    return ready.isDone() && !ready.isCompletedExceptionally() ? ready.getNow(null) : null;
  }

  /** A request to the control store, sent again on the next connection if this one is lost. */
  CompletableFuture<Msg> call(Msg m) {
    CompletableFuture<Msg> out = new CompletableFuture<>();
    attempt(m, out, System.nanoTime() + RECONNECT_WINDOW_MILLIS * 1_000_000);
    return out;
  }

  private void attempt(Msg m, CompletableFuture<Msg> out, long deadlineNanos) {
    CompletableFuture<Connection> r;
    synchronized (this) {
      r = ready;
    }
    r.whenComplete(
        (c, err) -> {
          if (err != null) {
            out.completeExceptionally(err);
            return;
          }
          if (!c.isOpen()) {
            if (closed || System.nanoTime() >= deadlineNanos) {
              out.completeExceptionally(
                  new WeftException(
                      closed
                          ? "this process's connection to the control store is closed"
                          : "the control store at " + address + " did not come back in time"));
              return;
            }
            lost(c); // its close is being handled: the next ready future comes from that
            retryLater(m, out, deadlineNanos);
            return;
          }
          c.call(m)
              .whenComplete(
                  (reply, e) -> {
                    if (e == null) {
                      out.complete(reply);
                    } else if (!c.isOpen() && !closed && System.nanoTime() < deadlineNanos) {
                      lost(c);
                      retryLater(m, out, deadlineNanos);
                    } else {
                      out.completeExceptionally(e);
                    }
                  });
        });
  }

  private void retryLater(Msg m, CompletableFuture<Msg> out, long deadlineNanos) {
    CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS)
        .execute(() -> attempt(m, out, deadlineNanos));
  }

  /** {@code c} closed: unless that was seen already, reconnect. */
  private void lost(Connection c) {
    CompletableFuture<Connection> next;
    synchronized (this) {
      if (closed || current() != c) {
        return;
      }
      next = new CompletableFuture<>();
      ready = next;
    }
    log.warn(
        "lost the connection to the control store at {}: reconnecting (actor creation, getActor"
            + " and placement groups wait for it; tasks and actor calls go on)",
        address);
    Thread.ofVirtual()
        .name("weft-control-reconnect")
        .inheritInheritableThreadLocals(false)
        .start(() -> reconnect(next));
  }

  private void reconnect(CompletableFuture<Connection> next) {
    Backoff backoff = new Backoff(100, 1_000, RECONNECT_WINDOW_MILLIS);
    String last = "";
    while (backoff.open() && !closed) {
      if (!backoff.pause() || closed) {
        break;
      }
      Connection c;
      try {
        c = cw.peers.connectBlocking(address, Duration.ofSeconds(5));
      } catch (java.io.IOException e) {
        last = e.getMessage();
        continue;
      }
      if (hello != null) {
        Msg reply;
        try {
          // no short timeout: a hello the control store took must not be undone by closing
          // this connection (it would end the job); the call fails if the connection closes
          reply = hello.apply(c).get(RECONNECT_WINDOW_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          last = String.valueOf(e.getMessage());
          c.close();
          continue;
        }
        if (reply instanceof Msg.Failure f) {
          c.close();
          log.error("the control store at {} refused this process again: {}", address, f.text());
          next.completeExceptionally(
              new WeftException(
                  "the control store at " + address + " refused this process again: " + f.text()));
          return;
        }
      }
      log.info("reconnected to the control store at {}", address);
      synchronized (this) {
        if (ready != next || closed) {
          c.close();
          next.completeExceptionally(new WeftException("this process shut down"));
          return;
        }
      }
      next.complete(c);
      c.closeFuture().thenRun(() -> lost(c));
      return;
    }
    next.completeExceptionally(
        new WeftException(
            closed
                ? "this process shut down"
                : "lost the connection to the control store at "
                    + address
                    + " and could not reach it again within "
                    + RECONNECT_WINDOW_MILLIS / 1000
                    + " s (last: "
                    + last
                    + "): is the cluster still running? (`weft status`)"));
  }

  void close() {
    CompletableFuture<Connection> r;
    synchronized (this) {
      closed = true;
      r = ready;
    }
    r.completeExceptionally(new WeftException("this process shut down")); // if still pending
    Connection c = ifOpen();
    if (c != null) {
      c.close();
    }
  }
}
