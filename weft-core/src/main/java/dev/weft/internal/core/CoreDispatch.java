package dev.weft.internal.core;

import dev.weft.ObjectId;
import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes what other processes send a driver or worker to the service of {@link CoreWorker} that
 * answers it: tasks and actor starts to the executor, object reads to the fetcher, borrower
 * messages to the ref lifecycle, code requests to the job's code, a dead node to everything that
 * asked it for something. Runs on the connection's event loop; anything that may block goes to the
 * worker's blocking pool.
 */
final class CoreDispatch {
  private static final Logger log = LoggerFactory.getLogger(CoreWorker.class);

  private final CoreWorker cw;

  CoreDispatch(CoreWorker cw) {
    this.cw = cw;
  }

  void onMessage(Connection c, long reqId, Msg msg) {
    switch (msg) {
      case Msg.PushTask p -> {
        TaskExecutor ex = cw.executor;
        if (ex != null) {
          ex.onPushTask(c, reqId, p);
          return;
        }
        {
          c.reply(
              reqId,
              new Msg.TaskReply(
                  p.spec().taskHi(),
                  p.spec().taskLo(),
                  Msg.TaskStatus.SYSTEM_ERROR,
                  List.of(),
                  "process " + cw.address + " is a driver and runs no tasks",
                  null,
                  List.of()));
        }
      }
      case Msg.GetObject g -> cw.fetcher.serveObject(c, reqId, g);
      case Msg.AddObjectLocation a ->
          cw.table.addLocation(new ObjectId(a.hi(), a.lo()), a.location());
      case Msg.CollectGarbage g -> {
        if (g.writeWaits()) {
          cw.store.collectForHeldWrite(); // a write of this process waits for room
        } else {
          cw.store.collectForStoreAsync(true); // the store is short: notice dropped refs now
        }
      }
      case Msg.ListObjects l ->
          c.reply(
              reqId, new Msg.ObjectList(cw.address, cw.table.size(), cw.table.describe(l.max())));
      case Msg.AddBorrower a -> cw.refs.onAddBorrower(c, reqId, a);
      case Msg.RemoveBorrower r -> cw.refs.onRemoveBorrower(c, reqId, r);
      case Msg.ReleasePins p -> {
        TaskExecutor ex = cw.executor;
        if (ex != null) {
          ex.releasePins(p.taskHi(), p.taskLo());
        }
      }
      case Msg.StartActor s -> {
        TaskExecutor ex = cw.executor;
        if (ex == null) {
          c.replyFailure(reqId, "process " + cw.address + " cannot host actors");
        } else {
          ex.startActor(c, reqId, s);
        }
      }
      case Msg.RevokeLease r -> {
        TaskExecutor ex = cw.executor;
        if (ex == null) {
          c.reply(reqId, new Msg.Ack());
        } else {
          ex.afterQueuedTasks(() -> c.reply(reqId, new Msg.Ack()));
        }
      }
      case Msg.StopActor s -> {
        TaskExecutor ex = cw.executor;
        if (ex != null) {
          ex.stopActor(s);
        }
        c.reply(reqId, new Msg.Ack());
      }
      case Msg.FetchCode f -> {
        JobCode jc = cw.code;
        if (jc == null) {
          c.replyFailure(
              reqId, "process " + cw.address + " is not a driver: it serves no job code");
        } else {
          jc.serve(c, reqId, f, cw.address, cw.blocking);
        }
      }
      case Msg.NodeDied d -> {
        log.warn(
            "node {} at {} is dead: what this process ran or asked for there is retried or fails",
            d.nodeId(),
            d.address());
        cw.peers.close(d.address()); // lease requests waiting there fail and are asked again here
        cw.submitter.nodeDied(d.nodeId());
        cw.actors.nodeDied(d.nodeId());
        cw.fetcher.probeOwners(d.nodeId());
        int lost = cw.table.dropLocationsOn(d.nodeId());
        if (lost > 0) {
          log.warn(
              "{} object(s) this process owns had their only copy on node {}", lost, d.nodeId());
        }
      }
      case Msg.Ping p -> c.reply(reqId, new Msg.Ack());
      case Msg.WorkerLogs w -> cw.driverOutput.print(w);
      case Msg.DemandInfeasible d ->
          log.warn(
              "{} asks for {}, which no node of the cluster can meet now: {}",
              d.what(),
              d.resources(),
              d.message());
      case Msg.Shutdown s -> {
        log.info("shutdown requested: {}", s.reason());
        c.reply(reqId, new Msg.Ack());
        cw.blocking.execute(() -> System.exit(0));
      }
      default ->
          c.replyFailure(
              reqId,
              "unexpected message "
                  + msg.getClass().getSimpleName()
                  + " at core worker "
                  + cw.address);
    }
  }
}
