package dev.weft.state;

/**
 * An actor: its id (hex), class, name (null if unnamed), {@code state} (PENDING, ALIVE, RESTARTING,
 * DEAD), the node and worker address it runs at (null while it has none), its {@code incarnation}
 * (how many times it was started, counting from 0: restarts), and why it died.
 */
public record ActorState(
    String actorId,
    String className,
    String name,
    String state,
    String nodeId,
    String address,
    int incarnation,
    String deathReason) {}
