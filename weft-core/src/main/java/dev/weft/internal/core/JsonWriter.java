package dev.weft.internal.core;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/**
 * JSON of plain data (the state records of {@code weft list --json}, {@code weft timeline}, {@code
 * weft status --json} and the dashboard's API): records as objects (their components in order),
 * maps with string keys, collections, strings, numbers (integral doubles without a fraction),
 * booleans and null. Written by hand: Weft's processes carry no JSON library. Strings escape {@code
 * <}, so the text never closes a script tag in a page.
 */
public final class JsonWriter {
  private JsonWriter() {}

  public static String of(Object v) {
    StringBuilder b = new StringBuilder(256);
    write(b, v);
    return b.toString();
  }

  public static void write(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("null");
      case String s -> string(b, s);
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
          string(b, String.valueOf(e.getKey()));
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
          string(b, rc.getName());
          b.append(':');
          try {
            java.lang.reflect.Method get = rc.getAccessor();
            get.setAccessible(true); // records of other packages, not public ones
            write(b, get.invoke(r));
          } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + rc, e);
          }
        }
        b.append('}');
      }
      default -> string(b, v.toString());
    }
  }

  /** {@code s} as a JSON string (null as null). */
  public static void string(StringBuilder b, String s) {
    if (s == null) {
      b.append("null");
      return;
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '<' -> b.append("\\u003c");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
