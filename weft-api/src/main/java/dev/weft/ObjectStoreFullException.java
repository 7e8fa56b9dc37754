package dev.weft;

/** Raised when the object store is full and nothing could be spilled or evicted in time. */
public class ObjectStoreFullException extends WeftException {
  public ObjectStoreFullException(String message) {
    super(message);
  }

  public ObjectStoreFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
