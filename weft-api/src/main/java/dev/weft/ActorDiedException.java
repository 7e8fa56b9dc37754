package dev.weft;

/** Raised when the actor is dead: killed, crashed with no restarts left, or its node was lost. */
public class ActorDiedException extends WeftException {
  public ActorDiedException(String message) {
    super(message);
  }

  public ActorDiedException(String message, Throwable cause) {
    super(message, cause);
  }
}
