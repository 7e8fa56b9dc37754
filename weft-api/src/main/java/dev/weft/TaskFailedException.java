package dev.weft;

/**
 * Raised when the user's code threw; getCause() is the original exception, or a RemoteException
 * when its class cannot be rebuilt here.
 */
public class TaskFailedException extends WeftException {
  public TaskFailedException(String message) {
    super(message);
  }

  public TaskFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
