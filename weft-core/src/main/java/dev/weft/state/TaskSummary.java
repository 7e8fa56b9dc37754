package dev.weft.state;

/**
 * A function's tasks (or an actor method's calls, named {@code Class.method}) since each node
 * started: submitted, running now, finished and failed.
 */
public record TaskSummary(
    String function, long submitted, long running, long finished, long failed) {}
