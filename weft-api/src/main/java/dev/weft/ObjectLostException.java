package dev.weft;

/** Raised when every copy of the object is gone and it cannot be rebuilt from lineage. */
public class ObjectLostException extends WeftException {
  public ObjectLostException(String message) {
    super(message);
  }

  public ObjectLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
