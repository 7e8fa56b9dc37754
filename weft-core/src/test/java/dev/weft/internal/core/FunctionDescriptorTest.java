package dev.weft.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.SerializationException;
import dev.weft.function.Fn1;
import dev.weft.function.Fn2;
import dev.weft.internal.proto.Msg;
import org.junit.jupiter.api.Test;

class FunctionDescriptorTest {
  static int twice(int x) {
    return 2 * x;
  }

  public static class Acc {
    int n;

    public Acc(int start) {
      n = start;
    }

    public int plus(int d) {
      return n += d;
    }
  }

  private static Object call(Object fn, Object receiver, Object... args) throws Throwable {
    Msg.FunctionDesc d = FunctionDescriptor.describe(fn, new java.util.ArrayList<>());
    return FunctionDescriptor.resolve(
            d, FunctionDescriptorTest.class.getClassLoader(), FunctionDescriptorTest::decode)
        .invoke(receiver, args);
  }

  @Test
  void describe_staticMethodRef_namesClassAndMethodAndResolves() throws Throwable {
    Fn1<Integer, Integer> f = FunctionDescriptorTest::twice;
    Msg.FunctionDesc d = FunctionDescriptor.describe(f, new java.util.ArrayList<>());
    assertThat(d.className()).isEqualTo(FunctionDescriptorTest.class.getName());
    assertThat(d.methodName()).isEqualTo("twice");
    assertThat(d.captured()).isNull();
    assertThat(FunctionDescriptor.displayName(d)).isEqualTo("FunctionDescriptorTest.twice");
    assertThat(call(f, null, 21)).isEqualTo(42);
  }

  @Test
  void describe_capturingLambda_carriesCapturedValues() throws Throwable {
    int base = 100;
    Fn1<Integer, Integer> f = x -> x + base;
    assertThat(FunctionDescriptor.describe(f, new java.util.ArrayList<>()).captured()).isNotNull();
    assertThat(call(f, null, 1)).isEqualTo(101);
  }

  @Test
  void describe_constructorAndInstanceMethod_callWithReceiver() throws Throwable {
    Fn1<Integer, Acc> ctor = Acc::new;
    Acc acc = (Acc) call(ctor, null, 5);
    assertThat(acc.n).isEqualTo(5);
    Fn2<Acc, Integer, Integer> plus = Acc::plus;
    assertThat(call(plus, acc, 3)).isEqualTo(8);
    assertThat(
            FunctionDescriptor.displayName(
                FunctionDescriptor.describe(ctor, new java.util.ArrayList<>())))
        .isEqualTo("FunctionDescriptorTest$Acc.new");
  }

  @Test
  void describe_notALambda_saysWhatToPass() {
    assertThatThrownBy(() -> FunctionDescriptor.describe(new Object(), new java.util.ArrayList<>()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not serializable");
  }

  @Test
  void resolve_unknownClass_saysTheClassPathIsWrong() {
    Msg.FunctionDesc d = new Msg.FunctionDesc("com.nowhere.Missing", "f", "()V", 6, null);
    assertThatThrownBy(
            () ->
                FunctionDescriptor.resolve(
                    d, getClass().getClassLoader(), FunctionDescriptorTest::decode))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("com.nowhere.Missing")
        .hasMessageContaining("class path");
  }

  private static Object decode(byte[] bytes) {
    return Serde.deserialize(bytes, "captured values");
  }
}
