package dev.weft.internal.node;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes what drivers, workers, other nodes and the control store send a node manager to the room
 * of {@link NodeManager} that answers it: jobs and leases to the catalog and the scheduler, store
 * requests to the store service, pulls to the pull manager, actors to actor hosting, bundles to the
 * reservations, the cluster view's deltas to the view. Runs on the node loop only, as every room.
 */
final class NodeDispatch {
  private static final Logger log = LoggerFactory.getLogger(NodeManager.class);

  private final NodeManager nm;

  NodeDispatch(NodeManager nm) {
    this.nm = nm;
  }

  void handle(Connection c, long reqId, Msg msg) {
    switch (msg) {
      case Msg.AttachJob a -> {
        c.attach(a.jobId());
        nm.jobs.attach(
            a.jobId(),
            a.driverAddress(),
            a.code(),
            p ->
                nm.workers.ensureWarm(
                    p,
                    Math.min(
                        a.prestart(),
                        (int) Math.ceil(nm.resources.total.getOrDefault("CPU", 1.0)))));
        String driver = a.driverAddress();
        nm.driverConns.add(c);
        if (driver != null) {
          nm.driverAddresses.put(c, driver);
        }
        c.closeFuture()
            .thenRun(
                () ->
                    nm.loop.execute(
                        () -> {
                          nm.driverConns.remove(c);
                          nm.driverAddresses.remove(c);
                          nm.liveness.ownerGone(driver);
                        }));
        c.reply(reqId, new Msg.JobAttached(nm.nodeId, nm.store.storePath));
      }
      case Msg.RequestLease r -> {
        if (r.jobId() == 0) {
          if (c.attachment() instanceof Worker w) {
            nm.scheduler.request(c, reqId, w.pool, r);
          } else {
            c.replyFailure(reqId, "a lease needs a job id (RequestLease with job 0)");
          }
          return;
        }
        // any node serves any job: one it does not know yet is fetched first (JobCatalog)
        nm.jobs.withJob(
            r.jobId(),
            p -> {
              if (c.isOpen()) {
                nm.scheduler.request(c, reqId, p, r);
              }
            },
            why -> c.replyFailure(reqId, why));
      }
      case Msg.JobEnded e -> {
        nm.jobs.forget(e.jobId(), "the control nm.store says it ended");
        nm.leases.grant();
      }
      case Msg.ReturnLease r -> nm.leases.returnLease(r.leaseId());
      case Msg.RegisterWorker r -> {
        Worker w = nm.workers.register(c, r);
        if (w == null) {
          c.replyFailure(reqId, "unknown worker " + r.workerId());
          c.close();
          return;
        }
        c.reply(
            reqId, new Msg.WorkerConfig(nm.controlAddress, nm.nodeId, w.id, nm.store.storePath));
        nm.workers.ready(w);
        nm.leases.grant();
      }
      case Msg.WorkerBlocked b -> nm.leases.blocked(b);
      case Msg.WorkerUnblocked b -> nm.leases.unblocked(b);
      case Msg.HostActor h when nm.bundles.removedError(h.spec().resources(), "actor") != null ->
          c.replyFailure(reqId, nm.bundles.removedError(h.spec().resources(), "actor"));
      case Msg.HostActor h ->
          nm.jobs.withJob(
              h.spec().jobId(),
              p -> nm.actors.host(c, reqId, h),
              why -> {
                if (h.spec().detached()) {
                  nm.actors.host(c, reqId, h); // outlives its job: runs on the spec's class path
                } else {
                  c.replyFailure(reqId, why);
                }
              });
      case Msg.ListOwners l -> {
        c.reply(reqId, new Msg.Owners(nm.workers.liveAddresses()));
      }
      case Msg.StoreCreate sc -> nm.store.create(c, reqId, sc);
      case Msg.StoreSeal s -> nm.store.seal(c, reqId, s);
      case Msg.StorePin p -> nm.store.pin(c, reqId, p);
      case Msg.StoreUnpin u -> nm.store.unpin(c, u);
      case Msg.StoreEndRead e -> nm.store.endRead(c, e);
      case Msg.StoreDelete d -> {
        if (!nm.pulls.deleting(new dev.weft.internal.store.ObjectDirectory.Key(d.hi(), d.lo()))) {
          nm.store.delete(d);
        }
      }
      case Msg.StorePull p -> nm.pulls.pull(c, reqId, p);
      case Msg.PullChunk p -> nm.pulls.serveChunk(c, reqId, p);
      case Msg.StoreStats s -> nm.store.stats(c, reqId);
      case Msg.StopActor s -> {
        nm.actors.stop(s);
        c.reply(reqId, new Msg.Ack());
      }
      case Msg.OwnerGone g -> nm.store.deleteObjectsOf(g.address());
      case Msg.Ping p -> c.reply(reqId, new Msg.Ack());
      case Msg.ListLogs l -> nm.logs.list(c, reqId);
      case Msg.TaskCounts t -> nm.tasks.counts(c, t);
      case Msg.TaskEvents e -> nm.tasks.events(c, e);
      case Msg.ListTasks q -> c.reply(reqId, nm.tasks.list(q));
      case Msg.GetTaskCounts g -> c.reply(reqId, nm.tasks.countsReply());
      case Msg.ReadLog r -> nm.logs.read(c, reqId, r);
      case Msg.ViewDelta d -> {
        ClusterView.Outcome outcome = nm.view.apply(d);
        if (outcome == ClusterView.Outcome.APPLIED) {
          for (Msg.NodeInfo gone : nm.view.takeDied()) {
            nm.liveness.nodeDied(gone);
          }
          nm.scheduler.viewChanged();
        } else if (outcome == ClusterView.Outcome.GAP) {
          log.warn(
              "cluster nm.view update {}..{} does not follow this node's version {}: asking the"
                  + " control nm.store for the full view",
              d.fromVersion(),
              d.version(),
              nm.view.version());
          c.send(new Msg.ResyncView(nm.nodeId, nm.view.version()));
        }
      }
      case Msg.GetClusterView g -> nm.view.whenReady(() -> c.reply(reqId, nm.view.snapshot()));
      case Msg.PrepareBundle p -> nm.bundles.prepare(c, reqId, p);
      case Msg.CommitBundle m -> nm.bundles.commit(c, reqId, m);
      case Msg.CancelBundle m -> nm.bundles.cancel(c, reqId, m);
      case Msg.PlacementGroupRemoved m -> nm.bundles.removed(m.groupId());
      default ->
          c.replyFailure(
              reqId, "the node manager does not handle " + msg.getClass().getSimpleName());
    }
  }
}
