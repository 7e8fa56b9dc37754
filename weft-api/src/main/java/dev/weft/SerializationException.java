package dev.weft;

/**
 * Raised when a value could not be serialized or deserialized; the message names the class and why.
 */
public class SerializationException extends WeftException {
  public SerializationException(String message) {
    super(message);
  }

  public SerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
