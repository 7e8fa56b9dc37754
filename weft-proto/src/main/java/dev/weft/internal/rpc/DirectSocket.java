package dev.weft.internal.rpc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * A socket descriptor of our own for writing straight from a sending thread: a duplicate
 * (close-on-exec) of a Netty channel's descriptor, written with libc's {@code write}.
 *
 * <p>Why a duplicate. Netty closes its descriptor on its event loop whenever the connection fails,
 * without any lock of ours; a thread that had checked the channel was open and then wrote to the
 * same descriptor number could write into an unrelated socket that reused that number meanwhile.
 * The duplicate is ours: it is closed only under the owning {@link Connection}'s write lock, after
 * Netty has closed its own (the socket itself stays open until both are closed, a few microseconds
 * later in the same close), so a write under that lock always reaches this socket.
 *
 * <p>Only where this JVM allows native access (as native epoll itself needs); {@link #dup} returns
 * null otherwise.
 */
final class DirectSocket {
  private static final int F_DUPFD_CLOEXEC = 1030;
  private static final int EAGAIN = 11;
  private static final int EINTR = 4;

  private static final MethodHandle FCNTL;
  private static final MethodHandle WRITE;
  private static final MethodHandle CLOSE;
  private static final StructLayout CAPTURE;
  private static final VarHandle ERRNO;

  static {
    MethodHandle fcntl = null;
    MethodHandle write = null;
    MethodHandle close = null;
    StructLayout capture = null;
    VarHandle errno = null;
    if (DirectSocket.class.getModule().isNativeAccessEnabled()) {
      try {
        Linker l = Linker.nativeLinker();
        Linker.Option ccs = Linker.Option.captureCallState("errno");
        capture = Linker.Option.captureStateLayout();
        errno = capture.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        fcntl =
            l.downcallHandle(
                l.defaultLookup().find("fcntl").orElseThrow(),
                FunctionDescriptor.of(
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        write =
            l.downcallHandle(
                l.defaultLookup().find("write").orElseThrow(),
                FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG),
                ccs);
        close =
            l.downcallHandle(
                l.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
      } catch (RuntimeException | LinkageError e) {
        fcntl = null; // not Linux/libc as expected: writes go through the event loop
      }
    }
    FCNTL = fcntl;
    WRITE = write;
    CLOSE = close;
    CAPTURE = capture;
    ERRNO = errno;
  }

  private final int fd;
  private final MemorySegment errnoState;
  private boolean closed;

  private DirectSocket(int fd) {
    this.fd = fd;
    this.errnoState = Arena.ofAuto().allocate(CAPTURE);
  }

  /** A duplicate of {@code nettyFd} to write to, or null where that is not possible here. */
  static DirectSocket dup(int nettyFd) {
    if (FCNTL == null || nettyFd < 0) {
      return null;
    }
    try {
      int d = (int) FCNTL.invokeExact(nettyFd, F_DUPFD_CLOEXEC, 0);
      return d < 0 ? null : new DirectSocket(d);
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * Writes up to {@code length} bytes at native {@code address}; returns how many the socket took
   * (0 when its buffer is full). Caller holds the connection's write lock.
   *
   * @throws IOException if the socket is broken (the caller then leaves the bytes to the event
   *     loop, which finds out too and closes the channel)
   */
  long write(long address, long length) throws IOException {
    if (closed) {
      throw new IOException("closed");
    }
    while (true) {
      long n;
      try {
        n = (long) WRITE.invokeExact(errnoState, fd, address, length);
      } catch (Throwable t) {
        throw new IOException("write failed: " + t, t);
      }
      if (n >= 0) {
        return n;
      }
      int err = (int) ERRNO.get(errnoState, 0L);
      if (err == EINTR) {
        continue;
      }
      if (err == EAGAIN) {
        return 0;
      }
      throw new IOException("write failed with errno " + err);
    }
  }

  /** Closes the duplicate (idempotent). Caller holds the connection's write lock. */
  void close() {
    if (!closed) {
      closed = true;
      try {
        int rc = (int) CLOSE.invokeExact(fd);
        assert rc == 0 || rc == -1;
      } catch (Throwable t) {
        // nothing more to do: the descriptor is gone or was never valid
      }
    }
  }
}
