package dev.weft.shuffle;

import java.util.List;

/**
 * What a {@link Shuffle} returns.
 *
 * @param results each partition's reduce result, in partition order
 * @param mapSeconds from the start to the last map task's end
 * @param mergeSeconds from the first merge task's submission to the last one's end (0 for {@link
 *     Strategy#SIMPLE}); overlaps the map phase under {@link Strategy#PUSH}
 * @param reduceSeconds from the first reduce task's submission to the last one's end
 * @param totalSeconds the whole shuffle
 * @param mergeTasks how many merge tasks ran
 */
public record ShuffleResult<O>(
    List<O> results,
    double mapSeconds,
    double mergeSeconds,
    double reduceSeconds,
    double totalSeconds,
    int mergeTasks) {
  public ShuffleResult {
    results = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(results));
  }
}
