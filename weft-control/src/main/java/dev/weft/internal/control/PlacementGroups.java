package dev.weft.internal.control;

import dev.weft.internal.control.BundlePlacement.NodeCapacity;
import dev.weft.internal.proto.BundleResources;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.proto.Msg.PlacementGroupState;
import dev.weft.internal.proto.RemovedGroups;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control store's placement groups: recorded, placed over the nodes' available resources by
 * {@link BundlePlacement}, reserved in two phases, given back on removal, on the end of their job,
 * and re-placed when a node holding bundles dies.
 *
 * <p>Implementation notes. Owned by the control store's loop thread, like every table of {@link
 * ControlStore}: no locks; replies from nodes come back to the loop. It reaches the nodes only
 * through {@link Nodes}, so the protocol is tested against hand-written fake nodes.
 *
 * <pre>
 *  CW → CS  CreatePlacementGroup → PlacementGroupInfo (at once: PENDING, or with pendingReason set
 *           when the live nodes could never hold it by their totals: also a WARN here and in the
 *           creating driver; it stays pending and is retried whenever the view changes)
 *  CS: a pass over the pending groups (on create, on every change of the view, on a retry timer):
 *      BundlePlacement.place over the live nodes' AVAILABLE → a node per bundle, or wait
 *  CS → NM  PrepareBundle(G, i, resources) for every bundle to place   (phase 1)
 *           NM takes them if it has them free now → Ack, else Failure (nothing taken)
 *  CS: every prepare answered Ack:
 *      CS → NM  CommitBundle(G, i) for each → Ack   (phase 2: the node turns the taken resources
 *               into CPU_group_G_i / CPU_group_G, see BundleResources; its totals in the view
 *               grow by them) → group CREATED; waiters (GetPlacementGroup) and actors parked on
 *               the group are answered / placed
 *  CS: a prepare refused (or its node gone):
 *      CS → NM  CancelBundle(G, i) to every node of the attempt (the prepared ones give their
 *               resources back; the others ignore it); the group stays PENDING and is retried
 *               after a backoff (100 ms doubling to 5 s) or at the next change of the view:
 *               never half-placed
 *  CW → CS  RemovePlacementGroup → Ack: PlacementGroupRemoved (one-way) to every live node, which
 *           fails the demands for the group waiting there (in its line or parked as infeasible)
 *           and refuses new ones; then CancelBundle to every node holding or preparing one of its
 *           bundles; a pending group is dropped; actors waiting here for it (parked on the pending
 *           group, or placed after) die with the reason ({@link #removedError}). A job's groups
 *           are removed when it ends.
 *  CW → CS  GetPlacementGroup(G, waitMillis) → PlacementGroupInfo (long poll until CREATED)
 *  CS: a node dies: the bundles it held are lost; the group goes back to PENDING (WARN) and only
 *      those bundles are placed again (the others keep their nodes and what runs in them)
 * </pre>
 *
 * The control store's copy of a node's available is lowered by a bundle as its prepare is sent and
 * raised as it is cancelled ({@link Nodes#reserved}), so that groups created back to back do not
 * all pick the same free CPU before the node's next report; a report overwrites the guess with the
 * truth, and a wrong guess only costs a refused prepare and a retry.
 */
final class PlacementGroups {
  private static final Logger log = LoggerFactory.getLogger(PlacementGroups.class);

  static final long FIRST_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 5_000;

  /** The nodes as placement needs them; implemented by {@link NodeTable}. */
  interface Nodes {
    /** The live nodes: their reported available and their own totals (without bundles). */
    List<NodeCapacity> alive();

    /** A request to a live node; fails when it is gone. */
    CompletableFuture<Msg> call(String nodeId, Msg msg);

    /** Adjusts the control store's copy of a node's available by {@code sign * r}. */
    void reserved(String nodeId, Map<String, Double> r, int sign);

    /** A node's bundle totals changed (a bundle committed or gone): its view record changed. */
    void bundlesChanged(String nodeId);

    /** Tells every live node that group {@code groupId} is removed (PlacementGroupRemoved). */
    void groupRemoved(String groupId);
  }

  private record Waiter(Connection conn, long reqId) {}

  private static final class Group {
    final Msg.CreatePlacementGroup spec;
    PlacementGroupState state = PlacementGroupState.PENDING;

    /** The node of each bundle: committed, or being prepared/committed in the current attempt. */
    final String[] nodeOf;

    final boolean[] committed;
    int attempt;
    boolean inFlight;
    String neverFits;
    long backoffMillis = FIRST_BACKOFF_MILLIS;
    boolean retryScheduled;
    final List<Waiter> waiters = new ArrayList<>();
    final List<Runnable> onCreated = new ArrayList<>();

    Group(Msg.CreatePlacementGroup spec) {
      this.spec = spec;
      this.nodeOf = new String[spec.bundles().size()];
      this.committed = new boolean[spec.bundles().size()];
    }

    String id() {
      return spec.groupId();
    }
  }

  private final ScheduledExecutorService loop;
  private final Nodes nodes;
  private final Map<String, Group> groups = new LinkedHashMap<>();

  /** The ids of removed groups (the latest {@link RemovedGroups#REMEMBERED}). */
  private final RemovedGroups removed = new RemovedGroups();

  /**
   * Storage of the removed ids: table {@value #REMOVED_TABLE}, oldest first in {@link
   * #removedOrder}.
   */
  static final String REMOVED_TABLE = "removed-groups";

  private final java.util.ArrayDeque<String> removedOrder = new java.util.ArrayDeque<>();
  private long removedSeq;

  private boolean passScheduled;

  private StoredTables stored;

  PlacementGroups(ScheduledExecutorService loop, Nodes nodes) {
    this.loop = loop;
    this.nodes = nodes;
  }

  /** Where group records are written (set once, at start). */
  void useStorage(StoredTables stored) {
    this.stored = stored;
  }

  private void store(Group g) {
    if (stored == null) {
      return;
    }
    List<String> nodeOf = new ArrayList<>();
    List<Long> committed = new ArrayList<>();
    for (int i = 0; i < g.nodeOf.length; i++) {
      boolean kept = g.committed[i] && g.nodeOf[i] != null;
      nodeOf.add(kept ? g.nodeOf[i] : "");
      if (kept) {
        committed.add((long) i);
      }
    }
    stored.put(
        StoredTables.GROUPS,
        g.id(),
        new Msg.StoredGroup(g.spec, g.state, List.copyOf(nodeOf), List.copyOf(committed)));
  }

  /**
   * A group as the storage kept it, with its committed bundles on their nodes; what an attempt of
   * the previous control store had only prepared is given back by the node when it registers again
   * ({@link #nodeReturned}) and placed again.
   */
  void recover(Msg.StoredGroup s) {
    Group g = new Group(s.spec());
    g.state = s.state() == PlacementGroupState.CREATED ? s.state() : PlacementGroupState.PENDING;
    for (long i : s.committed()) {
      g.nodeOf[(int) i] = s.nodeOf().get((int) i);
      g.committed[(int) i] = true;
    }
    groups.put(g.id(), g);
  }

  int size() {
    return groups.size();
  }

  /**
   * The removed ids as the storage kept them, so that what names them still fails after a restart.
   */
  void recoverRemoved(List<Msg.StoredRemovedGroup> rows) {
    List<Msg.StoredRemovedGroup> sorted = new ArrayList<>(rows);
    sorted.sort(java.util.Comparator.comparingLong(Msg.StoredRemovedGroup::seq));
    for (Msg.StoredRemovedGroup r : sorted) {
      removed.add(r.groupId());
      removedOrder.add(r.groupId());
      removedSeq = Math.max(removedSeq, r.seq());
    }
  }

  /** Group {@code id} is removed: remembered here and in storage (the latest REMEMBERED). */
  private void rememberRemoved(String id) {
    if (!removed.add(id)) {
      return;
    }
    removedOrder.add(id);
    if (stored != null) {
      stored.put(REMOVED_TABLE, id, new Msg.StoredRemovedGroup(id, ++removedSeq));
    }
    while (removedOrder.size() > RemovedGroups.REMEMBERED) {
      String oldest = removedOrder.poll();
      if (stored != null) {
        stored.delete(REMOVED_TABLE, oldest);
      }
    }
  }

  /**
   * Node {@code nodeId} registered again after a restart of the control store: every bundle of a
   * pending group that is not committed there is cancelled on it (a prepare of the previous control
   * store may hold its resources), before the group is tried again.
   */
  void nodeReturned(String nodeId) {
    for (Group g : groups.values()) {
      if (g.state != PlacementGroupState.PENDING) {
        continue;
      }
      for (int i = 0; i < g.nodeOf.length; i++) {
        if (!(g.committed[i] && nodeId.equals(g.nodeOf[i]))) {
          nodes.call(nodeId, new Msg.CancelBundle(g.id(), i));
        }
      }
    }
    viewChanged();
  }

  // ------------------------------------------------------------------ requests

  void create(Connection c, long reqId, Msg.CreatePlacementGroup m) {
    Group g = groups.get(m.groupId());
    if (g == null) {
      g = new Group(m);
      groups.put(m.groupId(), g);
      store(g);
      log.info(
          "placement group {} of job {}: {} bundles {}",
          m.groupId(),
          m.jobId(),
          m.strategy(),
          m.bundles());
      attempt(g);
    }
    c.reply(reqId, info(g));
  }

  void get(Connection c, long reqId, Msg.GetPlacementGroup m) {
    Group g = groups.get(m.groupId());
    if (g == null) {
      c.replyFailure(reqId, "no placement group " + m.groupId() + " in this cluster");
    } else if (g.state != PlacementGroupState.PENDING || m.waitMillis() <= 0) {
      c.reply(reqId, info(g));
    } else {
      Waiter w = new Waiter(c, reqId);
      g.waiters.add(w);
      loop.schedule(
          () -> {
            if (g.waiters.remove(w)) {
              c.reply(reqId, info(g));
            }
          },
          m.waitMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  void remove(Connection c, long reqId, Msg.RemovePlacementGroup m) {
    Group g = groups.get(m.groupId());
    if (g != null) {
      remove(g, "removed by its driver");
    }
    c.reply(reqId, new Msg.Ack());
  }

  Msg.PlacementGroupList list() {
    List<Msg.PlacementGroupInfo> out = new ArrayList<>();
    for (Group g : groups.values()) {
      out.add(info(g));
    }
    return new Msg.PlacementGroupList(out);
  }

  // ------------------------------------------------------------------ events of the cluster

  /** The view changed (a node joined, reported, died): pending groups may fit now. */
  void viewChanged() {
    if (!passScheduled && groups.values().stream().anyMatch(PlacementGroups::waiting)) {
      passScheduled = true;
      loop.execute(
          () -> {
            passScheduled = false;
            for (Group g : new ArrayList<>(groups.values())) {
              if (waiting(g)) {
                attempt(g);
              }
            }
          });
    }
  }

  /** Node {@code nodeId} is gone: the bundles it held are lost and placed again. */
  void nodeDied(String nodeId) {
    for (Group g : groups.values()) {
      List<Integer> lost = new ArrayList<>();
      for (int i = 0; i < g.nodeOf.length; i++) {
        if (nodeId.equals(g.nodeOf[i])) {
          lost.add(i);
          g.nodeOf[i] = null;
          g.committed[i] = false;
        }
      }
      if (!lost.isEmpty() && g.state == PlacementGroupState.CREATED) {
        g.state = PlacementGroupState.PENDING;
        log.warn(
            "placement group {} ({}) lost bundles {} with node {}: it is pending again, and those"
                + " bundles are placed again where resources allow (tasks and actors that ran in"
                + " them were on that node)",
            g.id(),
            g.spec.strategy(),
            lost,
            nodeId);
      }
      if (!lost.isEmpty()) {
        store(g);
      }
    }
    viewChanged();
  }

  /** Job {@code jobId} ended: its groups are removed (a group lives no longer than its job). */
  void jobEnded(int jobId) {
    for (Group g : new ArrayList<>(groups.values())) {
      if (g.spec.jobId() == jobId) {
        remove(g, "its job " + jobId + " ended");
      }
    }
  }

  /** The bundle resources (see {@link BundleResources}) committed on a node, for its totals. */
  Map<String, Double> bundleTotals(String nodeId) {
    Map<String, Double> out = new HashMap<>();
    for (Group g : groups.values()) {
      for (int i = 0; i < g.nodeOf.length; i++) {
        if (g.committed[i] && nodeId.equals(g.nodeOf[i])) {
          BundleResources.of(g.id(), i, g.spec.bundles().get(i))
              .forEach((k, v) -> out.merge(k, v, Double::sum));
        }
      }
    }
    return out;
  }

  /**
   * A demand (an actor's) that names bundle resources of a group that is still pending: {@code
   * retry} runs once it is created (true), else false (no such pending group).
   */
  boolean parkIfPending(Map<String, Double> demand, Runnable retry) {
    for (String name : demand.keySet()) {
      String id = BundleResources.groupOf(name);
      Group g = id == null ? null : groups.get(id);
      if (g != null && g.state == PlacementGroupState.PENDING) {
        g.onCreated.add(retry);
        return true;
      }
    }
    return false;
  }

  /**
   * The error of a {@code what} ("actor") whose demand names bundle resources of a removed group;
   * null when it names none.
   */
  String removedError(Map<String, Double> demand, String what) {
    return removed.removedError(demand, what);
  }

  // ------------------------------------------------------------------ the two phases

  private static boolean waiting(Group g) {
    return g.state == PlacementGroupState.PENDING && !g.inFlight;
  }

  /** One try at placing {@code g}'s unplaced bundles: prepare all, then commit all. */
  private void attempt(Group g) {
    List<NodeCapacity> alive = nodes.alive();
    String never = BundlePlacement.neverFits(g.spec.bundles(), g.spec.strategy(), alive);
    if (never != null) {
      if (!never.equals(g.neverFits)) {
        log.warn(
            "placement group {} of job {} ({} {}) cannot be placed: {}. It stays pending until"
                + " nodes that can hold it join",
            g.id(),
            g.spec.jobId(),
            g.spec.strategy(),
            g.spec.bundles(),
            never);
      }
      g.neverFits = never;
      return;
    }
    g.neverFits = null;
    Map<Integer, String> fixed = new HashMap<>();
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < g.nodeOf.length; i++) {
      if (g.committed[i]) {
        fixed.put(i, g.nodeOf[i]);
      } else {
        todo.add(i);
      }
    }
    List<String> plan = BundlePlacement.place(g.spec.bundles(), g.spec.strategy(), alive, fixed);
    if (plan == null) {
      return; // not now: the next change of the view tries again
    }
    g.inFlight = true;
    int attempt = ++g.attempt;
    int[] answered = {0};
    List<String> refusals = new ArrayList<>();
    for (int i : todo) {
      g.nodeOf[i] = plan.get(i);
      nodes.reserved(plan.get(i), g.spec.bundles().get(i), -1);
    }
    for (int i : todo) {
      String node = plan.get(i);
      nodes
          .call(node, new Msg.PrepareBundle(g.id(), i, g.spec.bundles().get(i)))
          .whenComplete(
              (reply, err) ->
                  loop.execute(
                      () -> {
                        if (g.attempt != attempt) {
                          return; // removed or given up meanwhile: it cancelled what it sent
                        }
                        if (!(reply instanceof Msg.Ack)) {
                          refusals.add(node + ": " + why(reply, err));
                        }
                        if (++answered[0] == todo.size()) {
                          if (refusals.isEmpty()) {
                            commit(g, attempt, todo);
                          } else {
                            abort(g, todo, "prepare refused by " + refusals);
                          }
                        }
                      }));
    }
  }

  private void commit(Group g, int attempt, List<Integer> todo) {
    int[] answered = {0};
    List<String> failures = new ArrayList<>();
    for (int i : todo) {
      String node = g.nodeOf[i];
      nodes
          .call(node, new Msg.CommitBundle(g.id(), i))
          .whenComplete(
              (reply, err) ->
                  loop.execute(
                      () -> {
                        if (g.attempt != attempt) {
                          return;
                        }
                        if (!(reply instanceof Msg.Ack)) {
                          failures.add(node + ": " + why(reply, err));
                        }
                        if (++answered[0] == todo.size()) {
                          if (failures.isEmpty()) {
                            created(g, todo);
                          } else {
                            abort(g, todo, "commit failed on " + failures);
                          }
                        }
                      }));
    }
  }

  private void created(Group g, List<Integer> todo) {
    g.inFlight = false;
    g.backoffMillis = FIRST_BACKOFF_MILLIS;
    for (int i : todo) {
      g.committed[i] = true;
    }
    g.state = PlacementGroupState.CREATED;
    store(g);
    log.info("placement group {} created on {}", g.id(), Arrays.asList(g.nodeOf));
    for (String n : new java.util.LinkedHashSet<>(Arrays.asList(g.nodeOf))) {
      nodes.bundlesChanged(n);
    }
    Msg.PlacementGroupInfo info = info(g);
    for (Waiter w : g.waiters) {
      w.conn.reply(w.reqId, info);
    }
    g.waiters.clear();
    List<Runnable> parked = new ArrayList<>(g.onCreated);
    g.onCreated.clear();
    parked.forEach(Runnable::run);
  }

  /** The attempt failed: what it prepared is given back, and the group is tried again later. */
  private void abort(Group g, List<Integer> todo, String why) {
    log.info("placement group {}: attempt {} given up ({}); retrying", g.id(), g.attempt, why);
    g.attempt++;
    g.inFlight = false;
    for (int i : todo) {
      cancel(g, i);
    }
    if (!g.retryScheduled) {
      g.retryScheduled = true;
      long delay = g.backoffMillis;
      g.backoffMillis = Math.min(MAX_BACKOFF_MILLIS, g.backoffMillis * 2);
      loop.schedule(
          () -> {
            g.retryScheduled = false;
            if (waiting(g)) {
              attempt(g);
            }
          },
          delay,
          TimeUnit.MILLISECONDS);
    }
  }

  /** Bundle {@code i}'s node gives it back (prepared or committed); it has no node after. */
  private void cancel(Group g, int i) {
    String node = g.nodeOf[i];
    if (node == null) {
      return;
    }
    boolean wasCommitted = g.committed[i];
    g.nodeOf[i] = null;
    g.committed[i] = false;
    nodes.reserved(node, g.spec.bundles().get(i), +1);
    nodes
        .call(node, new Msg.CancelBundle(g.id(), i))
        .whenComplete(
            (reply, err) -> {
              if (!(reply instanceof Msg.Ack) && err == null) {
                log.warn(
                    "node {} did not cancel bundle {} of placement group {}: {}",
                    node,
                    i,
                    g.id(),
                    why(reply, null));
              }
            });
    if (wasCommitted) {
      nodes.bundlesChanged(node);
    }
  }

  private void remove(Group g, String why) {
    if (g.state == PlacementGroupState.REMOVED) {
      return;
    }
    log.info("placement group {} removed: {}", g.id(), why);
    g.state = PlacementGroupState.REMOVED;
    g.attempt++;
    g.inFlight = false;
    rememberRemoved(g.id());
    nodes.groupRemoved(g.id()); // before the cancels: what waits for the bundles fails, not runs
    for (int i = 0; i < g.nodeOf.length; i++) {
      cancel(g, i);
    }
    groups.remove(g.id());
    if (stored != null) {
      stored.delete(StoredTables.GROUPS, g.id());
    }
    Msg.PlacementGroupInfo info = info(g);
    for (Waiter w : g.waiters) {
      w.conn.reply(w.reqId, info);
    }
    g.waiters.clear();
    List<Runnable> parked = new ArrayList<>(g.onCreated);
    g.onCreated.clear();
    parked.forEach(Runnable::run); // they find the group removed, and die (removedError)
    viewChanged();
  }

  private static String why(Msg reply, Throwable err) {
    if (reply instanceof Msg.Failure f) {
      return f.text();
    }
    return err != null ? String.valueOf(err.getMessage()) : String.valueOf(reply);
  }

  private static Msg.PlacementGroupInfo info(Group g) {
    List<String> where =
        g.state == PlacementGroupState.CREATED ? List.copyOf(Arrays.asList(g.nodeOf)) : List.of();
    return new Msg.PlacementGroupInfo(
        g.id(),
        g.spec.jobId(),
        g.spec.strategy(),
        g.spec.bundles(),
        g.state,
        where,
        g.state == PlacementGroupState.PENDING ? g.neverFits : null);
  }
}
