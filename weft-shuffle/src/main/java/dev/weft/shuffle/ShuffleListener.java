package dev.weft.shuffle;

/**
 * Hears a shuffle's progress, on the driver's thread that runs {@link Shuffle#run()}; for progress
 * bars and logs. Every method has an empty default.
 */
public interface ShuffleListener {
  /** Map task {@code index} (of {@code total}) finished. */
  default void mapDone(int index, int total) {}

  /**
   * A merge task finished: it combined {@code mapCount} maps' outputs for {@code partitions} of
   * {@code totalPartitions} partitions.
   */
  default void mergeDone(int mapCount, int partitions, int totalPartitions) {}

  /** The reduce task of {@code partition} finished; {@code done} of {@code total} are done. */
  default void reduceDone(int partition, int done, int total) {}

  /**
   * A phase started ({@code "map"}, {@code "merge"} or {@code "reduce"}). Merges overlap the map
   * phase under {@link Strategy#MERGE} and {@link Strategy#PUSH}.
   */
  default void phaseStarted(String phase) {}

  /** A phase's last task finished. */
  default void phaseEnded(String phase) {}
}
