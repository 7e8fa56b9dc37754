package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.RemoteException;
import dev.weft.SerializationException;
import dev.weft.WeftConfig;
import dev.weft.internal.proto.Msg;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.acme.serde.Order;
import org.acme.serde.Unlisted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mvel2.FakeGadget;

class SerdeTest {
  record Point(int x, String label, List<Integer> tags) {}

  @AfterEach
  void denyListMode() {
    Serde.setAllowList(null);
  }

  @Test
  void serialize_userRecordWithCollections_roundTrips() {
    Point p = new Point(3, "p", List.of(1, 2));
    Object back = Serde.deserialize(Serde.serialize(Map.of("k", p), "v"), "v");
    assertThat(back).isEqualTo(Map.of("k", p));
  }

  @Test
  void codegen_startsOnceTheProcessHasLivedItsDelay_andEitherModeReadsTheOthersBytes() {
    Map<String, Object> v =
        Map.of(
            "p", new Point(3, "p", List.of(1, 2)), "more", List.of(new Point(4, "q", List.of())));
    try {
      Serde.codegenFrom(System.nanoTime() + 300_000_000L);
      assertThat(Serde.generatesCode()).as("a fresh process serializes interpreted").isFalse();
      byte[] interpreted = Serde.serialize(v, "v");
      // the first call after the delay starts the switch, on a thread of its own
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Serde.serialize(v, "v");
                return Serde.generatesCode();
              });
      // Fory compiles each class's serializer on its own thread and uses it once compiled
      byte[][] generated = new byte[1][];
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                generated[0] = Serde.serialize(v, "v");
                return true;
              });
      assertThat(Serde.deserialize(interpreted, "v")).isEqualTo(v);
      assertThat(Serde.deserialize(generated[0], "v")).isEqualTo(v);

      Serde.codegenFrom(Long.MAX_VALUE);
      assertThat(Serde.deserialize(generated[0], "v"))
          .as("an interpreting process reads a generating one's bytes")
          .isEqualTo(v);
      assertThat(Serde.deserialize(Serde.serialize(v, "v"), "v")).isEqualTo(v);
      assertThat(Serde.generatesCode()).as("never, when told never").isFalse();
    } finally {
      Serde.codegenFrom(System.nanoTime()); // generated code from the next call on
    }
  }

  @Test
  void deserializeError_knownException_isRebuiltWithMessageAndTrace() {
    IOException e = new IOException("boom");
    Throwable back = Serde.deserializeError(Serde.describeError(e));
    assertThat(back).isInstanceOf(IOException.class).hasMessage("boom");
    assertThat(back.getStackTrace()).isNotEmpty();
  }

  @Test
  void deserializeError_undecodableBytes_fallsBackToRemoteExceptionWithTheText() {
    IOException e = new IOException("lost class");
    Msg.RemoteThrowable remote = Serde.describeError(e);
    Throwable back =
        Serde.deserializeError(
            new Msg.RemoteThrowable(
                remote.className(), remote.message(), remote.stackTrace(), new byte[] {1, 2, 3}));
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
    // a denied class name is not a prefix of other names: Runtime, not RuntimeException
    assertThat(Serde.isDenied("java.lang.Runtime")).isTrue();
    assertThat(Serde.isDenied("java.lang.RuntimeException")).isFalse();
    assertThat(Serde.isDenied("java.lang.IllegalStateException")).isFalse();
  }

  @Test
  void isDenied_eachDocumentedFamily_isRefused() {
    for (String gadget :
        List.of(
            "org.apache.commons.collections4.functors.InstantiateTransformer",
            "org.apache.commons.beanutils.BeanComparator",
            "org.springframework.beans.factory.ObjectFactory",
            "org.codehaus.groovy.runtime.MethodClosure",
            "com.mchange.v2.c3p0.impl.PoolBackedDataSourceBase",
            "com.rometools.rome.feed.impl.ObjectBean",
            "com.sun.syndication.feed.impl.ToStringBean",
            "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
            "com.sun.rowset.JdbcRowSetImpl",
            "javax.naming.InitialContext",
            "java.rmi.server.UnicastRemoteObject",
            "javax.management.BadAttributeValueExpException",
            "bsh.XThis",
            "org.python.core.PyFunction",
            "sun.reflect.annotation.AnnotationInvocationHandler",
            "[Lorg.apache.commons.collections.functors.InvokerTransformer;")) {
      assertThat(Serde.isDenied(gadget)).as(gadget).isTrue();
      assertThat(Serde.isAllowed(gadget)).as(gadget).isFalse();
    }
  }

  /** The type checker runs on both ends: a gadget is refused before it leaves the sender. */
  @Test
  void serialize_denyListedClass_failsNamingTheClass() {
    assertThatThrownBy(() -> Serde.serialize(new FakeGadget("1+1"), "the value"))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("org.mvel2.FakeGadget")
        .hasMessageContaining("deny list");
  }

  @Test
  void deserialize_allowListMode_refusesAnUnlistedClassAndSaysHowToAllowIt() {
    byte[] unlisted = Serde.serialize(List.of(new Unlisted(7)), "v");
    byte[] unlistedArray = Serde.serialize(new Unlisted[] {new Unlisted(8)}, "v");
    byte[] listed = Serde.serialize(Map.of("o", new Order(1, "tea"), "n", 2L), "v");
    Serde.setAllowList(List.of("org.acme.serde.Order"));

    assertThat(Serde.deserialize(listed, "v")).isEqualTo(Map.of("o", new Order(1, "tea"), "n", 2L));
    for (byte[] b : List.of(unlisted, unlistedArray)) {
      assertThatThrownBy(() -> Serde.deserialize(b, "the argument"))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("org.acme.serde.Unlisted")
          .hasMessageContaining("not on the serialization allow list")
          .hasMessageContaining("-Dweft.serialization.allow=")
          .hasMessageContaining("serializationAllowList");
    }
  }

  @Test
  void isAllowed_allowListEntries_matchExactNamesPrefixesAndWildcards() {
    Serde.setAllowList(List.of("org.acme.serde.Order", "com.shop.", "net.x*"));

    assertThat(Serde.isAllowed("org.acme.serde.Order")).isTrue();
    assertThat(Serde.isAllowed("org.acme.serde.Order$Line")).isTrue();
    assertThat(Serde.isAllowed("org.acme.serde.OrderBook")).isFalse();
    assertThat(Serde.isAllowed("com.shop.cart.Cart")).isTrue();
    assertThat(Serde.isAllowed("net.xyz.Thing")).isTrue();
    assertThat(Serde.isAllowed("java.util.ArrayList")).as("JDK basics").isTrue();
    assertThat(Serde.isAllowed("[[J")).as("primitive arrays").isTrue();
    assertThat(Serde.isAllowed("dev.weft.ObjectId")).as("Weft's own").isTrue();
    assertThat(Serde.isAllowed("org.acme.serde.Unlisted")).isFalse();
    assertThat(Serde.isAllowed("[Lorg.acme.serde.Unlisted;")).isFalse();
    assertThat(Serde.isAllowed("java.lang.ProcessBuilder")).as("the deny list wins").isFalse();
  }

  @Test
  void workerJvmOptions_allowList_isPassedToWorkersAsTheProperty() {
    WeftConfig none = WeftConfig.builder().workerJvmOptions(List.of("-Xmx1g")).build();
    WeftConfig some = none.toBuilder().serializationAllowList(List.of("com.shop.", "x.Y")).build();

    assertThat(Serde.workerJvmOptions(none)).containsExactly("-Xmx1g");
    assertThat(Serde.workerJvmOptions(some))
        .containsExactly("-Xmx1g", "-Dweft.serialization.allow=com.shop.,x.Y");
    assertThat(Serde.parse(" com.shop., x.Y ,")).containsExactly("com.shop.", "x.Y");
    assertThat(Serde.parse("")).isNull();
  }

  @Test
  void build_badAllowListEntry_isRejected() {
    assertThatThrownBy(
            () -> WeftConfig.builder().serializationAllowList(List.of("a.b, c.d")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serializationAllowList");
  }
}
