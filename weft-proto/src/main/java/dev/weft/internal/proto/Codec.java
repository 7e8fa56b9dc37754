package dev.weft.internal.proto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary encoding of {@link Msg} records, built once from the records' components: no code
 * generation, no class names on the wire, and only the record types of {@link Msg} can be decoded,
 * so a peer cannot make this process instantiate anything else. User values travel inside messages
 * as {@code byte[]} and are decoded elsewhere.
 *
 * <p>Layout: {@code [u8 type index]} then each component in declaration order: int/long/double as
 * fixed big-endian, boolean as a byte, String and byte[] as {@code [i32 length or -1 for null]
 * [bytes]}, List as {@code [i32 size or -1][elements]}, Map&lt;String, Double&gt; as {@code [i32
 * size or -1][key, value]*}, nested Msg records as {@code [u8 present][fields]}, enums as {@code
 * [u8 0 for null, else ordinal + 1]} (so an enum's constants are only ever added at its end, and an
 * ordinal this process does not know is rejected as coming from another protocol version).
 */
public final class Codec {
  private static final Class<?>[] TYPES = Msg.class.getPermittedSubclasses();
  private static final Map<Class<?>, Integer> INDEX = new HashMap<>();

  /**
   * Each type's codec, built on its first use: building one makes method handles, and the JVM spins
   * classes for them; all {@code Msg} types at once took 0.4 s of CPU at every process's start,
   * while a process uses a fraction of them. A race builds a codec twice, harmlessly (its fields
   * are final).
   */
  private static final RecordCodec[] CODECS = new RecordCodec[TYPES.length];

  static {
    if (TYPES.length > 255) {
      throw new IllegalStateException("too many message types");
    }
    for (int i = 0; i < TYPES.length; i++) {
      INDEX.put(TYPES[i], i);
    }
  }

  private Codec() {}

  private static RecordCodec codec(int idx) {
    RecordCodec c = CODECS[idx];
    if (c == null) {
      c = new RecordCodec(TYPES[idx]);
      CODECS[idx] = c;
    }
    return c;
  }

  /** Builds every type's codec: a type whose fields cannot be encoded fails here (for tests). */
  static int buildAll() {
    for (int i = 0; i < TYPES.length; i++) {
      codec(i);
    }
    return TYPES.length;
  }

  public static byte[] encode(Msg msg) {
    Out out = new Out(64);
    int idx = INDEX.get(msg.getClass());
    out.u8(idx);
    codec(idx).write(out, msg);
    return out.toArray();
  }

  public static Msg decode(byte[] bytes) {
    In in = new In(bytes);
    int idx = in.u8();
    if (idx >= CODECS.length) {
      throw new IllegalArgumentException(
          "unknown message type " + idx + ": peer runs another Weft version?");
    }
    Msg m = (Msg) codec(idx).read(in);
    if (in.pos != bytes.length) {
      throw new IllegalArgumentException(
          "trailing " + (bytes.length - in.pos) + " bytes after " + TYPES[idx].getSimpleName());
    }
    return m;
  }

  // ------------------------------------------------------------------ field codecs

  private interface FieldCodec {
    void write(Out out, Object v);

    Object read(In in);
  }

  private static final class RecordCodec implements FieldCodec {
    final Class<?> type;
    final MethodHandle[] getters;
    final FieldCodec[] fields;
    final MethodHandle ctor;

    RecordCodec(Class<?> type) {
      this.type = type;
      RecordComponent[] rc = type.getRecordComponents();
      getters = new MethodHandle[rc.length];
      fields = new FieldCodec[rc.length];
      Class<?>[] ptypes = new Class<?>[rc.length];
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      try {
        for (int i = 0; i < rc.length; i++) {
          getters[i] =
              lookup
                  .unreflect(rc[i].getAccessor())
                  .asType(java.lang.invoke.MethodType.methodType(Object.class, Object.class));
          fields[i] =
              codecFor(rc[i].getGenericType(), type.getSimpleName() + "." + rc[i].getName());
          ptypes[i] = rc[i].getType();
        }
        ctor =
            lookup
                .unreflectConstructor(type.getDeclaredConstructor(ptypes))
                .asSpreader(Object[].class, rc.length)
                .asType(java.lang.invoke.MethodType.methodType(Object.class, Object[].class));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot build codec for " + type, e);
      }
    }

