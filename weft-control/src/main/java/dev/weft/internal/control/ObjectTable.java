package dev.weft.internal.control;

import dev.weft.internal.proto.Msg;
import dev.weft.internal.rpc.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objects the control store owns (issue 11, item 9): those put with {@code Weft.putDetached},
 * which outlive the process that made them. The control store does for them what an owner does for
 * its objects: it answers where they are (GetObject), hears of new copies (AddObjectLocation),
 * counts their borrowers, and frees every copy when the last borrower is gone. Rows are stored like
 * every other table's, so a restarted control store keeps serving them.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 *  CW: value in its node's store under owner CONTROL_STORE_OWNER (or kept as bytes when small)
 *  CW → CS  PutDetached(id, value | primary location, CW as first borrower) → Ack (row stored)
 *  CW → CS  GetObject(id) → ObjectReply READY(value) | IN_STORE(locations) | FAILED(lost) |
 *           UNKNOWN (freed)
 *  CW → CS  AddObjectLocation(id, node) (after pulling a copy; one-way, a hint)
 *  CW → CS  DetachedBorrower(id, CW, its node, add | remove) → Ack; the last remove frees it:
 *           CS ──StoreDelete(id)──▶ every node holding a copy, row deleted
 *  borrowers that die without a remove: NM → CS OwnerGone(CW) drops CW as a borrower of all;
 *           node D declared dead: every borrower on D dropped, copies on D forgotten (an object
 *           left with no copy and no bytes is lost: a put cannot be made again)
 * </pre>
 *
 * A borrower is dropped on evidence of its death only (OwnerGone, its node's death), never because
 * its connection closed: the control store's own restart closes every connection. An add that
 * arrives after its process was reported gone (the two travel on different connections) is refused,
 * so that a dead process cannot hold an object for ever.
 *
 * <p>Every method runs on the control store's loop.
 */
final class ObjectTable {
  private static final Logger log = LoggerFactory.getLogger(ObjectTable.class);

  static final String TABLE = "objects";

  /** How long a process reported gone is remembered, to refuse its late adds. */
  private static final long GONE_KEPT_NANOS = 10L * 60 * 1_000_000_000;

  private static final class Obj {
    final long hi;
    final long lo;
    final byte[] value;
    final int jobId;
    final List<Msg.ObjectLocation> locations = new ArrayList<>();
    final Map<String, String> borrowers = new LinkedHashMap<>(); // address → node id

    /** When each borrower registered here (System.nanoTime); absent: recovered from storage. */
    final Map<String, Long> addedAt = new HashMap<>();

    String lostWith;
    int nextSource; // rotates the order of locations given to readers

    Obj(long hi, long lo, byte[] value, int jobId) {
      this.hi = hi;
      this.lo = lo;
      this.value = value;
      this.jobId = jobId;
    }

    String key() {
      return new dev.weft.ObjectId(hi, lo).toString();
    }
  }

  private record Id(long hi, long lo) {}

  /**
   * How long an object whose last borrowers were dropped because they died (OwnerGone, their node's
   * death) is kept before it is freed: a process that put it may have just handed its ref on (a
   * task's result) and died before the receiver's registration arrived. A release is not waited
   * for: it comes after the receivers registered.
   */
  volatile long deathGraceMillis = Long.getLong("weft.control.detachedGraceMillis", 30_000);

  /** The most bytes of small detached values the control store keeps in its memory and storage. */
  static final long MAX_VALUE_BYTES = Long.getLong("weft.control.detachedValueBytes", 256L << 20);

  private final java.util.concurrent.ScheduledExecutorService loop;
  private final NodeTable nodes;
  private final Map<Id, Obj> objects = new HashMap<>();
  private long valueBytes;
  private final Map<String, Set<Id>> byBorrower = new HashMap<>();
  private final Map<String, Long> gone = new HashMap<>();
  private StoredTables stored;

  ObjectTable(java.util.concurrent.ScheduledExecutorService loop, NodeTable nodes) {
    this.loop = loop;
    this.nodes = nodes;
  }

  void useStorage(StoredTables stored) {
    this.stored = stored;
  }

  int size() {
    return objects.size();
  }

  void recover(Msg.StoredObject s) {
    Obj o = new Obj(s.hi(), s.lo(), s.value(), s.jobId());
    o.locations.addAll(s.locations());
    for (int i = 0; i < s.borrowers().size(); i++) {
      o.borrowers.put(s.borrowers().get(i), s.borrowerNodes().get(i));
      byBorrower.computeIfAbsent(s.borrowers().get(i), b -> new HashSet<>()).add(id(o));
    }
    o.lostWith = s.lostWith();
    objects.put(id(o), o);
    valueBytes += o.value == null ? 0 : o.value.length;
    if (o.borrowers.isEmpty()) {
      freeLater(o, "nobody held it when the control store stopped"); // its free was pending
    }
  }

  /** PutDetached: a new object, owned here from now on. */
  void put(Connection c, long reqId, Msg.PutDetached p) {
    String refused = refusedBorrower(p.borrower(), p.borrowerNode());
    if (refused != null) {
      c.replyFailure(reqId, refused + ": it cannot hand over an object");
      return;
    }
    Id id = new Id(p.hi(), p.lo());
    Obj o = objects.get(id);
    if (o == null) {
      if (p.value() == null && p.location() == null) {
        c.replyFailure(reqId, "object " + key(id) + " has neither a value nor a copy to own");
        return;
      }
      if (p.value() != null && valueBytes + p.value().length > MAX_VALUE_BYTES) {
        c.replyFailure(
            reqId,
            "the control store keeps "
                + valueBytes
                + " bytes of small detached values already, and "
                + p.value().length
                + " more would pass its limit of "
                + MAX_VALUE_BYTES
                + " (-Dweft.control.detachedValueBytes on the head); release detached objects"
                + " no longer needed, or put this one from a process on a node (its bytes then"
                + " go to the node's store)");
        return;
      }
      valueBytes += p.value() == null ? 0 : p.value().length;
      o = new Obj(p.hi(), p.lo(), p.value(), p.jobId());
      if (p.location() != null) {
        o.locations.add(p.location());
      }
      objects.put(id, o);
    }
    addBorrower(o, p.borrower(), p.borrowerNode());
    store(o);
    c.reply(reqId, new Msg.Ack());
  }

  /** GetObject for an object owned here. */
  void get(Connection c, long reqId, Msg.GetObject g) {
    Obj o = objects.get(new Id(g.hi(), g.lo()));
    if (o == null) {
      c.reply(reqId, new Msg.ObjectReply(Msg.ObjectStatus.UNKNOWN, null, null));
    } else if (o.value != null) {
      c.reply(reqId, new Msg.ObjectReply(Msg.ObjectStatus.READY, o.value, null));
    } else if (o.locations.isEmpty()) {
      c.reply(
          reqId,
          new Msg.ObjectReply(
              Msg.ObjectStatus.FAILED,
              null,
              new Msg.ObjectError(
                  Msg.ErrorKind.OBJECT_LOST,
                  "object "
                      + o.key()
                      + " (owned by the control store, put with Weft.putDetached) was lost: its"
                      + " last copy was on node "
                      + o.lostWith
                      + ", which died, and a put object cannot be made again (put it again)",
                  null)));
    } else {
      List<Msg.ObjectLocation> ls = new ArrayList<>(o.locations);
      java.util.Collections.rotate(ls, -(o.nextSource++ % ls.size()));
      c.reply(reqId, new Msg.ObjectReply(Msg.ObjectStatus.IN_STORE, null, null, ls));
    }
  }

  /** AddObjectLocation: a node pulled a copy. */
  void addLocation(Msg.AddObjectLocation a) {
    Obj o = objects.get(new Id(a.hi(), a.lo()));
    Msg.ObjectLocation l = a.location();
    if (o == null || l == null || l.nodeId() == null) {
      return;
    }
    NodeTable.NodeRec n = nodes.get(l.nodeId());
    if (n == null || !n.alive) {
      return; // a copy on a dead node is no copy
    }
    for (Msg.ObjectLocation have : o.locations) {
      if (have.nodeId().equals(l.nodeId())) {
        return;
      }
    }
    o.locations.add(l);
    store(o);
  }

  /** DetachedBorrower: a process holds the object, or no longer does. */
  void borrower(Connection c, long reqId, Msg.DetachedBorrower b) {
    Id id = new Id(b.hi(), b.lo());
    Obj o = objects.get(id);
    if (b.add()) {
      if (o == null) {
        c.replyFailure(reqId, "object " + key(id) + " was already freed by the control store");
        return;
      }
      String refused = refusedBorrower(b.borrower(), b.nodeId());
      if (refused != null) {
        c.replyFailure(reqId, refused);
        return;
      }
      addBorrower(o, b.borrower(), b.nodeId());
      store(o);
    } else if (o != null) {
      removeBorrower(o, b.borrower(), false);
    }
    c.reply(reqId, new Msg.Ack());
  }

  /** OwnerGone: a driver or worker exited; it holds nothing any more. */
  void processGone(String address) {
    if (address == null) {
      return;
    }
    long now = System.nanoTime();
    gone.put(address, now);
    gone.values().removeIf(t -> now - t > GONE_KEPT_NANOS);
    Set<Id> ids = byBorrower.remove(address);
    if (ids != null) {
      for (Id id : ids) {
        Obj o = objects.get(id);
        if (o != null) {
          removeBorrower(o, address, true);
        }
      }
    }
  }

  /** Node {@code nodeId} is dead: its processes hold nothing, its copies are gone. */
  void nodeDied(String nodeId) {
    for (Obj o : List.copyOf(objects.values())) {
      boolean changed = o.locations.removeIf(l -> nodeId.equals(l.nodeId()));
      if (changed && o.locations.isEmpty() && o.value == null) {
        o.lostWith = nodeId;
        log.warn(
            "object {} owned by the control store is lost: its last copy was on node {}",
            o.key(),
            nodeId);
      }
      List<String> there = new ArrayList<>();
      o.borrowers.forEach(
          (addr, node) -> {
            if (nodeId.equals(node)) {
              there.add(addr);
            }
          });
      for (String addr : there) {
        Set<Id> ids = byBorrower.get(addr);
        if (ids != null && ids.remove(id(o)) && ids.isEmpty()) {
          byBorrower.remove(addr);
        }
        o.borrowers.remove(addr);
      }
      if (changed || !there.isEmpty()) {
        store(o);
      }
      if (!there.isEmpty() && o.borrowers.isEmpty()) {
        freeLater(o, "its last borrowers ran on node " + nodeId + ", which died");
      }
    }
  }

  private void addBorrower(Obj o, String borrower, String nodeId) {
    o.borrowers.put(borrower, nodeId == null ? "" : nodeId);
    o.addedAt.put(borrower, System.nanoTime());
    byBorrower.computeIfAbsent(borrower, b -> new HashSet<>()).add(id(o));
  }

  /**
   * A node registered again with this (restarted) control store and says what it has: its borrowers
   * that are not among its live processes died unheard of (an OwnerGone lost with the old control
   * store), and are dropped; a copy of an object owned here that is not in its locations is added,
   * and one of an object not owned here (freed meanwhile) is deleted after the grace, unless a
   * PutDetached still on its way registers it by then. A borrower that registered in the last
   * {@link #INVENTORY_SKEW_MILLIS} may have started after the node made its list, and is kept.
   */
  void inventory(Msg.NodeInventory inv) {
    String nodeId = inv.nodeId();
    NodeTable.NodeRec n = nodes.get(nodeId);
    if (n == null || !n.alive) {
      return;
    }
    Set<String> live = new HashSet<>(inv.processes());
    long now = System.nanoTime();
    int dropped = 0;
    for (Obj o : List.copyOf(objects.values())) {
      List<String> unheard = new ArrayList<>();
      o.borrowers.forEach(
          (addr, node) -> {
            Long added = o.addedAt.get(addr);
            boolean recent = added != null && now - added < INVENTORY_SKEW_MILLIS * 1_000_000;
            if (nodeId.equals(node) && !live.contains(addr) && !recent) {
              unheard.add(addr);
            }
          });
      for (String addr : unheard) {
        removeBorrower(o, addr, true);
        dropped++;
      }
    }
    int added = 0;
    List<Id> unknown = new ArrayList<>();
    for (int i = 0; i < inv.heldHi().size(); i++) {
      Id id = new Id(inv.heldHi().get(i), inv.heldLo().get(i));
      Obj o = objects.get(id);
      if (o == null) {
        unknown.add(id);
      } else if (o.locations.stream().noneMatch(l -> nodeId.equals(l.nodeId()))) {
        o.locations.add(new Msg.ObjectLocation(nodeId, n.reg.address()));
        store(o);
        added++;
      }
    }
    if (dropped + added + unknown.size() > 0) {
      log.info(
          "node {} is back: {} borrowers there are gone, {} copies there learned, {} copies of"
              + " objects not owned here to delete",
          nodeId,
          dropped,
          added,
          unknown.size());
    }
    if (!unknown.isEmpty()) {
      loop.schedule(
          () -> {
            for (Id id : unknown) {
              NodeTable.NodeRec now2 = nodes.get(nodeId);
              if (!objects.containsKey(id) && now2 != null) {
                nodes.sendTo(now2, new Msg.StoreDelete(id.hi(), id.lo()));
              }
            }
          },
          deathGraceMillis,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  /** How long after its registration a borrower may be missing from its node's inventory. */
  static final long INVENTORY_SKEW_MILLIS = 10_000;

  /** {@code died}: dropped because the borrower is gone, not because it released the object. */
  private void removeBorrower(Obj o, String borrower, boolean died) {
    Set<Id> ids = byBorrower.get(borrower);
    if (ids != null && ids.remove(id(o)) && ids.isEmpty()) {
      byBorrower.remove(borrower);
    }
    o.addedAt.remove(borrower);
    if (o.borrowers.remove(borrower) == null) {
      return;
    }
    if (o.borrowers.isEmpty() && !died) {
      free(o, "its last borrower " + borrower + " let it go");
      return;
    }
    store(o);
    if (o.borrowers.isEmpty()) {
      freeLater(o, "its last borrower " + borrower + " is gone");
    }
  }

  /** Frees {@code o} after {@link #deathGraceMillis} unless a borrower registered meanwhile. */
  private void freeLater(Obj o, String why) {
    log.info(
        "object {} owned by the control store: nobody holds it ({}); freed in {} ms unless a"
            + " process registers for it",
        o.key(),
        why,
        deathGraceMillis);
    loop.schedule(
        () -> {
          if (objects.get(id(o)) == o && o.borrowers.isEmpty()) {
            free(o, why);
          }
        },
        deathGraceMillis,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Why {@code borrower} on node {@code nodeId} may not hold an object, or null if it may. */
  private String refusedBorrower(String borrower, String nodeId) {
    if (isGone(borrower)) {
      return "process " + borrower + " was reported gone";
    }
    NodeTable.NodeRec n = nodeId == null || nodeId.isEmpty() ? null : nodes.get(nodeId);
    if (n != null && !n.alive) {
      return "process " + borrower + " runs on node " + nodeId + ", which was declared dead";
    }
    return null;
  }

  /** No borrower is left: every copy goes, and the row. */
  private void free(Obj o, String why) {
    objects.remove(id(o));
    valueBytes -= o.value == null ? 0 : o.value.length;
    for (String b : o.borrowers.keySet()) {
      Set<Id> ids = byBorrower.get(b);
      if (ids != null && ids.remove(id(o)) && ids.isEmpty()) {
        byBorrower.remove(b);
      }
    }
    for (Msg.ObjectLocation l : o.locations) {
      NodeTable.NodeRec n = nodes.get(l.nodeId());
      if (n != null) {
        nodes.sendTo(n, new Msg.StoreDelete(o.hi, o.lo)); // waits in its outbox if not back yet
      }
    }
    if (stored != null) {
      stored.delete(TABLE, o.key());
    }
    log.info("freed object {} owned by the control store: {}", o.key(), why);
  }

  private void store(Obj o) {
    if (stored == null) {
      return;
    }
    List<String> bs = new ArrayList<>(o.borrowers.keySet());
    List<String> ns = new ArrayList<>(o.borrowers.values());
    stored.put(
        TABLE,
        o.key(),
        new Msg.StoredObject(
            o.hi, o.lo, o.value, List.copyOf(o.locations), bs, ns, o.jobId, o.lostWith));
  }

  private boolean isGone(String address) {
    Long t = gone.get(address);
    return t != null && System.nanoTime() - t < GONE_KEPT_NANOS;
  }

  private static Id id(Obj o) {
    return new Id(o.hi, o.lo);
  }

  private static String key(Id id) {
    return new dev.weft.ObjectId(id.hi(), id.lo()).toString();
  }
}
