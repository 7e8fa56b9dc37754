package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.RemoteException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerdeTest {
  record Point(int x, String label, List<Integer> tags) {}

  @Test
  void serialize_userRecordWithCollections_roundTrips() {
    Point p = new Point(3, "p", List.of(1, 2));
    Object back = Serde.deserialize(Serde.serialize(Map.of("k", p), "v"), "v");
    assertThat(back).isEqualTo(Map.of("k", p));
  }

  @Test
  void deserializeError_knownException_isRebuiltWithMessageAndTrace() {
    IOException e = new IOException("boom");
    Throwable back = Serde.deserializeError(Serde.serializeError(e), Serde.describeError(e));
    assertThat(back).isInstanceOf(IOException.class).hasMessage("boom");
    assertThat(back.getStackTrace()).isNotEmpty();
  }

  @Test
  void deserializeError_undecodableBytes_fallsBackToRemoteExceptionWithTheText() {
    IOException e = new IOException("lost class");
    Throwable back = Serde.deserializeError(new byte[] {1, 2, 3}, Serde.describeError(e));
    assertThat(back).isInstanceOf(RemoteException.class);
    RemoteException r = (RemoteException) back;
    assertThat(r.remoteClassName()).isEqualTo("java.io.IOException");
    assertThat(r.getMessage()).contains("lost class");
    assertThat(r.remoteStackTrace()).contains("SerdeTest");
  }

  @Test
  void isDenied_gadgetFamilies_areRefused() {
    assertThat(Serde.isDenied("org.apache.commons.collections.functors.InvokerTransformer"))
        .isTrue();
    assertThat(Serde.isDenied("com.acme.MyRecord")).isFalse();
  }
}
