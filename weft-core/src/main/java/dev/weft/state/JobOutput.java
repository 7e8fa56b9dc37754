package dev.weft.state;

import java.util.List;

/**
 * Lines a job's tasks and actors printed, numbers {@code firstSeq} to {@code nextSeq - 1} (ask from
 * {@code nextSeq} for what comes next); {@code alive}: the job still runs.
 */
public record JobOutput(long firstSeq, long nextSeq, List<String> lines, boolean alive) {}
