package dev.weft.bench.peers.pekko;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;

/**
 * Pekko's recommended way for a typed message holding an actor ref: a serializer writing the ref in
 * {@link ActorRefResolver}'s format (Java serialization is off in Pekko). The reply, a {@code
 * Long}, uses Pekko's built-in primitive serializer.
 */
public final class IncSerializer extends JSerializer {
  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public IncSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }

  @Override
  public int identifier() {
    return 734_001;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    return resolver()
        .toSerializationFormat(((Counter.Inc) o).replyTo())
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    return new Counter.Inc(resolver().resolveActorRef(new String(bytes, StandardCharsets.UTF_8)));
  }
}
