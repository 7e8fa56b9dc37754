package dev.weft.internal.proto;

import java.util.List;
import java.util.Map;

/**
 * Every message exchanged between Weft processes. One sealed interface, records only, so the schema
 * is in one place and {@link Codec} can register every type with a stable id.
 *
 * <p>Processes: CW = core worker (driver or worker), NM = node manager, CS = control store. Message
 * flow (request → reply unless marked one-way):
 *
 * <pre>
 *  NM → CS  RegisterNode → Ack                      CW → CS  RegisterJob → JobInfo
 *  CW → NM  AttachJob → Ack                         CW → NM  RequestLease → LeaseGranted
 *  CW → NM  ReturnLease (one-way)                   worker → NM  RegisterWorker → Ack
 *  worker → NM  WorkerBlocked / WorkerUnblocked (one-way)
 *  CW → CW  PushTask → TaskReply   (owner pushes straight to the leased worker's task port)
 *  CW → CW  GetObject → ObjectReply (borrower asks the owner; long poll until ready)
 *  CW → CS  CreateActor → ActorInfo;  CS → NM HostActor → ActorInfo;  NM → worker StartActor → Ack
 *  CW → CS  GetActorInfo / GetNamedActor → ActorInfo;  KillActor → Ack;  CS → NM → worker StopActor
 *  NM → CS  ActorProcessDied (one-way);  CW → CS ClusterStatus → StatusReply
 *  NM → CS  ReportResources (one-way, coalesced: at most every ~100 ms, only on change)
 *  CS → NM  ViewDelta (one-way: the cluster view's changes, versioned, ~every 100 ms on change;
 *           the full view right after RegisterNode);  NM → CS ResyncView (one-way, on a gap)
 *  CW → NM  GetClusterView → ClusterView   (Weft.nodes(): the node's copy of the view)
 *  NM → CS  GetJob → JobDefinition (a demand of a job the node does not know; see JobCatalog)
 *  CS → NM  JobEnded (one-way, to every live node, when the job's driver disconnects)
 *  CW → NM  RequestLease → LeaseGranted | LeaseSpillback (ask that node, see LeaseRequester)
 *           | Failure;  NM → CW DemandInfeasible (one-way: it waits for a node that can)
 *  NM → CS  ReportInfeasible (one-way, on change);  CS → CW DemandInfeasible (actors)
 *  NM → CS  NodeHeartbeat (one-way, every {@code HEARTBEAT_MILLIS}; a node silent for the
 *           control store's node timeout is declared dead and its connection closed)
 *  NM → CW  NodeDied (one-way, to its drivers and workers, when the view marks a node dead)
 * </pre>
 *
 * <p>Statuses, states and kinds are enums, one per meaning (the codec sends their ordinals, so
 * constants are only ever added at the end, with a protocol version bump); errors travel as records
 * ({@link ObjectError}, {@link RemoteThrowable}), never as text joined with separators.
 */
public sealed interface Msg {

  // ---- enums of the wire ----

  /** How a {@link GetObject} ended. */
  enum ObjectStatus {
    /** The object is ready: {@code value} holds it. */
    READY,
    /** The object's creation failed: {@code error} says how. */
    FAILED,
    /** The owner does not know the object (freed after its last reference was dropped). */
    UNKNOWN,
    /** The object was not ready within the request's timeout. */
    TIMED_OUT,
    /** The object is in the owner's node store: read it from your node's store. */
    IN_STORE
  }

  /** How a task (or actor call) ended. */
  enum TaskStatus {
    OK,
    /** The user's code threw: {@code thrown} is its exception; retryable if the task says so. */
    USER_ERROR,
    /**
     * The task could not run there (its function or arguments could not be set up, or the process
     * runs no tasks): {@code thrown} or {@code reason} says why.
     */
    SYSTEM_ERROR,
    /** The actor is not hosted there (killed, or its worker restarted): {@code reason} says why. */
    ACTOR_DEAD,
    /** An argument or a result could not be (de)serialized: {@code thrown} says why. */
    SERIALIZATION_ERROR
  }

  /** An actor's lifecycle state in the control store. */
  enum ActorState {
    PENDING,
    ALIVE,
    RESTARTING,
    DEAD
  }

  /** Why an object failed; each kind becomes its own exception at {@code get}. */
  enum ErrorKind {
    TASK_FAILED,
    WORKER_CRASHED,
    ACTOR_DIED,
    OWNER_DIED,
    SERIALIZATION,
    OBJECT_LOST
  }

  // ---- generic ----
  record Ack() implements Msg {}

  /** Reply to a request that failed on the remote side; {@code text} says what and what to do. */
  record Failure(String text) implements Msg {}

  // ---- shared pieces ----
  /** How to call a user function; see FunctionDescriptor in weft-core. */
  record FunctionDesc(
      String className, String methodName, String descriptor, int kind, byte[] captured)
      implements Msg {}

