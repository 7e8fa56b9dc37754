package dev.weft.internal.core;

import dev.weft.ObjectRef;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;
import dev.weft.internal.proto.Msg;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves top-level ref arguments to their values (asking their owners) before a task runs. Before
 * it returns, {@code hold} receives the runtime's own counted copies of every ref the arguments
 * name (top-level and nested in plain values): the caller keeps them until the task's reply and
 * then releases them ({@link RefLifecycle#releaseHeld}), so a user's {@code release()} right after
 * submitting cannot free an argument under the task. Large plain arguments are put into the node's
 * store (the executor reads them there); their refs go to {@code hold} too.
 */
final class ArgResolver {
  /** Resolved arguments: stored values of refs, serialized plain values. */
  record Resolved(List<Msg.Arg> args, ErrorInfo failure) {}

  private ArgResolver() {}

  static CompletableFuture<Resolved> resolve(
      CoreWorker cw, Object[] args, String taskName, List<Object> hold) {
    Msg.Arg[] out = new Msg.Arg[args.length];
    List<CompletableFuture<?>> waits = new ArrayList<>();
    ErrorInfo[] failure = new ErrorInfo[1];
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof ObjectRef<?> given) {
        ObjectRef<?> ref = given instanceof RefImpl<?> r ? cw.refs.copyOf(r) : given;
        hold.add(ref);
        int idx = i;
        waits.add(
            cw.fetcher
                .storedAsync(ref, 0)
                .thenAccept(
                    st -> {
                      if (st.failed()) {
                        synchronized (failure) {
                          if (failure[0] == null) {
                            ErrorInfo e = st.error();
                            failure[0] =
                                new ErrorInfo(
                                    e.kind(),
                                    "argument "
                                        + idx
                                        + " of "
                                        + taskName
                                        + " (object "
                                        + ref.id()
                                        + ") failed: "
                                        + e.message(),
                                    e.cause());
                          }
                        }
                      } else if (st.inStore()) {
                        // large: the executor reads it in place from its node's store
                        out[idx] =
                            new Msg.Arg(null, ref.id().hi(), ref.id().lo(), ref.ownerAddress());
                      } else {
                        out[idx] = new Msg.Arg(st.value(), 0, 0, null);
                      }
                    }));
      } else {
        List<RefImpl<?>> nested = new ArrayList<>();
        Object v = cw.store.plainArgument(a, "argument " + i + " of " + taskName, nested);
        hold.addAll(nested);
        if (v instanceof RefImpl<?> stored) {
          // large: put into the store here; the executor reads it there
          hold.add(stored);
          out[i] = new Msg.Arg(null, stored.id().hi(), stored.id().lo(), cw.address);
        } else {
          out[i] = new Msg.Arg((byte[]) v, 0, 0, null);
        }
      }
    }
    if (waits.isEmpty()) {
      return CompletableFuture.completedFuture(new Resolved(List.of(out), null));
    }
    return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new))
        .thenApply(
            v ->
                failure[0] != null
                    ? new Resolved(null, failure[0])
                    : new Resolved(List.of(out), null));
  }
}
