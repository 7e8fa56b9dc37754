/**
 * {@code weft sort}: a sort of gensort-format records (100 bytes, 10-byte unsigned keys) on {@link
 * dev.weft.shuffle.Shuffle} ({@link dev.weft.shuffle.sort.SortRun}), with a generator ({@link
 * dev.weft.shuffle.sort.GenSort}), a checker ({@link dev.weft.shuffle.sort.SortCheck}) and the
 * side-by-side benchmark against Apache Spark ({@code bench}).
 */
package dev.weft.shuffle.sort;