  /**
   * An exception thrown in another process: {@code serialized} is its JDK serialization (null when
   * it could not be serialized); its class name, message and printed stack trace always travel as
   * text, so a process that cannot rebuild it still shows what happened.
   */
  record RemoteThrowable(String className, String message, String stackTrace, byte[] serialized)
      implements Msg {}

  /** The error a failed object ended with, as its owner keeps it; {@code cause} may be null. */
  record ObjectError(ErrorKind kind, String message, RemoteThrowable cause) implements Msg {}

  /** A task argument: an inline serialized value, or a ref the executor reads from its owner. */
  record Arg(byte[] value, long refHi, long refLo, String refOwner) implements Msg {}

  record TaskSpec(
      long taskHi,
      long taskLo,
      String name,
      String ownerAddress,
      FunctionDesc fn,
      List<Arg> args,
      long returnHi,
      long firstReturnLo,
      int numReturns,
      int attempt,
      long actorHi,
      long actorLo,
      long callerId,
      long seq)
      implements Msg {}

  /**
   * Result of a task. {@code returns} holds one serialized value per return (a single one when
   * numReturns is 0) when the status is OK; otherwise {@code thrown} holds the exception behind the
   * failure, or {@code reason} says why the task did not run (see {@link TaskStatus}).
   */
  record TaskReply(
      long taskHi,
      long taskLo,
      TaskStatus status,
      List<byte[]> returns,
      String reason,
      RemoteThrowable thrown,
      List<Arg> nested,
      ObjectLocation storedAt)
      implements Msg {
    /** {@code storedAt}: the executor's node, whose store holds the returns not sent inline. */
    public TaskReply(
        long taskHi,
        long taskLo,
        TaskStatus status,
        List<byte[]> returns,
        String reason,
        RemoteThrowable thrown,
        List<Arg> nested) {
      this(taskHi, taskLo, status, returns, reason, thrown, nested, null);
    }
  }

  /**
   * Borrower protocol: a process that holds a ref it does not own registers with the owner, and
   * deregisters when it drops its last instance. Per object, a borrower's Add and Remove are sent
   * one after the other (each waits for the previous Ack).
   */
  record AddBorrower(long hi, long lo, String borrower) implements Msg {}

  record RemoveBorrower(long hi, long lo, String borrower) implements Msg {}

  /**
   * The owner of a task's results registered for the refs nested in them: the executor may drop its
   * pins.
   */
  record ReleasePins(long taskHi, long taskLo) implements Msg {}

  /**
   * A task (or actor call) for a worker. {@code jobId}: the job the task belongs to (what it
   * creates belongs to that job too); {@code leaseId}: the lease it runs under (0 for actor calls),
   * named when the task tells its node it blocks.
   */
  record PushTask(TaskSpec spec, int jobId, long leaseId) implements Msg {}

  record GetObject(long hi, long lo, long timeoutMillis) implements Msg {}

  /**
   * {@code value} when READY, {@code error} when FAILED, neither otherwise; {@code locations} when
   * IN_STORE: the nodes holding a copy (the owner rotates them so that pullers spread out).
   */
  record ObjectReply(
      ObjectStatus status, byte[] value, ObjectError error, List<ObjectLocation> locations)
      implements Msg {
    public ObjectReply(ObjectStatus status, byte[] value, ObjectError error) {
      this(status, value, error, null);
    }
  }

  // ---- node manager ----
  /**
   * {@code metricsUrl}: where the node serves its Prometheus metrics (null: it serves none); {@code
   * dashboardUrl}: the head's node serves the dashboard there (null elsewhere).
   */
  record RegisterNode(
      String nodeId,
      String address,
      Map<String, Double> resources,
      long pid,
      String metricsUrl,
      String dashboardUrl)
      implements Msg {}

  /** {@code code}: the job's class path and JVM options, as in its {@link RegisterJob}. */
  record AttachJob(int jobId, JobCode code, long driverPid, int prestart, String driverAddress)
      implements Msg {}

  /**
   * A worker lease for {@code resources}. {@code scheduling}: where it may run (see {@link
   * Scheduling}); {@code spilled}: another node sent the requester here (LeaseSpillback), so this
   * node grants or queues it rather than passing it on, unless it could never fit it.
   */
  record RequestLease(
      int jobId,
      Map<String, Double> resources,
      String shape,
      Scheduling scheduling,
      boolean spilled)
      implements Msg {
    /** A DEFAULT request, first asked at this node. */
    public RequestLease(int jobId, Map<String, Double> resources, String shape) {
      this(jobId, resources, shape, Scheduling.DEFAULT, false);
    }
  }

  /**
   * A worker leased to the requester. Tasks go to {@code taskAddress}, the worker's task port,
   * whose connections are served by the thread that runs the tasks; everything else to {@code
   * workerAddress}.
   */
  record LeaseGranted(long leaseId, long workerId, String workerAddress, String taskAddress)
      implements Msg {}

  record ReturnLease(long leaseId) implements Msg {}

  record RegisterWorker(long workerId, String address, long pid, String taskAddress)
      implements Msg {}

