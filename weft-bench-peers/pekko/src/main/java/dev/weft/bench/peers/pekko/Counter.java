package dev.weft.bench.peers.pekko;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** The target actor: counts {@link Inc} messages and replies with the count so far. */
final class Counter extends AbstractBehavior<Counter.Inc> {
  /** "Increment and tell me the count": the call. */
  record Inc(ActorRef<Long> replyTo) {}

  private long n;

  private Counter(ActorContext<Inc> ctx) {
    super(ctx);
  }

  static Behavior<Inc> create() {
    return Behaviors.setup(Counter::new);
  }

  @Override
  public Receive<Inc> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            Inc.class,
            m -> {
              m.replyTo().tell(++n);
              return this;
            })
        .build();
  }
}