    @Override
    public void write(Out out, Object v) {
      try {
        for (int i = 0; i < fields.length; i++) {
          fields[i].write(out, getters[i].invokeExact(v));
        }
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    @Override
    public Object read(In in) {
      Object[] args = new Object[fields.length];
      for (int i = 0; i < fields.length; i++) {
        args[i] = fields[i].read(in);
      }
      try {
        return ctor.invokeExact(args);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
  }

  private static FieldCodec codecFor(Type t, String where) {
    if (t == int.class) {
      return new FieldCodec() {
        public void write(Out o, Object v) {
          o.i32((Integer) v);
        }

        public Object read(In i) {
          return i.i32();
        }
      };
    }
    if (t == long.class || t == Long.class) {
      return new FieldCodec() {
        public void write(Out o, Object v) {
          o.i64((Long) v);
        }

        public Object read(In i) {
          return i.i64();
        }
      };
    }
    if (t == double.class || t == Double.class) {
      return new FieldCodec() {
        public void write(Out o, Object v) {
          o.i64(Double.doubleToRawLongBits((Double) v));
        }

        public Object read(In i) {
          return Double.longBitsToDouble(i.i64());
        }
      };
    }
    if (t == boolean.class) {
      return new FieldCodec() {
        public void write(Out o, Object v) {
          o.u8((Boolean) v ? 1 : 0);
        }

        public Object read(In i) {
          return i.u8() != 0;
        }
      };
    }
    if (t == String.class) {
      return new FieldCodec() {
        public void write(Out o, Object v) {
          o.bytes(v == null ? null : ((String) v).getBytes(StandardCharsets.UTF_8));
        }

        public Object read(In i) {
          byte[] b = i.bytes();
          return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }
      };
    }
    if (t == byte[].class) {
      return new FieldCodec() {
        public void write(Out o, Object v) {
          o.bytes((byte[]) v);
        }

        public Object read(In i) {
          return i.bytes();
        }
      };
    }
    if (t instanceof Class<?> c && c.isEnum()) {
      return enumCodec(c, where);
    }
    if (t instanceof Class<?> c && Msg.class.isAssignableFrom(c) && c.isRecord()) {
      return new FieldCodec() {
        RecordCodec inner;

        public void write(Out o, Object v) {
          o.u8(v == null ? 0 : 1);
          if (v != null) {
            codec().write(o, v);
          }
        }

        public Object read(In i) {
          return i.u8() == 0 ? null : codec().read(i);
        }

        RecordCodec codec() {
          RecordCodec r = inner; // one read: the field is set racily
          if (r == null) {
            r = Codec.codec(INDEX.get(c));
            inner = r;
          }
          return r;
        }
      };
    }
    if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
      FieldCodec elem = codecFor(p.getActualTypeArguments()[0], where + "[]");
      return new FieldCodec() {
        public void write(Out o, Object v) {
          if (v == null) {
            o.i32(-1);
            return;
          }
          List<?> l = (List<?>) v;
          o.i32(l.size());
          for (Object e : l) {
            elem.write(o, e);
          }
        }

        public Object read(In i) {
          int n = i.i32();
          if (n < 0) {
            return null;
          }
          i.checkCount(n);
          Object[] a = new Object[n];
          for (int k = 0; k < n; k++) {
            a[k] = elem.read(i);
          }
          return Arrays.asList(a);
        }
      };
    }
    if (t instanceof ParameterizedType p
        && p.getRawType() == Map.class
        && p.getActualTypeArguments()[0] == String.class
        && p.getActualTypeArguments()[1] == Double.class) {
      return new FieldCodec() {
        public void write(Out o, Object v) {
          if (v == null) {
            o.i32(-1);
            return;
          }
          Map<?, ?> m = (Map<?, ?>) v;
          o.i32(m.size());
          for (Map.Entry<?, ?> e : m.entrySet()) {
            o.bytes(((String) e.getKey()).getBytes(StandardCharsets.UTF_8));
            o.i64(Double.doubleToRawLongBits((Double) e.getValue()));
          }
        }

        public Object read(In i) {
          int n = i.i32();
          if (n < 0) {
            return null;
          }
          i.checkCount(n);
          Map<String, Double> m = new LinkedHashMap<>();
          for (int k = 0; k < n; k++) {
            byte[] key = i.bytes();
            if (key == null) {
              throw new IllegalArgumentException("null map key at offset " + i.pos);
            }
            m.put(new String(key, StandardCharsets.UTF_8), Double.longBitsToDouble(i.i64()));
          }
          return m;
        }
      };
    }
    throw new IllegalStateException("no codec for " + t + " in " + where);
  }

  private static FieldCodec enumCodec(Class<?> type, String where) {
    Object[] constants = type.getEnumConstants();
    if (constants.length > 254) {
      throw new IllegalStateException(
          "enum " + type.getName() + " in " + where + " has more than 254 constants");
    }
    String name =
        type.getEnclosingClass() == null
            ? type.getSimpleName()
            : type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
    return new FieldCodec() {
      public void write(Out o, Object v) {
        o.u8(v == null ? 0 : ((Enum<?>) v).ordinal() + 1);
      }

      public Object read(In i) {
        int at = i.pos;
        int code = i.u8();
        if (code == 0) {
          return null;
        }
        if (code > constants.length) {
          throw new IllegalArgumentException(
              "unknown "
                  + name
                  + " ordinal "
                  + (code - 1)
                  + " in "
                  + where
                  + " at offset "
                  + at
                  + " (this process knows "
                  + constants.length
                  + " values): peer runs another Weft version?");
        }
        return constants[code - 1];
      }
    };
  }

  // ------------------------------------------------------------------ buffers

  static final class Out {
    byte[] buf;
    int pos;

    Out(int size) {
      buf = new byte[size];
    }

    void ensure(int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }

    void u8(int v) {
      ensure(1);
      buf[pos++] = (byte) v;
    }

    void i32(int v) {
      ensure(4);
      buf[pos++] = (byte) (v >>> 24);
      buf[pos++] = (byte) (v >>> 16);
      buf[pos++] = (byte) (v >>> 8);
      buf[pos++] = (byte) v;
    }

    void i64(long v) {
      i32((int) (v >>> 32));
      i32((int) v);
    }

    void bytes(byte[] b) {
      if (b == null) {
        i32(-1);
        return;
      }
      i32(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    byte[] toArray() {
      return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }
  }

  static final class In {
    final byte[] buf;
    int pos;

    In(byte[] buf) {
      this.buf = buf;
    }

    private void need(int n) {
      if (n < 0 || n > buf.length - pos) {
        throw new IllegalArgumentException(
            "truncated message: needs " + n + " bytes at offset " + pos + " of " + buf.length);
      }
    }

    void checkCount(int n) {
      if (n > buf.length - pos) {
        throw new IllegalArgumentException("implausible element count " + n + " at offset " + pos);
      }
    }

    int u8() {
      need(1);
      return buf[pos++] & 0xff;
    }

    int i32() {
      need(4);
      int v =
          (buf[pos] & 0xff) << 24
              | (buf[pos + 1] & 0xff) << 16
              | (buf[pos + 2] & 0xff) << 8
              | (buf[pos + 3] & 0xff);
      pos += 4;
      return v;
    }

    long i64() {
      return ((long) i32() << 32) | (i32() & 0xffffffffL);
    }

    byte[] bytes() {
      int n = i32();
      if (n == -1) {
        return null;
      }
      need(n);
      byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return b;
    }
  }
}