  /** Reply to RegisterWorker: where the control store is. */
  record WorkerConfig(String controlAddress, String nodeId, long workerId, String storePath)
      implements Msg {}

  /** Reply to AttachJob: the node's object store file, for the driver to map. */
  record JobAttached(String nodeId, String storePath) implements Msg {}

  // ---- object store (CW -> NM of its own node) ----
  /**
   * Reserve {@code sizeBytes} for a new object; reply StoreBlock, or Failure when the store is
   * full.
   */
  record StoreCreate(long hi, long lo, long sizeBytes, String owner) implements Msg {}

  record StoreSeal(long hi, long lo) implements Msg {}

  /** Pin a sealed object for reading; reply StoreBlock, or Failure when it is not in this store. */
  record StorePin(long hi, long lo) implements Msg {}

  record StoreBlock(long offset, long sizeBytes) implements Msg {}

  record StoreUnpin(long hi, long lo) implements Msg {}

  /** The owner freed the object: release its memory once nobody pins it. */
  record StoreDelete(long hi, long lo) implements Msg {}

  record StoreStats() implements Msg {}

  /**
   * NM to every process of its node, when the store runs short: collect garbage now, so that refs
   * dropped but not yet noticed (a JVM notices at its next GC) free their objects before any is
   * spilled or refused. Also NM to one process whose create it holds back for room ({@code
   * writeWaits}): that process's own dropped refs may be what fills the store, and its collection
   * is what lets the write go on, so it collects at once rather than at the pace of hints.
   */
  record CollectGarbage(boolean writeWaits) implements Msg {}

  record StoreStatsReply(
      long capacityBytes,
      long usedBytes,
      int objects,
      int pinned,
      long spilledBytes,
      int spilledObjects,
      int spillFiles,
      List<Long> spillTotals,
      List<String> objectLines)
      implements Msg {}

  /** The task running under {@code leaseId} waits in {@code get}: its CPU is free meanwhile. */
  record WorkerBlocked(long workerId, long leaseId) implements Msg {}

  record WorkerUnblocked(long workerId, long leaseId) implements Msg {}

  // ---- control store ----
  /**
   * {@code code}: what a node needs to start the job's workers; the control store keeps it while
   * the job lives and gives it to any node that asks ({@link GetJob}).
   */
  record RegisterJob(String jobName, String driverAddress, long driverPid, JobCode code)
      implements Msg {}

  /**
   * A node as the control store knows it: {@code resources} is what it offers in all, {@code
   * available} what it last reported free (see ReportResources), {@code pid} its node manager's
   * process id on its machine.
   */
  record NodeInfo(
      String nodeId,
      String address,
      Map<String, Double> resources,
      boolean alive,
      long pid,
      Map<String, Double> available,
      String metricsUrl)
      implements Msg {}

  /**
   * NM to CS, one-way: what this node has free now; sent when it changed, at most every ~100 ms.
   */
  record ReportResources(String nodeId, Map<String, Double> available) implements Msg {}

  record JobInfo(int jobId, List<NodeInfo> nodes) implements Msg {}

  record ActorSpec(
      long actorHi,
      long actorLo,
      int jobId,
      String name,
      String className,
      FunctionDesc ctor,
      List<Arg> args,
      Map<String, Double> resources,
      int maxRestarts,
      int maxTaskRetries,
      int maxConcurrency,
      boolean detached,
      boolean dedicatedProcess,
      String classpath,
      List<String> jvmOptions,
      String ownerAddress,
      Scheduling scheduling,
      String creatorNodeId)
      implements Msg {
    /** A DEFAULT actor, created from no particular node. */
    public ActorSpec(
        long actorHi,
        long actorLo,
        int jobId,
        String name,
        String className,
        FunctionDesc ctor,
        List<Arg> args,
        Map<String, Double> resources,
        int maxRestarts,
        int maxTaskRetries,
        int maxConcurrency,
        boolean detached,
        boolean dedicatedProcess,
        String classpath,
        List<String> jvmOptions,
        String ownerAddress) {
      this(
          actorHi,
          actorLo,
          jobId,
          name,
          className,
          ctor,
          args,
          resources,
          maxRestarts,
          maxTaskRetries,
          maxConcurrency,
          detached,
          dedicatedProcess,
          classpath,
          jvmOptions,
          ownerAddress,
          Scheduling.DEFAULT,
          null);
    }
  }

  /**
   * {@code ActorSpec.ownerAddress}: the process that created the actor; it counts the handles to it
   * (as the owner of the object {@code (actorHi, actorLo)}) and kills a non-detached actor once
   * none is left anywhere.
   */
  record CreateActor(ActorSpec spec) implements Msg {}

  record HostActor(ActorSpec spec, int incarnation) implements Msg {}

  record StartActor(ActorSpec spec, int incarnation) implements Msg {}

  record StopActor(long actorHi, long actorLo, String reason) implements Msg {}

