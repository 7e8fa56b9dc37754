package dev.weft.shuffle;

/** How a {@link Shuffle} moves map outputs to reducers. */
public enum Strategy {
  /** Every map task, then every reduce task over all map outputs of its partition. */
  SIMPLE,
  /**
   * Two stages (as in Riffle): maps run in rounds; after each round, merge tasks on each node
   * combine that node's map outputs per reducer group, so reducers read fewer, larger blocks.
   */
  MERGE,
  /**
   * Push-based and pipelined (as in Magnet): map outputs are merged on their node as soon as a few
   * maps there finish, driven by {@code Weft.wait}, while later maps are still running.
   */
  PUSH
}
