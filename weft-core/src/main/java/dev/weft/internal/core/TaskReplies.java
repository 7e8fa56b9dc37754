package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.ErrorKind;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What an owner does with the reply of a task it submitted or an actor call it made ({@link
 * TaskSubmitter}, {@link ActorCaller}): results into the ownership table, errors as they will be
 * raised by a get.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 *  executor ──TaskReply(OK, inline results | storedAt, nested refs)──▶ owner
 *     nested refs: adopted (this process borrows them; each result entry keeps its own copies),
 *     then owner ──ReleasePins(task)──▶ executor (one-way: its pins on them may go)
 *     each result: inline → complete; in a store → its primary location recorded, then ready
 *     (or deleted everywhere when every ref to it was dropped before it was made)
 *  executor ──TaskReply(USER_ERROR | ACTOR_DEAD | SERIALIZATION_ERROR | other, reason)──▶ owner
 *     every result fails with the error kind and a message naming the task and where it ran
 * </pre>
 */
final class TaskReplies {
  private TaskReplies() {}

  /**
   * Records where a result that stays in a store is, before anyone can see it ready: the primary
   * copy is in the executor's node store (older executors: ours). Returns true (for use in the
   * condition that completes the result).
   */
  private static boolean recordPrimary(CoreWorker cw, ObjectId id, Msg.TaskReply r) {
    cw.table.addLocation(id, r.storedAt() != null ? r.storedAt() : cw.store.here());
    return true;
  }

  /**
   * Stores a task's reply in the ownership table (shared with actor calls). Refs nested in the
   * results are adopted here (this process registers as their borrower, and the results keep them
   * alive); then the executor may drop the pins it holds on them.
   */
  static void complete(
      CoreWorker cw, Msg.TaskSpec s, Msg.TaskReply r, String where, Connection executor) {
    int n = Math.max(1, s.numReturns());
    switch (r.status()) {
      case OK -> {
        if (r.nested() != null && !r.nested().isEmpty()) {
          List<CompletableFuture<Void>> regs = new ArrayList<>();
          Object[] kept = new Object[r.nested().size()];
          for (int i = 0; i < kept.length; i++) {
            Msg.Arg a = r.nested().get(i);
            kept[i] = cw.refs.adopt(new ObjectId(a.refHi(), a.refLo()), a.refOwner(), regs);
          }
          boolean keptUsed = false;
          for (int i = 0; i < n; i++) {
            OwnershipTable.Entry e =
                cw.table.get(new ObjectId(s.returnHi(), s.firstReturnLo() + i));
            if (e != null) {
              // each entry releases its own; one made again from lineage swaps in the refs of
              // the new value (the old ones name what the first run made, which may be gone)
              Object own = keptUsed ? copies(cw, kept) : kept;
              keptUsed = true;
              Object old;
              synchronized (e) {
                old = e.contained;
                e.contained = own;
              }
              RefLifecycle.releaseHeld(old);
            }
          }
          if (!keptUsed) {
            RefLifecycle.releaseHeld(kept);
          }
          CompletableFuture.allOf(regs.toArray(CompletableFuture[]::new))
              .whenComplete((v, err) -> executor.send(new Msg.ReleasePins(s.taskHi(), s.taskLo())));
        }
        for (int i = 0; i < n; i++) {
          ObjectId id = new ObjectId(s.returnHi(), s.firstReturnLo() + i);
          byte[] inline = r.returns().get(i);
          if (inline != null) {
            cw.table.complete(id, inline);
          } else if (recordPrimary(cw, id, r) && cw.table.get(id) != null) {
            if (cw.table.completeInStore(id)) {
              cw.store.countOwnedInStore(); // counted once: not again when made again
            }
          } else {
            // every ref to it was dropped before it was made
            cw.store.deleteEverywhere(id, r.storedAt() != null ? List.of(r.storedAt()) : List.of());
          }
        }
      }
      case null, default -> {
        Msg.TaskStatus status = r.status();
        Throwable cause =
            (status == Msg.TaskStatus.USER_ERROR || status == Msg.TaskStatus.SERIALIZATION_ERROR)
                    && r.thrown() != null
                ? Serde.deserializeError(r.thrown())
                : null;
        String detail =
            cause != null
                ? cause.getClass().getName() + ": " + cause.getMessage()
                : r.thrown() != null ? r.thrown().stackTrace() : r.reason();
        ErrorKind kind =
            switch (status) {
              case ACTOR_DEAD -> ErrorKind.ACTOR_DIED;
              case SERIALIZATION_ERROR -> ErrorKind.SERIALIZATION;
              case null, default -> ErrorKind.TASK_FAILED;
            };
        String msg =
            switch (status) {
              case USER_ERROR ->
                  "task "
                      + s.name()
                      + " threw on "
                      + where
                      + " (attempt "
                      + (s.attempt() + 1)
                      + "): "
                      + detail
                      + " — see the cause for the remote stack trace";
              case ACTOR_DEAD -> "call " + s.name() + " failed: " + r.reason();
              case SERIALIZATION_ERROR -> "task " + s.name() + " on " + where + ": " + detail;
              case null, default ->
                  "task " + s.name() + " could not run on " + where + ": " + detail;
            };
        ErrorInfo e = new ErrorInfo(kind, msg, cause);
        for (int i = 0; i < n; i++) {
          cw.table.fail(new ObjectId(s.returnHi(), s.firstReturnLo() + i), e);
        }
      }
    }
  }

  private static Object[] copies(CoreWorker cw, Object[] refs) {
    Object[] out = new Object[refs.length];
    for (int i = 0; i < refs.length; i++) {
      out[i] = cw.refs.copyOf((RefImpl<?>) refs[i]);
    }
    return out;
  }
}