  /**
   * An actor's state. {@code address} is the worker process hosting it; {@code callAddress}, where
   * not null, is the actor's own port on that worker, whose loop thread runs the actor's calls with
   * no thread hand-off (callers send calls there; null: send them to {@code address}).
   */
  record ActorInfo(
      long actorHi,
      long actorLo,
      String name,
      String className,
      ActorState state,
      String address,
      int incarnation,
      String deathReason,
      int maxConcurrency,
      int maxTaskRetries,
      String ownerAddress,
      String nodeId,
      String callAddress)
      implements Msg {}

  /**
   * With {@code waitUntilSettled}, waits until the actor is dead or alive at an address other than
   * {@code staleAddress}.
   */
  record GetActorInfo(
      long actorHi, long actorLo, boolean waitUntilSettled, long timeoutMillis, String staleAddress)
      implements Msg {}

  record GetNamedActor(String name) implements Msg {}

  record KillActor(long actorHi, long actorLo) implements Msg {}

  /**
   * NM to CS: the process hosting incarnation {@code incarnation} of an actor exited (-1: not known
   * which; taken as the current one). A report about an older incarnation is ignored: it may come
   * late, kept by a node while the control store restarted.
   */
  record ActorProcessDied(long actorHi, long actorLo, String reason, int incarnation)
      implements Msg {
    public ActorProcessDied(long actorHi, long actorLo, String reason) {
      this(actorHi, actorLo, reason, -1);
    }
  }

  record ClusterStatus() implements Msg {}

  /** {@code infeasible}: demands that wait because no node in the cluster could ever meet them. */
  record StatusReply(
      List<NodeInfo> nodes,
      List<String> jobs,
      List<ActorInfo> actors,
      List<PendingDemand> infeasible,
      long controlStorePid,
      String controlStoreMetricsUrl,
      String dashboardUrl)
      implements Msg {
    public StatusReply(List<NodeInfo> nodes, List<String> jobs, List<ActorInfo> actors) {
      this(nodes, jobs, actors, List.of(), 0, null, null);
    }
  }

  record Shutdown(String reason) implements Msg {}

  // ---- `weft memory` ----
  /**
   * To the control store (running drivers) or a node manager (its live workers): who may own
   * objects.
   */
  record ListOwners() implements Msg {}

  record Owners(List<String> addresses) implements Msg {}

  /** To an owner: one line per object it owns (see OwnershipTable.describe). */
  record ListObjects(int max) implements Msg {}

  record ObjectList(String owner, int total, List<String> lines) implements Msg {}

  /**
   * NM to a leased worker whose lease holder disconnected: reply Ack once the tasks it runs are
   * done (tasks queued by the gone holder are dropped); the node then puts it back to idle.
   */
  record RevokeLease(long leaseId) implements Msg {}

  // ---- the cluster resource view (see ControlStore's notes and ClusterView in weft-node) ----

  /**
   * CS to NM, one-way: every node whose total, available or alive changed after {@code
   * fromVersion}, as the control store knows it at {@code version}. {@code fromVersion} 0 is the
   * full view (every node the control store knows, dead ones included): the receiver replaces its
   * view with it. A receiver at a version below {@code fromVersion} has missed changes and asks for
   * the full view ({@link ResyncView}); one at {@code version} or above ignores the delta.
   */
  record ViewDelta(long fromVersion, long version, List<NodeInfo> changed) implements Msg {}

  /** NM to CS, one-way: node {@code nodeId}'s view has a gap after {@code haveVersion}. */
  record ResyncView(String nodeId, long haveVersion) implements Msg {}

  /** CW to its NM: the node's copy of the cluster view; reply {@link ClusterView}. */
  record GetClusterView() implements Msg {}

  /** Every node of the cluster as the answering node's view holds it at {@code version}. */
  record ClusterView(long version, List<NodeInfo> nodes) implements Msg {}

  // ---- issue 9 item 5: job code ----

  /**
   * One entry of a job's class path: a jar, or a class folder (which travels packed as a jar).
   * {@code path} is where it lies on the driver's machine; {@code sha256} (lower-case hex) names
   * its content (the jar's bytes, or the folder's deterministic packing), empty when not computed;
   * {@code sizeBytes} is the content's size.
   */
  record CodeEntry(String path, String sha256, long sizeBytes) implements Msg {}

  /** What a node needs to start a job's workers: its class path, in order, and JVM options. */
  record JobCode(List<CodeEntry> classpath, List<String> jvmOptions) implements Msg {}

  /**
   * NM to CS: the definition of job {@code jobId}, for a node that got a demand of a job it does
   * not know; reply {@link JobDefinition}, or Failure when the job is unknown or ended.
   */
  record GetJob(int jobId) implements Msg {}

  record JobDefinition(int jobId, String driverAddress, JobCode code) implements Msg {}

  /** CS to every NM, one-way: job {@code jobId} ended (its driver disconnected). */
  record JobEnded(int jobId) implements Msg {}

