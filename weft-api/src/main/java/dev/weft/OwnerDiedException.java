package dev.weft;

/** Raised when the process that owned the object died (objects share their owner's fate). */
public class OwnerDiedException extends WeftException {
  public OwnerDiedException(String message) {
    super(message);
  }

  public OwnerDiedException(String message, Throwable cause) {
    super(message, cause);
  }
}
