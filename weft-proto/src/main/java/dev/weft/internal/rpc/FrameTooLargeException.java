package dev.weft.internal.rpc;

import dev.weft.WeftException;

/**
 * A message that would exceed the frame cap ({@link Rpc#maxFrameBytes()}): refused by the sender,
 * since the receiver would close the connection on it.
 */
public final class FrameTooLargeException extends WeftException {
  private static final long serialVersionUID = 1L;

  public FrameTooLargeException(String message) {
    super(message);
  }
}