  /**
   * NM to a job's driver: up to {@code maxBytes} of class path entry {@code sha256} from {@code
   * offset}; reply {@link CodeChunk}, or Failure when the driver cannot serve it.
   */
  record FetchCode(int jobId, String sha256, long offset, int maxBytes) implements Msg {}

  /** {@code data}: the entry's bytes from {@code offset}; {@code totalBytes}: its whole size. */
  record CodeChunk(String sha256, long offset, long totalBytes, byte[] data) implements Msg {}

  // ---- issue 9 item 4: object transfer ----
  // (flow in weft-node PullManager's notes)

  /** A node holding a copy of an object: its id and its node manager's address. */
  record ObjectLocation(String nodeId, String address) implements Msg {}

  /**
   * CW to its NM: pin the object, pulling it first from one of {@code sources} if this node lacks
   * it; reply StoreBlock, or Failure; or StoreSpilled when the reader said a spilled copy will do
   * (it copies the bytes out) and the object is on this node's disk only. {@code priority}: {@link
   * #PULL_FOR_ARGUMENT} before {@link #PULL_FOR_GET}. {@code owner}: the owner's address (kept with
   * the copy).
   */
  record StorePull(
      long hi,
      long lo,
      String owner,
      List<ObjectLocation> sources,
      int priority,
      boolean spilledCopyWillDo)
      implements Msg {}

  /**
   * NM to a CW of its node whose StorePull said {@code spilledCopyWillDo}: the object is spilled,
   * and its block (header and payload) is at {@code offset} of the spill file {@code path}, which
   * the reader reads itself (no restore into the store). Held for the reader until StoreEndRead or
   * its connection closes. {@code kind} and {@code payloadLength} are the header's; {@code readId}
   * names this read in StoreEndRead (a process may read two copies of one object at once).
   */
  record StoreSpilled(
      String path, long offset, long sizeBytes, int kind, long payloadLength, long readId)
      implements Msg {}

  /** CW to its NM: done reading the spilled copy that StoreSpilled {@code readId} gave it. */
  record StoreEndRead(long hi, long lo, long readId) implements Msg {}

  /** A pull for a task's argument: served before pulls for gets. */
  int PULL_FOR_ARGUMENT = 0;

  /** A pull for a get (or a view). */
  int PULL_FOR_GET = 1;

  /** CW to an object's owner, one-way: {@code location} now holds a copy (after a pull). */
  record AddObjectLocation(long hi, long lo, ObjectLocation location) implements Msg {}

  /**
   * NM to NM: bytes {@code [offset, offset + length)} of an object the asker pinned there (with
   * StorePin); the reply is a raw chunk frame (Connection.callRaw), or a Failure.
   */
  record PullChunk(long hi, long lo, long offset, int length) implements Msg {}

  // ---- issue 9 item 3: placement groups (see PlacementGroups in weft-control and
  // BundleReservations in weft-node for the flow) ----

  /** A placement group's state in the control store. */
  enum PlacementGroupState {
    /** Not (or no longer) reserved on every bundle's node; placed when resources allow. */
    PENDING,
    /** Every bundle is reserved (prepared and committed) on its node. */
    CREATED,
    /** Removed (by the user, or its job ended): its bundles' resources went back. */
    REMOVED
  }

  /**
   * CW to CS: record and place a group; reply {@link PlacementGroupInfo} at once (still PENDING
   * unless placed already; {@code pendingReason} set when no set of nodes could ever hold it).
   */
  record CreatePlacementGroup(
      String groupId,
      int jobId,
      List<Map<String, Double>> bundles,
      dev.weft.PlacementStrategy strategy,
      String creatorAddress)
      implements Msg {}

  /**
   * A group as the control store knows it: {@code bundleNodes} has the node of each bundle while it
   * is CREATED, else is empty; {@code pendingReason} says why a pending group cannot be placed.
   */
  record PlacementGroupInfo(
      String groupId,
      int jobId,
      dev.weft.PlacementStrategy strategy,
      List<Map<String, Double>> bundles,
      PlacementGroupState state,
      List<String> bundleNodes,
      String pendingReason)
      implements Msg {}

  /**
   * CW to CS: the group's info; with {@code waitMillis} &gt; 0 the reply waits until it is CREATED
   * or REMOVED, or that time passed.
   */
  record GetPlacementGroup(String groupId, long waitMillis) implements Msg {}

  /** CW to CS: remove the group (its reserved or pending bundles are given back); reply Ack. */
  record RemovePlacementGroup(String groupId) implements Msg {}

  /** To CS ({@code weft status}): every group not removed; reply {@link PlacementGroupList}. */
  record ListPlacementGroups() implements Msg {}

  record PlacementGroupList(List<PlacementGroupInfo> groups) implements Msg {}

  /**
   * CS to NM, phase one: take {@code resources} for bundle {@code index} of the group if they are
   * free now; reply Ack, or Failure when they are not (nothing taken).
   */
  record PrepareBundle(String groupId, int index, Map<String, Double> resources) implements Msg {}

