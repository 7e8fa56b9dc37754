package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ActorDiedException;
import dev.weft.ObjectLostException;
import dev.weft.OwnerDiedException;
import dev.weft.RemoteException;
import dev.weft.SerializationException;
import dev.weft.TaskFailedException;
import dev.weft.WeftException;
import dev.weft.WorkerCrashedException;
import dev.weft.internal.core.OwnershipTable.ErrorInfo;
import dev.weft.internal.proto.Codec;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.ErrorKind;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A failed object's error crosses the wire as a record (what an owner answers to a GetObject) and
 * becomes the same exception on the other side: kind, message and cause intact, whatever characters
 * the messages hold.
 */
class ErrorsTest {

  /** Characters an earlier encoding used as separators: they are just characters now. */
  private static final String ODD = "a\u0001b\u0000c";

  private static final Map<ErrorKind, Class<? extends WeftException>> EXCEPTIONS =
      Map.of(
          ErrorKind.TASK_FAILED, TaskFailedException.class,
          ErrorKind.WORKER_CRASHED, WorkerCrashedException.class,
          ErrorKind.ACTOR_DIED, ActorDiedException.class,
          ErrorKind.OWNER_DIED, OwnerDiedException.class,
          ErrorKind.SERIALIZATION, SerializationException.class,
          ErrorKind.OBJECT_LOST, ObjectLostException.class);

  /** What the asking process gets from the owner's ErrorInfo: encoded, sent, decoded. */
  private static ErrorInfo overTheWire(ErrorInfo e) {
    Msg.ObjectReply sent =
        new Msg.ObjectReply(Msg.ObjectStatus.FAILED, null, Errors.encodeError(e));
    Msg.ObjectReply got = (Msg.ObjectReply) Codec.decode(Codec.encode(sent));
    assertThat(got.status()).isEqualTo(Msg.ObjectStatus.FAILED);
    return Errors.decodeError(got.error());
  }

  @Test
  void decodeError_everyKind_becomesItsExceptionWithMessageAndCause() {
    for (ErrorKind kind : ErrorKind.values()) {
      IOException cause = new IOException("cause of " + kind + " " + ODD);
      ErrorInfo back = overTheWire(new ErrorInfo(kind, "failed " + kind + " " + ODD, cause));

      assertThat(back.kind()).as("kind").isEqualTo(kind);
      assertThat(back.message()).as(kind + " message").isEqualTo("failed " + kind + " " + ODD);
      assertThat(back.cause())
          .as(kind + " cause")
          .isInstanceOf(IOException.class)
          .hasMessage("cause of " + kind + " " + ODD);
      WeftException thrown = Errors.toException(back);
      assertThat(thrown)
          .isExactlyInstanceOf(EXCEPTIONS.get(kind))
          .hasMessage("failed " + kind + " " + ODD);
      assertThat(thrown.getCause()).isInstanceOf(IOException.class);
    }
  }

  @Test
  void decodeError_withoutCause_hasNoCause() {
    ErrorInfo back = overTheWire(new ErrorInfo(ErrorKind.OBJECT_LOST, "gone", null));

    assertThat(back.cause()).isNull();
    assertThat(Errors.toException(back))
        .isExactlyInstanceOf(ObjectLostException.class)
        .hasMessage("gone")
        .hasNoCause();
  }

  /** An exception that JDK serialization refuses: it travels as class, message and trace only. */
  static final class Unserializable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings({"unused", "serial"})
    private final Object notSerializable = new Object();

    Unserializable(String message) {
      super(message);
    }
  }

  @Test
  void decodeError_unserializableCause_becomesARemoteExceptionWithClassMessageAndTrace() {
    ErrorInfo back =
        overTheWire(
            new ErrorInfo(
                ErrorKind.TASK_FAILED, "task f threw", new Unserializable("boom " + ODD)));

    assertThat(back.cause()).isInstanceOf(RemoteException.class);
    RemoteException r = (RemoteException) back.cause();
    assertThat(r.remoteClassName()).isEqualTo(Unserializable.class.getName());
    assertThat(r.getMessage()).isEqualTo(Unserializable.class.getName() + ": boom " + ODD);
    assertThat(r.remoteStackTrace())
        .startsWith(Unserializable.class.getName() + ": boom " + ODD)
        .contains("ErrorsTest");
  }
}
