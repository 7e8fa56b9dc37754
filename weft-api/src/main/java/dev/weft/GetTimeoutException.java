package dev.weft;

/** Raised when a get with a timeout ran out before the object was ready. */
public class GetTimeoutException extends WeftException {
  public GetTimeoutException(String message) {
    super(message);
  }

  public GetTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