  /**
   * CS to NM, phase two: the prepared bundle becomes the node's bundle resources ({@code
   * <name>_group_<groupId>_<index>} and {@code <name>_group_<groupId>}); reply Ack, or Failure when
   * the node holds no such prepared bundle.
   */
  record CommitBundle(String groupId, int index) implements Msg {}

  /**
   * CS to NM: give a prepared or committed bundle's resources back (nothing when the node holds no
   * such bundle); reply Ack.
   */
  record CancelBundle(String groupId, int index) implements Msg {}

  // ---- issue 9 item 3: cluster scheduling (see SchedulingPolicy in weft-core) ----

  /** The kind of a {@link Scheduling}; constants only ever added at the end. */
  enum SchedulingKind {
    DEFAULT,
    SPREAD,
    NODE_AFFINITY,
    PLACEMENT_GROUP
  }

  /**
   * Where a task or actor may run: the wire form of the API's SchedulingStrategy. {@code nodeId}
   * and {@code soft} are set for NODE_AFFINITY only. PLACEMENT_GROUP is scheduled as DEFAULT on the
   * bundle's renamed resources, which exist only on the nodes that reserved them.
   */
  record Scheduling(SchedulingKind kind, String nodeId, boolean soft) implements Msg {
    public static final Scheduling DEFAULT = new Scheduling(SchedulingKind.DEFAULT, null, false);
  }

  /**
   * NM to the requester of a lease (the reply to RequestLease): ask node {@code nodeId} at {@code
   * address} instead, with {@code RequestLease.spilled} set to {@code spilled} (false only for a
   * redirect that lets the target choose again).
   */
  record LeaseSpillback(String nodeId, String address, boolean spilled) implements Msg {}

  /**
   * NM (for a lease) or CS (for an actor) to the requester, one-way: the demand can be met by no
   * node of the cluster now; it waits for one that can. {@code message} says what was asked and
   * what the nodes offer.
   */
  record DemandInfeasible(String what, Map<String, Double> resources, String message)
      implements Msg {}

  /**
   * A demand that waits because no node could ever meet it: {@code kind} "task" or "actor", {@code
   * name} its shape or actor class, {@code nodeId} the node (or "control" for actors) where it
   * waits, {@code count} how many of that shape wait there.
   */
  record PendingDemand(
      String kind, String name, Map<String, Double> resources, String nodeId, int count)
      implements Msg {}

  /** NM to CS, one-way: every infeasible demand waiting at node {@code nodeId} now. */
  record ReportInfeasible(String nodeId, List<PendingDemand> demands) implements Msg {}

  // ---- issue 9 item 3: demands waiting for a removed placement group fail ----

  /**
   * CS to every live NM, one-way, before the CancelBundles of a removal: group {@code groupId} is
   * removed; the demands for its bundles that wait at the node fail, and new ones are refused.
   */
  record PlacementGroupRemoved(String groupId) implements Msg {}

  // ---- issue 11: failure detection ----

  /**
   * NM to CS, one-way, from the node manager's loop every {@code NodeManager.HEARTBEAT_MILLIS}: the
   * node is alive and its loop runs. A node the control store hears nothing from for its node
   * timeout is declared dead (as if its connection had closed) and its connection closed, so a node
   * that comes back (SIGCONT, a healed network) finds itself cut off and exits.
   */
  record NodeHeartbeat(String nodeId) implements Msg {}

  /**
   * NM to its drivers and workers, one-way: the cluster view marks node {@code nodeId} (its node
   * manager at {@code address}) dead. They drop what ran or waited there: leases on its workers,
   * calls to actors hosted there, requests to its node manager, so that it is retried elsewhere or
   * fails, instead of waiting for a process that may never answer.
   */
  record NodeDied(String nodeId, String address) implements Msg {}

  /**
   * CW to CW: are you there? Reply {@link Ack}, answered on the receiving connection's event loop
   * (never behind a task). Sent to the owners a process waits on after a node died: an owner that
   * does not answer in time was on it (stopped, not gone), and its objects are lost with it.
   */
  record Ping() implements Msg {}

  /**
   * One-way, NM to CS and CS to every other live NM: the process at {@code address} (a driver or a
   * worker) is gone, and with it every object it owned: each node deletes its copies of them
   * (copies pulled from the owner's node are owned by the same address).
   */
  record OwnerGone(String address) implements Msg {}

  /**
   * CW (a driver) to a control store it reached again after losing its connection (the control
   * store restarted): job {@code jobId} goes on, on this connection. Reply {@link JobInfo}, or
   * Failure when the control store knows the job as ended (it did not come back in time).
   */
  record ResumeJob(int jobId, RegisterJob registration) implements Msg {}

  // ------------------------------------------------------------------ control store storage
  // Records the control store writes to its storage (ControlStorage), one per table row. Stored
  // with Codec, as messages: add fields only at the end of a record's life (a new record type
  // instead), since storage written by an older version must still decode.

