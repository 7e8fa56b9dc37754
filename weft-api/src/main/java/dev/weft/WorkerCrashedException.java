package dev.weft;

/** Raised when the process running the task died and its retries are used up. */
public class WorkerCrashedException extends WeftException {
  public WorkerCrashedException(String message) {
    super(message);
  }

  public WorkerCrashedException(String message, Throwable cause) {
    super(message, cause);
  }
}
