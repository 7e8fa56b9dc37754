package dev.weft.internal.core;

import dev.weft.ActorDiedException;
import dev.weft.ObjectLostException;
import dev.weft.OwnerDiedException;
import dev.weft.SerializationException;
import dev.weft.TaskFailedException;
import dev.weft.WeftException;
import dev.weft.WorkerCrashedException;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;

/**
 * A failed object's error on the wire and back: {@link #encodeError} for an owner answering a
 * GetObject, {@link #decodeError} for the process that asked, {@link #toException} for the get that
 * throws it (a fresh exception at every get).
 */
final class Errors {
  private Errors() {}

  record EncodedError(byte[] bytes, String text) {}

  static EncodedError encodeError(ErrorInfo e) {
    byte[] b = e.cause() == null ? null : Serde.serializeError(e.cause());
    String causeText = e.cause() == null ? "" : Serde.describeError(e.cause());
    return new EncodedError(b, e.kind() + "\u0001" + e.message() + "\u0001" + causeText);
  }

  static ErrorInfo decodeError(byte[] bytes, String text) {
    String[] p = text == null ? new String[] {"1", "unknown error", ""} : text.split("\u0001", 3);
    int kind = Integer.parseInt(p[0]);
    Throwable cause =
        (bytes != null || (p.length > 2 && !p[2].isEmpty()))
            ? Serde.deserializeError(bytes, p.length > 2 ? p[2] : null)
            : null;
    return new ErrorInfo(kind, p.length > 1 ? p[1] : text, cause);
  }

  static WeftException toException(ErrorInfo e) {
    return switch (e.kind()) {
      case ErrorInfo.TASK_FAILED -> new TaskFailedException(e.message(), e.cause());
      case ErrorInfo.WORKER_CRASHED -> new WorkerCrashedException(e.message(), e.cause());
      case ErrorInfo.ACTOR_DIED -> new ActorDiedException(e.message(), e.cause());
      case ErrorInfo.OWNER_DIED -> new OwnerDiedException(e.message(), e.cause());
      case ErrorInfo.SERIALIZATION -> new SerializationException(e.message(), e.cause());
      default -> new ObjectLostException(e.message(), e.cause());
    };
  }
}
