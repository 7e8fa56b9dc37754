package dev.weft.testing;

import dev.weft.WeftConfig;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one node of a {@link LocalCluster} offers: CPUs, GPUs, custom resources, its object store's
 * size and its port. Immutable; {@link Builder#build()} checks every value and says which is wrong.
 *
 * <pre>{@code
 * NodeOptions accelNode =
 *     NodeOptions.builder().cpus(2).resource("accel", 1).objectStoreBytes(64 << 20).build();
 * }</pre>
 *
 * <p>The defaults suit several nodes on one test machine: 1 CPU, no GPU (none is detected, so a
 * test behaves the same on a machine with GPUs), no custom resource, a 128 MiB object store, any
 * free port.
 */
public final class NodeOptions {
  /** The object store size of a node whose options do not set one: 128 MiB. */
  public static final long DEFAULT_OBJECT_STORE_BYTES = 128L << 20;

  private final int cpus;
  private final int gpus;
  private final Map<String, Double> resources;
  private final long objectStoreBytes;
  private final int port;
  private final java.time.Duration nodeTimeout;
  private final String controlStorage;

  private NodeOptions(Builder b) {
    this.cpus = b.cpus;
    this.gpus = b.gpus;
    this.resources = Collections.unmodifiableMap(new LinkedHashMap<>(b.resources));
    this.objectStoreBytes = b.objectStoreBytes;
    this.port = b.port;
    this.nodeTimeout = b.nodeTimeout;
    this.controlStorage = b.controlStorage;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** 1 CPU, no GPU, no custom resource, a 128 MiB store, any port. */
  public static NodeOptions defaults() {
    return builder().build();
  }

  /** CPUs the node offers to tasks and actors ({@code CPU}). */
  public int cpus() {
    return cpus;
  }

  /** GPUs the node offers ({@code GPU}); nothing checks that the machine has them. */
  public int gpus() {
    return gpus;
  }

  /** Custom resources the node offers, name to amount, in the order they were given. */
  public Map<String, Double> resources() {
    return resources;
  }

  /** The size of the node's shared-memory object store, in bytes. */
  public long objectStoreBytes() {
    return objectStoreBytes;
  }

  /** The node manager's port; 0 (the default) takes any free one. */
  public int port() {
    return port;
  }

  /**
   * Read from the head's options only ({@link LocalCluster#start(NodeOptions)}): how long the
   * control store waits for a node that stopped sending heartbeats before it declares it dead
   * (default 10 s; see {@link WeftConfig#nodeTimeout()}).
   */
  public java.time.Duration nodeTimeout() {
    return nodeTimeout;
  }

  /**
   * Read from the head's options only: where its control store keeps its tables (see {@link
   * WeftConfig#controlStorage()}); null, the default, a fresh file log in the head's folder.
   */
  public String controlStorage() {
    return controlStorage;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.cpus = cpus;
    b.gpus = gpus;
    b.resources.putAll(resources);
    b.objectStoreBytes = objectStoreBytes;
    b.port = port;
    b.nodeTimeout = nodeTimeout;
    b.controlStorage = controlStorage;
    return b;
  }

  /** The node's configuration for the launcher, with its logs and spill files in {@code dir}. */
  WeftConfig toConfig(Path dir) {
    return WeftConfig.builder()
        .numCpus(cpus)
        .numGpus(gpus)
        .resources(resources)
        .objectStoreBytes(objectStoreBytes)
        .logDir(dir.toString())
        .nodeTimeout(nodeTimeout)
        .controlStorage(controlStorage)
        .build();
  }

  @Override
  public String toString() {
    return "NodeOptions{cpus="
        + cpus
        + ", gpus="
        + gpus
        + ", resources="
        + resources
        + ", objectStoreBytes="
        + objectStoreBytes
        + ", port="
        + port
        + ", nodeTimeout="
        + nodeTimeout
        + (controlStorage != null ? ", controlStorage=" + controlStorage : "")
        + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeOptions n
        && cpus == n.cpus
        && gpus == n.gpus
        && resources.equals(n.resources)
        && objectStoreBytes == n.objectStoreBytes
        && port == n.port
        && nodeTimeout.equals(n.nodeTimeout)
        && Objects.equals(controlStorage, n.controlStorage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cpus, gpus, resources, objectStoreBytes, port, nodeTimeout, controlStorage);
  }

  /** Builds {@link NodeOptions}; every setter may be called again to replace its value. */
  public static final class Builder {
    private int cpus = 1;
    private int gpus = 0;
    private final Map<String, Double> resources = new LinkedHashMap<>();
    private long objectStoreBytes = DEFAULT_OBJECT_STORE_BYTES;
    private int port = 0;
    private java.time.Duration nodeTimeout = java.time.Duration.ofSeconds(10);
    private String controlStorage;

    /** See {@link NodeOptions#controlStorage()}. */
    public Builder controlStorage(String storage) {
      this.controlStorage = storage;
      return this;
    }

    private Builder() {}

    /** CPUs the node offers (at least 1; default 1). */
    public Builder cpus(int cpus) {
      this.cpus = cpus;
      return this;
    }

    /** GPUs the node offers (default 0). */
    public Builder gpus(int gpus) {
      this.gpus = gpus;
      return this;
    }

    /**
     * A custom resource the node offers, e.g. {@code resource("accel", 1)}; tasks and actors ask
     * for it with {@code .resource("accel", 1)}. {@code CPU} and {@code GPU} are given with {@link
     * #cpus} and {@link #gpus}.
     */
    public Builder resource(String name, double amount) {
      Objects.requireNonNull(name, "resource name");
      resources.put(name, amount);
      return this;
    }

    /** Several custom resources at once (added to those given before). */
    public Builder resources(Map<String, Double> more) {
      more.forEach(this::resource);
      return this;
    }

    /** The node's object store size in bytes (at least 1 MiB; default 128 MiB). */
    public Builder objectStoreBytes(long bytes) {
      this.objectStoreBytes = bytes;
      return this;
    }

    /** The node manager's port (0, the default, takes any free one). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** See {@link NodeOptions#nodeTimeout()}: at least 500 ms; default 10 s. */
    public Builder nodeTimeout(java.time.Duration timeout) {
      this.nodeTimeout = Objects.requireNonNull(timeout, "nodeTimeout");
      return this;
    }

    /** Checks every value; an {@link IllegalArgumentException} names the wrong one. */
    public NodeOptions build() {
      if (cpus < 1) {
        throw new IllegalArgumentException("NodeOptions.cpus must be >= 1 (got " + cpus + ")");
      }
      if (gpus < 0) {
        throw new IllegalArgumentException("NodeOptions.gpus must be >= 0 (got " + gpus + ")");
      }
      if (objectStoreBytes < (1L << 20)) {
        throw new IllegalArgumentException(
            "NodeOptions.objectStoreBytes must be at least 1 MiB (got " + objectStoreBytes + ")");
      }
      if (nodeTimeout.toMillis() < 500) {
        throw new IllegalArgumentException(
            "NodeOptions.nodeTimeout must be at least 500 ms (got "
                + nodeTimeout.toMillis()
                + " ms)");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("NodeOptions.port must be 0..65535 (got " + port + ")");
      }
      for (Map.Entry<String, Double> e : resources.entrySet()) {
        String name = e.getKey();
        if (name.isEmpty()
            || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',' || c == '=')) {
          throw new IllegalArgumentException(
              "NodeOptions.resource: '"
                  + name
                  + "' is not a resource name (no blanks, ',' or '=')");
        }
        if (name.equals("CPU") || name.equals("GPU")) {
          throw new IllegalArgumentException(
              "NodeOptions.resource: give "
                  + name
                  + " with "
                  + (name.equals("CPU") ? "cpus(n)" : "gpus(n)")
                  + " instead");
        }
        double v = e.getValue();
        if (!(v >= 0) || Double.isInfinite(v)) {
          throw new IllegalArgumentException(
              "NodeOptions.resource: the amount of '" + name + "' must be >= 0 (got " + v + ")");
        }
      }
      return new NodeOptions(this);
    }
  }
}
