package dev.weft.cli;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/**
 * JSON of the state records ({@code weft list --json}, {@code weft timeline}): records as objects
 * (their components in order), maps with string keys, collections, strings, numbers, booleans and
 * null. Written by hand, as {@link StatusJson}: the CLI carries no JSON library.
 */
final class Json {
  private Json() {}

  static String of(Object v) {
    StringBuilder b = new StringBuilder(256);
    write(b, v);
    return b.toString();
  }

  static void write(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("null");
      case String s -> StatusJson.string(b, s);
      case Double d when d.isNaN() || d.isInfinite() -> b.append("null");
      case Double d when d == Math.rint(d) && Math.abs(d) < 1e15 -> b.append((long) (double) d);
      case Float f -> write(b, (double) f);
      case Number n -> b.append(n);
      case Boolean z -> b.append(z);
      case Map<?, ?> m -> {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          b.append(first ? "" : ",");
          first = false;
          StatusJson.string(b, String.valueOf(e.getKey()));
          b.append(':');
          write(b, e.getValue());
        }
        b.append('}');
      }
      case Collection<?> c -> {
        b.append('[');
        boolean first = true;
        for (Object o : c) {
          b.append(first ? "" : ",");
          first = false;
          write(b, o);
        }
        b.append(']');
      }
      case Record r -> {
        b.append('{');
        boolean first = true;
        for (RecordComponent rc : r.getClass().getRecordComponents()) {
          b.append(first ? "" : ",");
          first = false;
          StatusJson.string(b, rc.getName());
          b.append(':');
          try {
            write(b, rc.getAccessor().invoke(r));
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + rc, e);
          }
        }
        b.append('}');
      }
      default -> StatusJson.string(b, v.toString());
    }
  }
}