  /** The control store's counters (table "meta"). */
  record StoredCounter(long value) implements Msg {}

  /** A job (table "jobs", key its id). */
  record StoredJob(int jobId, RegisterJob registration, boolean alive) implements Msg {}

  /** A node (table "nodes", key its id): alive, or declared dead (it may never register again). */
  record StoredNode(RegisterNode registration, boolean alive) implements Msg {}

  /** An actor (table "actors", key its id). */
  record StoredActor(
      ActorSpec spec,
      ActorState state,
      String address,
      String nodeId,
      int incarnation,
      int restartsLeft,
      String deathReason)
      implements Msg {}

  /**
   * A placement group (table "groups", key its id): {@code nodeOf} the node of each bundle ("" for
   * none), {@code committed} the indices of the bundles committed on their node.
   */
  record StoredGroup(
      CreatePlacementGroup spec,
      PlacementGroupState state,
      List<String> nodeOf,
      List<Long> committed)
      implements Msg {}

  // ------------------------------------------------------------------ objects the control store
  // owns
  // Issue 11 item 9: an object put with Weft.putDetached is owned by the control store, not by the
  // process that made it, so that it outlives that process. Its refs name CONTROL_STORE_OWNER as
  // their owner; what an owner is asked (GetObject, AddObjectLocation, borrowers) goes to the
  // control store on the process's control link.

  /** The owner a ref names when the control store owns its object (never a process address). */
  String CONTROL_STORE_OWNER = "control-store";

  /**
   * CW to CS: a new object the control store owns from now on. {@code value}: its serialized bytes
   * when small (the control store keeps them), else null and {@code location} holds its primary
   * copy (sealed, kept under the owner {@link #CONTROL_STORE_OWNER}). The putter, process {@code
   * borrower} on node {@code borrowerNode}, is its first borrower. Reply Ack. Idempotent.
   */
  record PutDetached(
      long hi,
      long lo,
      byte[] value,
      ObjectLocation location,
      String borrower,
      String borrowerNode,
      int jobId)
      implements Msg {}

  /**
   * CW to CS: process {@code borrower}, on node {@code nodeId}, holds a ref to an object the
   * control store owns ({@code add}), or dropped its last one. Reply Ack, or Failure when the
   * object is freed already. Idempotent.
   */
  record DetachedBorrower(long hi, long lo, String borrower, String nodeId, boolean add)
      implements Msg {}

  /**
   * An object the control store owns (table "objects", key its id): {@code borrowers[i]} runs on
   * node {@code borrowerNodes[i]}; {@code lostWith} names the node whose death took its last copy
   * (null while it has one).
   */
  record StoredObject(
      long hi,
      long lo,
      byte[] value,
      List<ObjectLocation> locations,
      List<String> borrowers,
      List<String> borrowerNodes,
      int jobId,
      String lostWith)
      implements Msg {}

  // ------------------------------------------------------------------ the cluster's key-value
  // table
  // Weft.kv(): small values under string keys, kept by the control store (and its storage).

  /**
   * CW to CS: sets {@code key} to {@code value}; when {@code overwrite} is false, only if the key
   * is absent. Reply KvReply({@code found}: whether it was written), or Failure for bad input.
   */
  record KvPut(String key, byte[] value, boolean overwrite) implements Msg {}

  /** CW to CS: the value of {@code key}. Reply KvReply(found, value). */
  record KvGet(String key) implements Msg {}

  /** CW to CS: removes {@code key}. Reply KvReply({@code found}: whether it was there). */
  record KvDelete(String key) implements Msg {}

  /** CW to CS: the keys that start with {@code prefix}, sorted. Reply KvReply(keys). */
  record KvKeys(String prefix) implements Msg {}

  record KvReply(boolean found, byte[] value, List<String> keys) implements Msg {}

  /** A key and its value (table "kv", key the key itself). */
  record StoredKv(String key, byte[] value) implements Msg {}

  /**
   * A removed placement group's id (table "removed-groups", key the id), {@code seq} its place in
   * the order of removals: the latest {@link RemovedGroups#REMEMBERED} are kept.
   */
  record StoredRemovedGroup(String groupId, long seq) implements Msg {}

  /**
   * NM to CS, one-way, after it registered again with a restarted control store: the processes
   * alive on node {@code nodeId} (drivers and workers), and the objects it holds under the owner
   * {@link #CONTROL_STORE_OWNER} (ids as {@code heldHi[i]}, {@code heldLo[i]}), so that the control
   * store drops borrowers whose death it did not hear of and learns or deletes copies.
   */
  record NodeInventory(String nodeId, List<String> processes, List<Long> heldHi, List<Long> heldLo)
      implements Msg {}

  // ------------------------------------------------------------------ output and logs
  // Issue 12 item 1: what tasks and actors print reaches their driver; log files are read remotely.
  //
  //  worker → CS  WorkerLogs (one-way, batched every ~100 ms); CS keeps the job's recent lines and
  //               forwards the batch to the job's driver (one-way) unless it said JobLogsToDriver
  // off
  //  CLI → CS  GetJobLogs → JobLogLines;  CLI → NM  ListLogs → LogFiles, ReadLog → LogChunk

