package dev.weft.internal.rpc;

import dev.weft.internal.proto.Msg;

/**
 * Receives messages of one endpoint. Called on a Netty event-loop thread: never block here; hand
 * blocking work to an executor (only a server on a {@link Rpc#dedicatedLoop} may block its loop).
 * {@code reqId} is 0 for one-way messages; otherwise answer with {@link Connection#reply} (from any
 * thread, at any later time).
 */
public interface MessageHandler {
  void onMessage(Connection connection, long reqId, Msg msg);

  default void onClose(Connection connection) {}
}
