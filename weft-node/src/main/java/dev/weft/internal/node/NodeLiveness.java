package dev.weft.internal.node;

import dev.weft.internal.core.Peers;
import dev.weft.internal.core.ProcessLauncher;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's part in failure handling (issue 11): its heartbeats to the control store, what it does
 * when the view marks another node dead, and the news it spreads when one of its own processes, an
 * owner of objects, is gone. The flow across processes is in docs/RELIABILITY.md.
 *
 * <pre>
 *  NM ──NodeHeartbeat──▶ CS   every {@link #HEARTBEAT_MILLIS}, from the node's loop
 *  view marks node D dead:
 *    NM closes its connection to D (pulls from it fail at once)
 *    NM ──NodeDied(D)──▶ its drivers and workers (they drop leases, actor calls, requests there)
 *    NM pings the owners of the objects it holds, and the holders of its leases and demands;
 *       one silent for {@link #PROBE_MILLIS}: its objects are deleted, its connection closed
 *       (which gives its leases back). A process of D may be stopped, not gone: its sockets
 *       stay open, so nothing here waits for them to close.
 *    D is this node: the control store cut it off; it exits
 *  a driver or worker of this node exits:
 *    its objects are deleted here; NM ──OwnerGone(address)──▶ CS ──▶ every other node
 * </pre>
 *
 * Every method runs on the node manager's loop, like every room of {@link NodeManager}.
 */
final class NodeLiveness {
  private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

  /**
   * How often the node tells the control store it is alive (from its loop: a wedged loop is dead).
   */
  static final long HEARTBEAT_MILLIS = 500;

  /** How long an owner or a lease holder may take to answer a Ping after a node died. */
  static final long PROBE_MILLIS = 10_000;

  private final ScheduledExecutorService loop;
  private final String nodeId;
  private final Supplier<Connection> control;
  private final Supplier<String> controlAddress;
  private final Consumer<Msg> toControl;
  private final Peers nodeConns;
  private final StoreService store;
  private final LeaseManager leases;
  private final Consumer<Msg> toLocalProcesses;
  private final BooleanSupplier stopping;

  NodeLiveness(
      ScheduledExecutorService loop,
      String nodeId,
      Supplier<Connection> control,
      Supplier<String> controlAddress,
      Consumer<Msg> toControl,
      Peers nodeConns,
      StoreService store,
      LeaseManager leases,
      Consumer<Msg> toLocalProcesses,
      BooleanSupplier stopping) {
    this.loop = loop;
    this.nodeId = nodeId;
    this.control = control;
    this.controlAddress = controlAddress;
    this.toControl = toControl;
    this.nodeConns = nodeConns;
    this.store = store;
    this.leases = leases;
    this.toLocalProcesses = toLocalProcesses;
    this.stopping = stopping;
  }

  /** Starts the heartbeats to the control store (once registered). */
  void startHeartbeats() {
    loop.scheduleWithFixedDelay(
        () -> {
          Connection ctl = control.get();
          if (ctl != null && ctl.isOpen()) {
            ctl.send(new Msg.NodeHeartbeat(nodeId));
          }
        },
        0,
        HEARTBEAT_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** The view marks node {@code gone} dead (see the class comment). */
  void nodeDied(Msg.NodeInfo gone) {
    if (gone.nodeId().equals(nodeId)) {
      ProcessLauncher.exitNow(
          "the control store at " + controlAddress.get() + " declared this node dead");
      return;
    }
    log.warn(
        "node {} at {} is dead: dropping what this node had there", gone.nodeId(), gone.address());
    nodeConns.close(gone.address());
    toLocalProcesses.accept(new Msg.NodeDied(gone.nodeId(), gone.address()));
    probeOwners(gone.nodeId());
    probeLeaseHolders(gone.nodeId());
  }

  /**
   * The process at {@code address}, of this node, is gone: its objects go here, and every other
   * node hears it through the control store (OwnerGone), to drop its copies.
   */
  void ownerGone(String address) {
    store.deleteObjectsOf(address);
    if (address != null && !stopping.getAsBoolean()) {
      toControl.accept(new Msg.OwnerGone(address)); // kept for the control store if it is away
    }
  }

  /**
   * The owners of objects held here that ran on the dead node cannot say so (nobody reports a dead
   * node's processes, and a ref names its owner by address only), so each owner of an object here
   * is pinged; one that cannot be reached, or does not answer in time, is taken for gone and its
   * objects are deleted here.
   */
  private void probeOwners(String gone) {
    for (String owner : store.owners()) {
      if (Msg.CONTROL_STORE_OWNER.equals(owner)) {
        continue; // the control store owns these: it hears of the death itself
      }
      nodeConns
          .peer(owner)
          .thenCompose(c -> c.call(new Msg.Ping()).orTimeout(PROBE_MILLIS, TimeUnit.MILLISECONDS))
          .whenComplete(
              (reply, err) -> {
                if (err != null) {
                  log.warn(
                      "owner {} of objects held here did not answer after node {} died ({}):"
                          + " deleting its objects",
                      owner,
                      gone,
                      cause(err));
                  nodeConns.close(owner);
                  loop.execute(() -> store.deleteObjectsOf(owner));
                }
              });
    }
  }

  /**
   * A lease holder that ran on the dead node may be stopped rather than gone, so its connection
   * here never closes and its leases (and waiting demands) would hold this node's workers for ever.
   * Each holder is pinged on its own connection; one that does not answer in time has the
   * connection closed, which revokes its leases and drops its demands as for any holder that
   * disconnects.
   */
  private void probeLeaseHolders(String gone) {
    for (Connection holder : leases.holders()) {
      holder
          .call(new Msg.Ping())
          .orTimeout(PROBE_MILLIS, TimeUnit.MILLISECONDS)
          .whenComplete(
              (reply, err) -> {
                if (err != null) {
                  log.warn(
                      "lease holder {} did not answer after node {} died ({}): dropping its"
                          + " leases",
                      holder.peer(),
                      gone,
                      cause(err));
                  holder.close();
                }
              });
    }
  }

  private static String cause(Throwable err) {
    return String.valueOf(err.getCause() != null ? err.getCause() : err);
  }
}
