/**
 * A shuffle as an application on Weft's distributed futures: {@link dev.weft.shuffle.Shuffle} with
 * user {@link dev.weft.shuffle.MapFunction}, {@link dev.weft.shuffle.MergeFunction} and {@link
 * dev.weft.shuffle.ReduceFunction} over buffers, and three {@link dev.weft.shuffle.Strategy
 * strategies} (simple, two-stage merge, push-based pipelined). {@code dev.weft.shuffle.sort} builds
 * {@code weft sort} on it.
 */
package dev.weft.shuffle;
