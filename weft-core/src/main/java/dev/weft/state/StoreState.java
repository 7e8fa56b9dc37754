package dev.weft.state;

/**
 * A node's object store: its size and the bytes in use, its objects, those pinned by readers now,
 * and what is spilled to disk (bytes, objects).
 */
public record StoreState(
    String nodeId,
    long capacityBytes,
    long usedBytes,
    int objects,
    int pinned,
    long spilledBytes,
    int spilledObjects) {}
