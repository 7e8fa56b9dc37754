package dev.weft.internal.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Codec} round-trips every {@link Msg} record type, and rejects malformed input with an
 * {@link IllegalArgumentException} that says what is wrong.
 *
 * <p>Samples are built reflectively from the records' components, so a message type added to {@link
 * Msg} is covered without touching this test. If a new component type appears that {@link #sample}
 * does not know, the test fails and says which one.
 */
class CodecTest {

  /** How the sample values of a message are chosen. */
  enum Variant {
    /**
     * Ordinary non-empty values: unicode strings, negative numbers, populated lists, maps, nested
     * records.
     */
    TYPICAL,
    /** Every reference component null; primitives at their minimum. */
    NULLS,
    /**
     * Empty strings, arrays, lists and maps; primitives at their maximum; nested records with empty
     * values.
     */
    EMPTY,
    /**
     * Lists whose elements are null (where the element type allows it), odd doubles (NaN, -0.0,
     * infinity).
     */
    NULL_ELEMENTS
  }

  static Stream<Class<?>> messageTypes() {
    return Arrays.stream(Msg.class.getPermittedSubclasses());
  }

  @Test
  void everyMessageTypeHasACodec_builtOnFirstUseButCheckableAllAtOnce() {
    // codecs are built lazily (cheaper starts); this still fails for a type that cannot be encoded
    assertThat(Codec.buildAll()).isEqualTo(Msg.class.getPermittedSubclasses().length);
  }

  @Test
  void shouldHaveMessageTypesToTest() {
    assertThat(Msg.class.getPermittedSubclasses()).as("Msg record types").hasSizeGreaterThan(10);
    for (Class<?> c : Msg.class.getPermittedSubclasses()) {
      assertThat(c.isRecord()).as(c.getName() + " is a record").isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messageTypes")
  void shouldRoundTripEveryMessageType(Class<?> type) {
    for (Variant v : Variant.values()) {
      Msg msg = (Msg) sample(type, v, 0, type.getSimpleName());
      String what = type.getSimpleName() + " (" + v + "): " + msg;
      byte[] bytes = Codec.encode(msg);
      Msg back;
      try {
        back = Codec.decode(bytes);
      } catch (RuntimeException e) {
        throw new AssertionError("decoding the encoding of " + what + " failed", e);
      }
      assertThat(back).as(what).isInstanceOf(type);
      assertSameValue(msg, back, type.getSimpleName() + "[" + v + "]");
      assertThat(Codec.encode(back))
          .as("re-encoding of " + what + " gives the same bytes")
          .isEqualTo(bytes);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messageTypes")
  void shouldRejectEveryTruncationOfAMessage(Class<?> type) {
    for (Variant v : List.of(Variant.TYPICAL, Variant.NULLS, Variant.EMPTY)) {
      byte[] bytes = Codec.encode((Msg) sample(type, v, 0, type.getSimpleName()));
      for (int len = 0; len < bytes.length; len++) {
        byte[] cut = Arrays.copyOf(bytes, len);
        String what =
            type.getSimpleName() + " (" + v + ") cut to " + len + " of " + bytes.length + " bytes";
        assertThatThrownBy(() -> Codec.decode(cut))
            .as(what)
            .isInstanceOf(IllegalArgumentException.class)
            .satisfies(
                e ->
                    assertThat(e.getMessage())
                        .as("message of the error for " + what)
                        .containsAnyOf("truncated", "implausible element count"));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messageTypes")
  void shouldRejectTrailingGarbage(Class<?> type) {
    byte[] bytes = Codec.encode((Msg) sample(type, Variant.TYPICAL, 0, type.getSimpleName()));
    for (byte[] garbage :
        List.of(
            new byte[] {0},
            new byte[] {1, 2, 3},
            new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7})) {
      byte[] longer = Arrays.copyOf(bytes, bytes.length + garbage.length);
      System.arraycopy(garbage, 0, longer, bytes.length, garbage.length);
      assertThatThrownBy(() -> Codec.decode(longer))
          .as(type.getSimpleName() + " followed by " + garbage.length + " garbage bytes")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("trailing " + garbage.length + " bytes")
          .hasMessageContaining(type.getSimpleName());
    }
  }

  @Test
  void shouldRejectAnUnknownTypeIndex() {
    int count = Msg.class.getPermittedSubclasses().length;
    for (int idx : new int[] {count, count + 1, 0x7f, 0xff}) {
      assertThatThrownBy(() -> Codec.decode(new byte[] {(byte) idx, 0, 0, 0, 0}))
          .as("type index " + idx + " (there are " + count + " types)")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown message type " + idx);
    }
  }

  /**
   * Every constant of every enum a message carries survives the round trip, in every component that
   * holds it.
   */
  @Test
  void shouldRoundTripEveryValueOfEveryEnum() throws ReflectiveOperationException {
    Set<Class<?>> seen = new HashSet<>();
    for (Class<?> type : Msg.class.getPermittedSubclasses()) {
      RecordComponent[] rc = type.getRecordComponents();
      for (int i = 0; i < rc.length; i++) {
        if (!rc[i].getType().isEnum()) {
          continue;
        }
        seen.add(rc[i].getType());
        for (Object constant : rc[i].getType().getEnumConstants()) {
          Msg msg = (Msg) sample(type, Variant.TYPICAL, 0, type.getSimpleName());
          Object[] args = new Object[rc.length];
          Class<?>[] types = new Class<?>[rc.length];
          for (int k = 0; k < rc.length; k++) {
            args[k] = k == i ? constant : rc[k].getAccessor().invoke(msg);
            types[k] = rc[k].getType();
          }
          Msg with = (Msg) type.getDeclaredConstructor(types).newInstance(args);
          String what = type.getSimpleName() + "." + rc[i].getName() + " = " + constant;
          Msg back = Codec.decode(Codec.encode(with));
          assertSameValue(with, back, what);
          assertThat(rc[i].getAccessor().invoke(back)).as(what).isSameAs(constant);
        }
      }
    }
    assertThat(seen)
        .as("enums carried by messages")
        .contains(
            Msg.ObjectStatus.class,
            Msg.TaskStatus.class,
            Msg.ActorState.class,
            Msg.ErrorKind.class);
  }

  /** A record holding an enum and a nested error record holding another enum and a record. */
  @Test
  void shouldRoundTripAFailedObjectWithItsStructuredError() {
    Msg.RemoteThrowable thrown =
        new Msg.RemoteThrowable(
            "com.acme.Boom",
            "bad \u0000 input\u0001 here",
            "com.acme.Boom: bad\n\tat com.acme.F.f(F.java:3)\n",
            new byte[] {(byte) 0xac, (byte) 0xed, 0, 5});
    Msg.ObjectReply reply =
        new Msg.ObjectReply(
            Msg.ObjectStatus.FAILED,
            null,
            new Msg.ObjectError(Msg.ErrorKind.WORKER_CRASHED, "worker w-1 died", thrown));

    Msg back = Codec.decode(Codec.encode(reply));

    assertThat(back).isInstanceOf(Msg.ObjectReply.class);
    Msg.ObjectReply r = (Msg.ObjectReply) back;
    assertThat(r.status()).isEqualTo(Msg.ObjectStatus.FAILED);
    assertThat(r.value()).isNull();
    assertThat(r.error().kind()).isEqualTo(Msg.ErrorKind.WORKER_CRASHED);
    assertThat(r.error().message()).isEqualTo("worker w-1 died");
    assertThat(r.error().cause().className()).isEqualTo("com.acme.Boom");
    assertThat(r.error().cause().message())
        .as("separator characters inside a message are just characters")
        .isEqualTo("bad \u0000 input\u0001 here");
    assertThat(r.error().cause().stackTrace()).isEqualTo(thrown.stackTrace());
    assertThat(r.error().cause().serialized()).isEqualTo(thrown.serialized());
  }

  /** A peer of another version may send an ordinal this process does not know: a clear error. */
  @Test
  void shouldRejectAnUnknownEnumOrdinal() {
    int known = Msg.ObjectStatus.values().length;
    byte[] good = Codec.encode(new Msg.ObjectReply(Msg.ObjectStatus.READY, new byte[] {7}, null));
    // [type][status: 0 for null, else ordinal + 1][value][error]
    assertThat(good[1]).as("READY on the wire").isEqualTo((byte) 1);
    for (int code : new int[] {known + 1, known + 2, 0x7f, 0xff}) {
      byte[] bad = good.clone();
      bad[1] = (byte) code;
      assertThatThrownBy(() -> Codec.decode(bad))
          .as("status code " + code + " (" + known + " statuses known)")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown Msg.ObjectStatus ordinal " + (code - 1))
          .hasMessageContaining("ObjectReply.status")
          .hasMessageContaining("another Weft version");
    }
  }

  @Test
  void shouldRejectAnEmptyMessage() {
    assertThatThrownBy(() -> Codec.decode(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void shouldRejectAByteLengthLargerThanTheMessage() throws IOException {
    // Failure(String text): [type][i32 length][bytes]; the declared length is far beyond the frame.
    for (int declared : new int[] {100, 1 << 20, Integer.MAX_VALUE - 8, Integer.MAX_VALUE}) {
      byte[] bytes =
          bytes(
              out -> {
                out.writeByte(indexOf(Msg.Failure.class));
                out.writeInt(declared);
                out.write("abc".getBytes(StandardCharsets.UTF_8));
              });
      assertThatThrownBy(() -> Codec.decode(bytes))
          .as(
              "a string declared "
                  + declared
                  + " bytes long in a message of "
                  + bytes.length
                  + " bytes")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void shouldRejectANegativeByteLength() throws IOException {
    byte[] bytes =
        bytes(
            out -> {
              out.writeByte(indexOf(Msg.Failure.class));
              out.writeInt(-5);
            });
    assertThatThrownBy(() -> Codec.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRejectAnImplausibleListSize() throws IOException {
    // StatusReply(List<NodeInfo> nodes, ...): a list claiming a billion elements in a 9-byte
    // message
    byte[] bytes =
        bytes(
            out -> {
              out.writeByte(indexOf(Msg.StatusReply.class));
              out.writeInt(1_000_000_000);
              out.writeInt(0);
            });
    assertThatThrownBy(() -> Codec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("implausible element count 1000000000");
  }

  @Test
  void shouldRejectAnImplausibleMapSize() throws IOException {
    // RegisterNode(String nodeId, String address, Map<String, Double> resources, long pid)
    byte[] bytes =
        bytes(
            out -> {
              out.writeByte(indexOf(Msg.RegisterNode.class));
              out.writeInt(-1);
              out.writeInt(-1);
              out.writeInt(Integer.MAX_VALUE);
              out.writeLong(0);
            });
    assertThatThrownBy(() -> Codec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("implausible element count");
  }

  @Test
  void shouldRejectANullMapKey() throws IOException {
    // RegisterNode(String nodeId, String address, Map<String, Double> resources, long pid) whose
    // one
    // map entry has a null key (length -1): a map key cannot be null, the input is malformed.
    byte[] bytes =
        bytes(
            out -> {
              out.writeByte(indexOf(Msg.RegisterNode.class));
              out.writeInt(-1);
              out.writeInt(-1);
              out.writeInt(1);
              out.writeInt(-1);
              out.writeLong(Double.doubleToRawLongBits(1.0));
              out.writeLong(42);
            });
    assertThatThrownBy(() -> Codec.decode(bytes))
        .as(
            "a map entry with a null key must be rejected as malformed input (IllegalArgumentException),"
                + " not fail with whatever the decoder happens to throw")
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Corrupts the bytes of every message type at random (seeded: reproducible) and decodes them:
   * each decode either gives a message or throws IllegalArgumentException, never anything else
   * (peers send bytes; the RPC layer turns IllegalArgumentException into a clear rejection).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("messageTypes")
  void shouldOnlyEverThrowIllegalArgumentOnCorruptInput(Class<?> type) {
    Random rnd = new Random(type.getSimpleName().hashCode());
    List<String> problems = new ArrayList<>();
    for (Variant v : Variant.values()) {
      byte[] good = Codec.encode((Msg) sample(type, v, 0, type.getSimpleName()));
      for (int round = 0; round < 300; round++) {
        byte[] bad = good.clone();
        int flips = 1 + rnd.nextInt(3);
        for (int k = 0; k < flips; k++) {
          int at = bad.length == 1 ? 0 : 1 + rnd.nextInt(bad.length - 1); // keep the type index
          bad[at] =
              switch (rnd.nextInt(4)) {
                case 0 -> (byte) 0xff;
                case 1 -> 0;
                case 2 -> (byte) 0x80;
                default -> (byte) rnd.nextInt(256);
              };
        }
        try {
          Codec.decode(bad);
        } catch (IllegalArgumentException e) {
          // expected for malformed input
        } catch (RuntimeException | Error e) {
          if (problems.size() < 5) {
            problems.add(e + " for " + v + " bytes " + java.util.HexFormat.of().formatHex(bad));
          }
        }
      }
    }
    assertThat(problems)
        .as(
            "decoding corrupted "
                + type.getSimpleName()
                + " threw something other than IllegalArgumentException")
        .isEmpty();
  }

  // ------------------------------------------------------------------ samples

  private static Object sample(Type t, Variant v, int depth, String where) {
    if (t == int.class) {
      return switch (v) {
        case TYPICAL -> 42 + depth;
        case NULLS -> Integer.MIN_VALUE;
        case EMPTY -> Integer.MAX_VALUE;
        case NULL_ELEMENTS -> -1;
      };
    }
    if (t == long.class || t == Long.class) { // boxed only as list elements, never null on the wire
      return switch (v) {
        case TYPICAL -> 0x0123_4567_89ab_cdefL + depth;
        case NULLS -> Long.MIN_VALUE;
        case EMPTY -> Long.MAX_VALUE;
        case NULL_ELEMENTS -> -1L;
      };
    }
    if (t == double.class || t == Double.class) {
      if (t == Double.class && v == Variant.NULLS) {
        return null;
      }
      return switch (v) {
        case TYPICAL -> 2.5;
        case NULLS -> -0.0;
        case EMPTY -> Double.MAX_VALUE;
        case NULL_ELEMENTS -> Double.NaN;
      };
    }
    if (t == boolean.class) {
      return v == Variant.TYPICAL || v == Variant.EMPTY;
    }
    if (t == String.class) {
      return switch (v) {
        case TYPICAL -> "h\u00e9llo \u2713 \ud834\udd1e " + where;
        case NULLS -> null;
        case EMPTY -> "";
        case NULL_ELEMENTS -> "x";
      };
    }
    if (t == byte[].class) {
      return switch (v) {
        case TYPICAL -> new byte[] {0, -1, 127, -128, 5, (byte) depth};
        case NULLS -> null;
        case EMPTY -> new byte[0];
        case NULL_ELEMENTS -> new byte[300];
      };
    }
    if (t instanceof Class<?> c && c.isEnum()) {
      Object[] constants = c.getEnumConstants();
      return switch (v) {
        case TYPICAL -> constants[depth % constants.length];
        case NULLS -> null;
        case EMPTY -> constants[0];
        case NULL_ELEMENTS -> constants[constants.length - 1];
      };
    }
    if (t instanceof Class<?> c && c.isRecord() && Msg.class.isAssignableFrom(c)) {
      if (v == Variant.NULLS && depth > 0) {
        return null;
      }
      if (depth > 5) {
        throw new IllegalStateException(
            "message records nest deeper than 5 at " + where + ": a cycle?");
      }
      RecordComponent[] rc = c.getRecordComponents();
      Object[] args = new Object[rc.length];
      Class<?>[] types = new Class<?>[rc.length];
      for (int i = 0; i < rc.length; i++) {
        args[i] = sample(rc[i].getGenericType(), v, depth + 1, where + "." + rc[i].getName());
        types[i] = rc[i].getType();
      }
      try {
        Constructor<?> ctor = c.getDeclaredConstructor(types);
        return ctor.newInstance(args);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(
            "cannot build a sample " + c.getSimpleName() + " at " + where, e);
      }
    }
    if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
      Type elem = p.getActualTypeArguments()[0];
      return switch (v) {
        case TYPICAL ->
            new ArrayList<>(
                List.of(
                    sample(elem, Variant.TYPICAL, depth + 1, where + "[0]"),
                    sample(elem, Variant.EMPTY, depth + 1, where + "[1]")));
        case NULLS -> null;
        case EMPTY -> List.of();
        case NULL_ELEMENTS -> {
          List<Object> l = new ArrayList<>();
          l.add(sample(elem, Variant.NULL_ELEMENTS, depth + 1, where + "[0]"));
          if (elem == String.class
              || elem == byte[].class
              || (elem instanceof Class<?> ec && ec.isRecord())) {
            l.add(null); // String, byte[] and nested records may be null inside a list
          }
          yield l;
        }
      };
    }
    if (t instanceof ParameterizedType p
        && p.getRawType() == Map.class
        && p.getActualTypeArguments()[0] == String.class
        && p.getActualTypeArguments()[1] == Double.class) {
      return switch (v) {
        case TYPICAL -> {
          Map<String, Double> m = new LinkedHashMap<>();
          m.put("CPU", 2.0);
          m.put("GPU", 0.5);
          m.put("mem\u00f6ry", 1.0e12);
          yield m;
        }
        case NULLS -> null;
        case EMPTY -> Map.of();
        case NULL_ELEMENTS -> {
          Map<String, Double> m = new LinkedHashMap<>();
          m.put("", Double.NaN);
          m.put("neg", -0.0);
          m.put("inf", Double.NEGATIVE_INFINITY);
          yield m;
        }
      };
    }
    throw new IllegalStateException(
        "CodecTest cannot build a sample of "
            + t
            + " (at "
            + where
            + "): a message component type it does not know; teach CodecTest.sample() about it"
            + " (and make sure Codec encodes it)");
  }

  // ------------------------------------------------------------------ comparison

  /** Deep equality that compares arrays by content and doubles by bits (NaN, -0.0). */
  private static void assertSameValue(Object expected, Object actual, String path) {
    if (expected == null || actual == null) {
      if (expected != actual) {
        fail(path + ": expected " + describe(expected) + " but decoded " + describe(actual));
      }
      return;
    }
    if (expected instanceof byte[] e) {
      if (!(actual instanceof byte[] a) || !Arrays.equals(e, a)) {
        fail(path + ": expected " + describe(expected) + " but decoded " + describe(actual));
      }
      return;
    }
    if (expected instanceof Record) {
      if (expected.getClass() != actual.getClass()) {
        fail(
            path
                + ": expected a "
                + expected.getClass().getSimpleName()
                + " but decoded "
                + describe(actual));
      }
      for (RecordComponent rc : expected.getClass().getRecordComponents()) {
        try {
          assertSameValue(
              rc.getAccessor().invoke(expected),
              rc.getAccessor().invoke(actual),
              path + "." + rc.getName());
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return;
    }
    if (expected instanceof List<?> e) {
      if (!(actual instanceof List<?> a) || a.size() != e.size()) {
        fail(path + ": expected " + describe(expected) + " but decoded " + describe(actual));
        return;
      }
      for (int i = 0; i < e.size(); i++) {
        assertSameValue(e.get(i), a.get(i), path + "[" + i + "]");
      }
      return;
    }
    if (expected instanceof Map<?, ?> e) {
      if (!(actual instanceof Map<?, ?> a) || !e.equals(a)) { // Double.equals compares bits
        fail(path + ": expected " + describe(expected) + " but decoded " + describe(actual));
      }
      return;
    }
    if (!expected.equals(actual)) { // boxed primitives and strings; Double.equals compares bits
      fail(path + ": expected " + describe(expected) + " but decoded " + describe(actual));
    }
  }

  private static String describe(Object o) {
    return o instanceof byte[] b
        ? "byte[" + b.length + "] " + Arrays.toString(b)
        : String.valueOf(o);
  }

  // ------------------------------------------------------------------ raw bytes

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] bytes(Writer w) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      w.write(out);
    }
    return b.toByteArray();
  }

  private static int indexOf(Class<?> type) {
    Class<?>[] all = Msg.class.getPermittedSubclasses();
    for (int i = 0; i < all.length; i++) {
      if (all[i] == type) {
        return i;
      }
    }
    throw new IllegalStateException(type + " is not a Msg type");
  }
}
