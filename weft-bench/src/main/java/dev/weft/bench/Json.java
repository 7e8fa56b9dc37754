package dev.weft.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * A small hand-written JSON writer (the module takes no JSON dependency). Writes maps (in their
 * iteration order), collections, {@code double[]}, strings, numbers, booleans and null, indented by
 * two spaces. Doubles are rounded to 3 decimals; NaN and infinities become null.
 */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0);
    return out.append('\n').toString();
  }

  private static void write(StringBuilder out, Object value, int depth) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(out, s);
      case Boolean b -> out.append(b);
      case Double d -> number(out, d);
      case Float f -> number(out, f.doubleValue());
      case Integer i -> out.append(i);
      case Long l -> out.append(l);
      case Short sh -> out.append(sh);
      case Byte b -> out.append(b);
      case Number n -> number(out, n.doubleValue());
      case double[] a -> {
        out.append('[');
        for (int i = 0; i < a.length; i++) {
          if (i > 0) {
            out.append(", ");
          }
          number(out, a[i]);
        }
        out.append(']');
      }
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append("{\n");
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        while (it.hasNext()) {
          Map.Entry<?, ?> e = it.next();
          indent(out, depth + 1);
          string(out, String.valueOf(e.getKey()));
          out.append(": ");
          write(out, e.getValue(), depth + 1);
          out.append(it.hasNext() ? ",\n" : "\n");
        }
        indent(out, depth);
        out.append('}');
      }
      case Collection<?> c -> {
        if (c.isEmpty()) {
          out.append("[]");
          return;
        }
        out.append("[\n");
        Iterator<?> it = c.iterator();
        while (it.hasNext()) {
          indent(out, depth + 1);
          write(out, it.next(), depth + 1);
          out.append(it.hasNext() ? ",\n" : "\n");
        }
        indent(out, depth);
        out.append(']');
      }
      default -> string(out, value.toString());
    }
  }

  static String number(double d) {
    StringBuilder out = new StringBuilder();
    number(out, d);
    return out.toString();
  }

  private static void number(StringBuilder out, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      out.append("null");
      return;
    }
    BigDecimal v = BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros();
    if (v.signum() == 0) {
      out.append('0');
    } else {
      out.append(v.toPlainString());
    }
  }

  static String string(String s) {
    StringBuilder out = new StringBuilder();
    string(out, s);
    return out.toString();
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void indent(StringBuilder out, int depth) {
    out.append("  ".repeat(depth));
  }
}
