package dev.weft.internal.core;

import dev.weft.ActorDiedException;
import dev.weft.ObjectLostException;
import dev.weft.OwnerDiedException;
import dev.weft.SerializationException;
import dev.weft.TaskFailedException;
import dev.weft.WeftException;
import dev.weft.WorkerCrashedException;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.ErrorKind;

/**
 * A failed object's error on the wire and back: {@link #encodeError} for an owner answering a
 * GetObject, {@link #decodeError} for the process that asked, {@link #toException} for the get that
 * throws it (a fresh exception at every get).
 */
final class Errors {
  private Errors() {}

  static Msg.ObjectError encodeError(ErrorInfo e) {
    return new Msg.ObjectError(
        e.kind(), e.message(), e.cause() == null ? null : Serde.describeError(e.cause()));
  }

  static ErrorInfo decodeError(Msg.ObjectError e) {
    if (e == null || e.kind() == null) {
      return new ErrorInfo(
          ErrorKind.TASK_FAILED,
          "the owner reported a failed object without its error: " + e,
          null);
    }
    return new ErrorInfo(
        e.kind(), e.message(), e.cause() == null ? null : Serde.deserializeError(e.cause()));
  }

  static WeftException toException(ErrorInfo e) {
    return switch (e.kind()) {
      case TASK_FAILED -> new TaskFailedException(e.message(), e.cause());
      case WORKER_CRASHED -> new WorkerCrashedException(e.message(), e.cause());
      case ACTOR_DIED -> new ActorDiedException(e.message(), e.cause());
      case OWNER_DIED -> new OwnerDiedException(e.message(), e.cause());
      case SERIALIZATION -> new SerializationException(e.message(), e.cause());
      case OBJECT_LOST -> new ObjectLostException(e.message(), e.cause());
    };
  }
}
