package dev.weft;

/** Root of every error Weft raises. Unchecked; each subclass names one distributed failure. */
public class WeftException extends RuntimeException {
  public WeftException(String message) {
    super(message);
  }

  public WeftException(String message, Throwable cause) {
    super(message, cause);
  }
}
