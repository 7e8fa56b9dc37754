package dev.weft.internal.core;

import dev.weft.internal.rpc.Connection;
import dev.weft.internal.rpc.MessageHandler;
import dev.weft.internal.rpc.Rpc;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * This process's connections to other processes (owners, workers, actors; a node manager's to other
 * node managers): one per address, opened once on the blocking executor and reused; a closed one is
 * dropped through its close future and opened again on next use. Messages arriving on any of them
 * go to the handler given (the core worker's dispatch, or the node manager's).
 *
 * <p>Thread safety: {@link #peer} may be called from any thread, event loops included (it never
 * blocks); {@link #connectBlocking} blocks and is for start-up code.
 */
public final class Peers {
  private final String token;
  private final MessageHandler handler;
  private final Executor blocking;
  private final Duration connectTimeout;
  private final ConcurrentHashMap<String, CompletableFuture<Connection>> peers =
      new ConcurrentHashMap<>();

  Peers(String token, MessageHandler handler, Executor blocking) {
    this(token, handler, blocking, dev.weft.internal.rpc.Rpc.handshakeTimeout());
  }

  /**
   * Connections authenticated with {@code token}, whose messages go to {@code handler}, opened on
   * {@code blocking} (never the caller's thread), each given {@code connectTimeout} to open.
   */
  public Peers(String token, MessageHandler handler, Executor blocking, Duration connectTimeout) {
    this.token = token;
    this.handler = handler;
    this.blocking = blocking;
    this.connectTimeout = connectTimeout;
  }

  /** A connection to another process at {@code addr}, opened once and reused; never blocks. */
  public CompletableFuture<Connection> peer(String addr) {
    CompletableFuture<Connection> f = peers.get(addr);
    if (f != null && (!f.isDone() || (!f.isCompletedExceptionally() && f.join().isOpen()))) {
      return f;
    }
    CompletableFuture<Connection> nf = new CompletableFuture<>();
    if (f == null ? peers.putIfAbsent(addr, nf) != null : !peers.replace(addr, f, nf)) {
      return peer(addr);
    }
    blocking.execute(
        () -> {
          try {
            Connection c = Rpc.connect(addr, token, handler, connectTimeout);
            c.closeFuture().thenRun(() -> peers.remove(addr, nf));
            nf.complete(c);
          } catch (IOException e) {
            peers.remove(addr, nf);
            nf.completeExceptionally(e);
          }
        });
    return nf;
  }

  /** A new connection of its own (not cached), for the control store and the node manager. */
  Connection connectBlocking(String addr, Duration timeout) throws IOException {
    return Rpc.connect(addr, token, handler, timeout);
  }

  /**
   * Closes the connection to {@code addr}, if any (its process is known dead: whatever waits on it
   * fails now); a later {@link #peer} opens a new one.
   */
  public void close(String addr) {
    CompletableFuture<Connection> f = peers.remove(addr);
    if (f != null) {
      f.thenAccept(Connection::close);
    }
  }

  /** Closes every peer connection (at shutdown); ones still opening close once open. */
  void closeAll() {
    for (CompletableFuture<Connection> f : peers.values()) {
      f.thenAccept(Connection::close);
    }
  }
}
