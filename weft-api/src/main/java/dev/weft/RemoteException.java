package dev.weft;

/**
 * Stands in for an exception thrown by remote user code whose class cannot be rebuilt in this
 * process. Keeps the original class name, message and the remote stack trace.
 */
public class RemoteException extends WeftException {
  private final String remoteClassName;
  private final String remoteStackTrace;

  public RemoteException(String remoteClassName, String message, String remoteStackTrace) {
    super(remoteClassName + ": " + message);
    this.remoteClassName = remoteClassName;
    this.remoteStackTrace = remoteStackTrace;
  }

  /** Fully qualified class name of the exception thrown remotely. */
  public String remoteClassName() {
    return remoteClassName;
  }

  /** The remote stack trace, as text. */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }

  @Override
  public String toString() {
    return "RemoteException[" + getMessage() + "]\n" + remoteStackTrace;
  }
}
