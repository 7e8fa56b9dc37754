package dev.weft;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of {@link Weft#init(WeftConfig)}. Everything has a sensible default; {@link
 * Builder#build()} validates the whole configuration at once and says which value is wrong.
 */
public final class WeftConfig {
  private final String address;
  private final int numCpus;
  private final int numGpus;
  private final long objectStoreBytes;
  private final String jobName;
  private final Map<String, Double> resources;
  private final List<String> workerJvmOptions;
  private final int prestartWorkers;
  private final int tasksPerWorker;
  private final String logDir;
  private final List<String> serializationAllowList;
  private final java.time.Duration nodeTimeout;
  private final String controlStorage;
  private final boolean logToDriver;

  private WeftConfig(Builder b) {
    this.address = b.address;
    this.numCpus = b.numCpus;
    this.numGpus = b.numGpus;
    this.objectStoreBytes = b.objectStoreBytes;
    this.jobName = b.jobName;
    this.resources = Map.copyOf(b.resources);
    this.workerJvmOptions = List.copyOf(b.workerJvmOptions);
    this.prestartWorkers = b.prestartWorkers;
    this.tasksPerWorker = b.tasksPerWorker;
    this.logDir = b.logDir;
    this.serializationAllowList = List.copyOf(b.serializationAllowList);
    this.nodeTimeout = b.nodeTimeout;
    this.controlStorage = b.controlStorage;
    this.logToDriver = b.logToDriver;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static WeftConfig defaults() {
    return builder().build();
  }

  /** Head address to connect to ({@code host:port}); null starts an embedded local cluster. */
  public String address() {
    return address;
  }

  /** CPUs the embedded node offers; defaults to the machine's available processors. */
  public int numCpus() {
    return numCpus;
  }

  /**
   * GPUs the embedded node offers; -1 (the default) counts them with {@code nvidia-smi}, and finds
   * none where it is missing.
   */
  public int numGpus() {
    return numGpus;
  }

  /** Size of the node's shared-memory object store in bytes; defaults to 30% of physical memory. */
  public long objectStoreBytes() {
    return objectStoreBytes;
  }

  public String jobName() {
    return jobName;
  }

  /** Custom resources the embedded node offers (name to amount). */
  public Map<String, Double> resources() {
    return resources;
  }

  /** Extra JVM options for this job's worker processes (e.g. {@code -Xmx2g}). */
  public List<String> workerJvmOptions() {
    return workerJvmOptions;
  }

  /**
   * Task slots kept warm for this job, in worker JVMs of {@link #tasksPerWorker()} slots each (so
   * JVMs are this divided by that, rounded up); -1 means one slot per CPU.
   */
  public int prestartWorkers() {
    return prestartWorkers;
  }

  /**
   * How many tasks one worker JVM of the embedded node runs at once; 1 (the default) gives each
   * task's lease a JVM of its own, as Ray gives each its process. Above 1, the node grants a second
   * lease (and more, up to this many) on a worker already running a task of the same job and class
   * path, as a Spark executor runs several tasks: the tasks share that JVM's heap, loaded classes
   * and compiled code, so a node with N CPUs starts N/this many JVMs and compiles hot code once per
   * JVM. The tasks of one lease still run one at a time, in order; a worker that dies fails every
   * task it was running, and each is retried as usual. Nodes that join a cluster take it from
   * {@code weft start --tasks-per-worker}.
   */
  public int tasksPerWorker() {
    return tasksPerWorker;
  }

  /** Folder for the embedded cluster's process logs; null picks a fresh one under the temp dir. */
  public String logDir() {
    return logDir;
  }

  /**
   * Classes that may be deserialized from the cluster, besides the JDK basics and Weft's own; empty
   * (the default) deserializes any class of the job's class path except the known gadget families
   * (see the README's Security part). Each entry is an exact class name, a package prefix ending in
   * {@code .}, or a prefix ending in {@code *}. Joined with {@code -Dweft.serialization.allow} and
   * passed on to this job's workers.
   */
  public List<String> serializationAllowList() {
    return serializationAllowList;
  }

  /**
   * How long the head's control store waits for a node that stopped sending heartbeats (a stopped
   * process, a machine cut off) before it declares it dead; default 10 s. Its tasks are then
   * retried elsewhere and its actors restarted. A node whose process dies is noticed at once,
   * whatever this says. Read where this configuration starts a head: {@link Weft#init(WeftConfig)}
   * without an address, {@code weft start --head --node-timeout-ms}.
   */
  public java.time.Duration nodeTimeout() {
    return nodeTimeout;
  }

  /**
   * Where the control store of a head this configuration starts keeps its tables, so that a control
   * store that dies is restarted (by the head's node manager) with the cluster's nodes, jobs,
   * actors and placement groups: {@code file:DIR} (an append-only log with snapshots in DIR),
   * {@code redis://host:port[/db]} (a Redis server) or {@code memory} (nothing kept: a restarted
   * control store starts empty). Null, the default, is a file log in the cluster's session folder,
   * made fresh at each start ({@code -Dweft.controlStorage} sets the default). Tables found in an
   * explicit {@code file:} or {@code redis:} storage are recovered: a head started again on them
   * carries on the cluster they describe.
   */
  public String controlStorage() {
    return controlStorage;
  }

  /**
   * Whether what this job's tasks and actors print (standard output and error, and console logging)
   * appears in this driver's console, each line prefixed with the worker's pid and node, and the
   * actor's class: {@code (Counter pid=4242, node=node-1a2b3c4d) text}. On by default ({@code
   * -Dweft.logToDriver=false} turns it off); the lines are in the workers' log files either way
   * ({@code weft logs}).
   */
  public boolean logToDriver() {
    return logToDriver;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.address = address;
    b.numCpus = numCpus;
    b.numGpus = numGpus;
    b.objectStoreBytes = objectStoreBytes;
    b.jobName = jobName;
    b.resources = resources;
    b.workerJvmOptions = workerJvmOptions;
    b.prestartWorkers = prestartWorkers;
    b.tasksPerWorker = tasksPerWorker;
    b.logDir = logDir;
    b.serializationAllowList = serializationAllowList;
    b.nodeTimeout = nodeTimeout;
    b.controlStorage = controlStorage;
    b.logToDriver = logToDriver;
    return b;
  }

  @Override
  public String toString() {
    return "WeftConfig{address="
        + address
        + ", numCpus="
        + numCpus
        + ", numGpus="
        + numGpus
        + ", objectStoreBytes="
        + objectStoreBytes
        + ", jobName="
        + jobName
        + ", resources="
        + resources
        + "}";
  }

  public static final class Builder {
    private String address;
    private int numCpus = Runtime.getRuntime().availableProcessors();
    private int numGpus = -1;
    private long objectStoreBytes = -1;
    private String jobName = "job";
    private Map<String, Double> resources = Map.of();
    private List<String> workerJvmOptions = List.of();
    private int prestartWorkers = -1;
    private int tasksPerWorker = 1;
    private String logDir;
    private List<String> serializationAllowList = List.of();
    private java.time.Duration nodeTimeout = java.time.Duration.ofSeconds(10);
    private String controlStorage = System.getProperty("weft.controlStorage");
    private boolean logToDriver =
        Boolean.parseBoolean(System.getProperty("weft.logToDriver", "true"));

    private Builder() {}

    public Builder address(String hostPort) {
      this.address = hostPort;
      return this;
    }

    public Builder numCpus(int numCpus) {
      this.numCpus = numCpus;
      return this;
    }

    /** GPUs to offer; -1 (the default) detects them with {@code nvidia-smi}. */
    public Builder numGpus(int numGpus) {
      this.numGpus = numGpus;
      return this;
    }

    public Builder objectStoreBytes(long bytes) {
      this.objectStoreBytes = bytes;
      return this;
    }

    public Builder jobName(String jobName) {
      this.jobName = Objects.requireNonNull(jobName, "jobName");
      return this;
    }

    public Builder resources(Map<String, Double> resources) {
      this.resources = Map.copyOf(resources);
      return this;
    }

    public Builder workerJvmOptions(List<String> options) {
      this.workerJvmOptions = List.copyOf(options);
      return this;
    }

    public Builder prestartWorkers(int count) {
      this.prestartWorkers = count;
      return this;
    }

    /** See {@link WeftConfig#tasksPerWorker()}; at least 1. */
    public Builder tasksPerWorker(int tasks) {
      this.tasksPerWorker = tasks;
      return this;
    }

    public Builder logDir(String dir) {
      this.logDir = dir;
      return this;
    }

    /** See {@link WeftConfig#serializationAllowList()}. */
    public Builder serializationAllowList(List<String> entries) {
      this.serializationAllowList = List.copyOf(entries);
      return this;
    }

    /** See {@link WeftConfig#nodeTimeout()}; at least 500 ms (nodes heartbeat every ~500 ms). */
    public Builder nodeTimeout(java.time.Duration timeout) {
      this.nodeTimeout = Objects.requireNonNull(timeout, "nodeTimeout");
      return this;
    }

    /** See {@link WeftConfig#controlStorage()}. */
    public Builder controlStorage(String storage) {
      this.controlStorage = storage;
      return this;
    }

    /** See {@link WeftConfig#logToDriver()}. */
    public Builder logToDriver(boolean on) {
      this.logToDriver = on;
      return this;
    }

    public WeftConfig build() {
      if (controlStorage != null
          && !controlStorage.equals("memory")
          && !(controlStorage.startsWith("file:") && controlStorage.length() > 5)
          && !controlStorage.startsWith("redis://")) {
        throw new IllegalArgumentException(
            "WeftConfig.controlStorage must be file:DIR, redis://host:port[/db] or memory (got '"
                + controlStorage
                + "')");
      }
      if (nodeTimeout.toMillis() < 500) {
        throw new IllegalArgumentException(
            "WeftConfig.nodeTimeout must be at least 500 ms: nodes heartbeat every ~500 ms (got "
                + nodeTimeout.toMillis()
                + " ms)");
      }
      if (numCpus < 1) {
        throw new IllegalArgumentException("WeftConfig.numCpus must be >= 1 (got " + numCpus + ")");
      }
      if (numGpus < -1) {
        throw new IllegalArgumentException(
            "WeftConfig.numGpus must be >= 0, or -1 to detect them (got " + numGpus + ")");
      }
      if (objectStoreBytes == -1) {
        objectStoreBytes = defaultStoreBytes();
      }
      if (objectStoreBytes < (1L << 20)) {
        throw new IllegalArgumentException(
            "WeftConfig.objectStoreBytes must be at least 1 MiB (got " + objectStoreBytes + ")");
      }
      if (address != null && !address.matches("[^:\\s]+:\\d{1,5}")) {
        throw new IllegalArgumentException(
            "WeftConfig.address must be host:port, e.g. 127.0.0.1:7380 (got '" + address + "')");
      }
      if (prestartWorkers < -1) {
        throw new IllegalArgumentException(
            "WeftConfig.prestartWorkers must be >= -1 (got " + prestartWorkers + ")");
      }
      if (tasksPerWorker < 1) {
        throw new IllegalArgumentException(
            "WeftConfig.tasksPerWorker must be >= 1 (got " + tasksPerWorker + ")");
      }
      for (String e : serializationAllowList) {
        if (e.isBlank() || e.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',')) {
          throw new IllegalArgumentException(
              "WeftConfig.serializationAllowList: '"
                  + e
                  + "' is not a class name, package prefix ending in '.', or prefix ending in"
                  + " '*'");
        }
      }
      resources.forEach(
          (k, v) -> {
            if (v == null || v < 0) {
              throw new IllegalArgumentException(
                  "WeftConfig.resources: amount of '" + k + "' must be >= 0");
            }
          });
      return new WeftConfig(this);
    }

    private static long defaultStoreBytes() {
      long total = 8L << 30;
      if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        total = os.getTotalMemorySize();
      }
      return Math.max(64L << 20, (long) (total * 0.3));
    }
  }
}
