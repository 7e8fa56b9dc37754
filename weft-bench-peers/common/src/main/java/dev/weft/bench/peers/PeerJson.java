package dev.weft.bench.peers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks' JSON, without a dependency: {@link #write} writes maps (in iteration order),
 * collections, {@code double[]}, strings, numbers, booleans and null on one line (the driver
 * protocol); {@link #writeIndented} writes the same indented, with doubles rounded to 3 decimals
 * (the result files); {@link #parse} reads objects (as {@link LinkedHashMap}), arrays (as {@link
 * List}), strings, numbers (as {@link Double}, or {@link Long} when integral and written without a
 * fraction or exponent), booleans and null.
 */
public final class PeerJson {
  private PeerJson() {}

  /** One line of JSON, no trailing newline. NaN and infinities become null. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, -1);
    return out.toString();
  }

  /**
   * JSON indented by two spaces, with a trailing newline, doubles rounded to 3 decimals in plain
   * notation. NaN and infinities become null.
   */
  public static String writeIndented(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0);
    return out.append('\n').toString();
  }

  /** {@code depth} < 0: one line, exact numbers; otherwise indented at that depth, rounded. */
  private static void write(StringBuilder out, Object value, int depth) {
    boolean pretty = depth >= 0;
    switch (value) {
      case null -> out.append("null");
      case String s -> string(out, s);
      case Boolean b -> out.append(b);
      case Integer i -> out.append(i);
      case Long l -> out.append(l);
      case Short sh -> out.append(sh);
      case Byte b -> out.append(b);
      case Number n -> number(out, n.doubleValue(), pretty);
      case double[] a -> {
        out.append('[');
        for (int i = 0; i < a.length; i++) {
          if (i > 0) {
            out.append(pretty ? ", " : ",");
          }
          number(out, a[i], pretty);
        }
        out.append(']');
      }
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append(pretty ? "{\n" : "{");
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        while (it.hasNext()) {
          Map.Entry<?, ?> e = it.next();
          indent(out, depth + 1);
          string(out, String.valueOf(e.getKey()));
          out.append(pretty ? ": " : ":");
          write(out, e.getValue(), pretty ? depth + 1 : -1);
          separator(out, it.hasNext(), pretty);
        }
        indent(out, depth);
        out.append('}');
      }
      case Collection<?> c -> {
        if (c.isEmpty()) {
          out.append("[]");
          return;
        }
        out.append(pretty ? "[\n" : "[");
        Iterator<?> it = c.iterator();
        while (it.hasNext()) {
          indent(out, depth + 1);
          write(out, it.next(), pretty ? depth + 1 : -1);
          separator(out, it.hasNext(), pretty);
        }
        indent(out, depth);
        out.append(']');
      }
      default -> string(out, value.toString());
    }
  }

  private static void separator(StringBuilder out, boolean more, boolean pretty) {
    if (pretty) {
      out.append(more ? ",\n" : "\n");
    } else if (more) {
      out.append(',');
    }
  }

  private static void indent(StringBuilder out, int depth) {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }

  /** A number as {@link #writeIndented} writes it (3 decimals, plain notation). */
  static String rounded(double d) {
    StringBuilder out = new StringBuilder();
    number(out, d, true);
    return out.toString();
  }

  private static void number(StringBuilder out, double d, boolean round) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      out.append("null");
    } else if (round) {
      BigDecimal v = BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros();
      out.append(v.signum() == 0 ? "0" : v.toPlainString());
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      out.append((long) d);
    } else {
      out.append(BigDecimal.valueOf(d).toString());
    }
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

  /**
   * Parses one JSON value.
   *
   * @throws IllegalArgumentException when {@code text} is not JSON (says where)
   */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.pos != text.length()) {
      throw p.error("trailing characters");
    }
    return v;
  }

  private static final class Parser {
    final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      String near = s.substring(pos, Math.min(s.length(), pos + 20));
      return new IllegalArgumentException(
          "not JSON: " + what + " at character " + pos + " (near '" + near + "')");
    }

    void ws() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    Object value() {
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> str();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> num();
      };
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return v;
    }

    Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      pos++;
      ws();
      if (peek() == '}') {
        pos++;
        return m;
      }
      while (true) {
        ws();
        if (peek() != '"') {
          throw error("expected a key");
        }
        String k = str();
        ws();
        expect(':');
        ws();
        m.put(k, value());
        ws();
        char c = next();
        if (c == '}') {
          return m;
        }
        if (c != ',') {
          pos--;
          throw error("expected , or }");
        }
      }
    }

    List<Object> array() {
      List<Object> l = new ArrayList<>();
      pos++;
      ws();
      if (peek() == ']') {
        pos++;
        return l;
      }
      while (true) {
        ws();
        l.add(value());
        ws();
        char c = next();
        if (c == ']') {
          return l;
        }
        if (c != ',') {
          pos--;
          throw error("expected , or ]");
        }
      }
    }

    String str() {
      pos++;
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return b.toString();
        }
        if (c == '\\') {
          char e = next();
          switch (e) {
            case '"', '\\', '/' -> b.append(e);
            case 'n' -> b.append('\n');
            case 'r' -> b.append('\r');
            case 't' -> b.append('\t');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'u' -> {
              if (pos + 4 > s.length()) {
                throw error("bad \\u escape");
              }
              b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
              pos += 4;
            }
            default -> throw error("bad escape");
          }
        } else {
          b.append(c);
        }
      }
    }

    Object num() {
      int start = pos;
      boolean integral = true;
      while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
        if (".eE".indexOf(s.charAt(pos)) >= 0) {
          integral = false;
        }
        pos++;
      }
      if (start == pos) {
        throw error("unexpected character");
      }
      String t = s.substring(start, pos);
      try {
        return integral ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
      } catch (NumberFormatException e) {
        pos = start;
        throw error("bad number");
      }
    }

    char peek() {
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(pos);
    }

    char next() {
      char c = peek();
      pos++;
      return c;
    }

    void expect(char c) {
      if (next() != c) {
        pos--;
        throw error("expected " + c);
      }
    }
  }
}
