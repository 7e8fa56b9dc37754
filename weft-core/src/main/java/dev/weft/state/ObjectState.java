package dev.weft.state;

/**
 * An object: its id, {@code state} as its owner sees it (or SPILLED), its size, its owner's
 * address, the node whose store holds it (null: held inline by its owner), and who references it.
 */
public record ObjectState(
    String objectId,
    String state,
    long sizeBytes,
    String owner,
    String nodeId,
    String references) {}
