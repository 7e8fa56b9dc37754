package dev.weft.state;

/** A job: its id, name, its driver's address, and {@code state} RUNNING or FINISHED. */
public record JobState(int jobId, String name, String driverAddress, String state) {}