  /**
   * One line a task or an actor printed: {@code source} names the actor's class (null for a task);
   * {@code stderr} whether it went to standard error.
   */
  record LogLine(String source, boolean stderr, String text) implements Msg {}

  /**
   * Lines that job {@code jobId}'s tasks and actors printed in worker {@code pid} of node {@code
   * nodeId}, in order; {@code dropped}: lines this worker printed for the job since the last batch
   * and did not send (more than it may send at once; they are in its log file).
   */
  record WorkerLogs(int jobId, String nodeId, long pid, List<LogLine> lines, long dropped)
      implements Msg {}

  /** Driver to CS, one-way: whether the output of job {@code jobId}'s workers is sent to it. */
  record JobLogsToDriver(int jobId, boolean on) implements Msg {}

  /**
   * To CS: the lines job {@code jobId}'s workers printed, from number {@code fromSeq} on (the
   * control store keeps the latest of each job). Reply JobLogLines, or Failure for a job it does
   * not know.
   */
  record GetJobLogs(int jobId, long fromSeq) implements Msg {}

  /**
   * {@code lines} are numbers {@code firstSeq} to {@code nextSeq - 1}, each prefixed with where it
   * ran; {@code firstSeq} above the asked one: older lines are gone; {@code alive}: the job runs.
   */
  record JobLogLines(long firstSeq, long nextSeq, List<String> lines, boolean alive)
      implements Msg {}

  /** To NM: its log files. Reply LogFiles. */
  record ListLogs() implements Msg {}

  /**
   * A log file of a node: {@code name} in its session folder; for a worker's, its {@code workerId}
   * (else 0), {@code pid}, {@code workerAddress}, whether it is {@code alive}, and the {@code
   * actors} it hosted (their ids in hex).
   */
  record LogFile(
      String name,
      long size,
      long workerId,
      long pid,
      String workerAddress,
      boolean alive,
      List<String> actors)
      implements Msg {}

  record LogFiles(String nodeId, List<LogFile> files) implements Msg {}

  /**
   * To NM: up to {@code maxBytes} of log file {@code file} (a name from LogFiles), from byte {@code
   * offset} on; a negative offset counts from the end. Reply LogChunk, or Failure naming the files
   * there are.
   */
  record ReadLog(String file, long offset, int maxBytes) implements Msg {}

  /** {@code data} starts at byte {@code offset} of {@code file}, which is {@code size} long now. */
  record LogChunk(String file, long offset, byte[] data, long size) implements Msg {}

  // ------------------------------------------------------------------ metrics (issue 12 item 2)

  /**
   * Totals of one function in one process since it started: tasks (or actor calls, named {@code
   * Class.method}) it submitted, runs now, finished and failed.
   */
  record FunctionCounts(String function, long submitted, long running, long finished, long failed)
      implements Msg {}

  /**
   * Driver or worker to NM, one-way, about once a second while they change: the process's totals by
   * function. The node sums its processes' latest totals (keeping those of exited ones).
   */
  record TaskCounts(List<FunctionCounts> functions) implements Msg {}

  // ------------------------------------------------------------------ task events (issue 12 items
  // 3 and 4): what ran where and when, for weft list tasks and weft timeline
  //
  //  worker → NM  TaskEvents (one-way, every second while it runs tasks): the tasks it finished
  //               since, and those it runs now; the node keeps the latest finished (bounded)
  //  CLI → NM  ListTasks → TaskList;  CLI → NM  GetTaskCounts → TaskCounts

  /**
   * One task or actor call, as the worker that ran it saw it: {@code state} RUNNING, FINISHED or
   * FAILED; {@code startMicros} since the epoch, {@code durationMicros} (0 while it runs); {@code
   * actor} the actor's id in hex (null for a task); {@code error} a failure's first line.
   */
  record TaskEvent(
      long taskHi,
      long taskLo,
      String function,
      int jobId,
      String state,
      long startMicros,
      long durationMicros,
      long workerPid,
      String actor,
      String error,
      int attempt)
      implements Msg {}

  /** Worker to NM, one-way: tasks it finished since its last batch, and those it runs now. */
  record TaskEvents(List<TaskEvent> finished, List<TaskEvent> running, long dropped)
      implements Msg {}

  /**
   * To NM: the latest tasks of job {@code jobId} (0: every job) that ran or run on the node, at
   * most {@code limit}, newest first. Reply TaskList.
   */
  record ListTasks(int jobId, int limit) implements Msg {}

  /** {@code dropped}: events the node or its workers dropped (beyond their bounds). */
  record TaskList(String nodeId, List<TaskEvent> tasks, long dropped) implements Msg {}

  /** To NM: the sums of its processes' task counts by function. Reply TaskCounts. */
  record GetTaskCounts() implements Msg {}
}
