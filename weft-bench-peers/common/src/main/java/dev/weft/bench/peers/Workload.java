package dev.weft.bench.peers;

/**
 * A workload set up on one system (actors created, data made) and ready to be timed: {@link #run}
 * is one operation, checked, returning how many logical operations it performed; {@link #close}
 * undoes the setup.
 */
public interface Workload extends AutoCloseable {
  long run() throws Exception;

  @Override
  default void close() throws Exception {}
}
