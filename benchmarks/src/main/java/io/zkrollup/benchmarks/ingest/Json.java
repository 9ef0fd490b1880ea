package io.zkrollup.benchmarks.ingest;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/** A minimal JSON writer for the benchmark's result: maps, lists, records, strings, numbers. */
public final class Json {

  private Json() {}

  /** {@code value} as indented JSON. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object v, int indent) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Double d) {
      sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format(java.util.Locale.ROOT, "%.4f", d).replaceAll("\\.?0+$", ""));
    } else if (v instanceof Float f) {
      write(sb, f.doubleValue(), indent);
    } else if (v instanceof Number) {
      sb.append(v);
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "\n" : ",\n");
        first = false;
        pad(sb, indent + 1);
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), indent + 1);
      }
      if (!first) {
        sb.append('\n');
        pad(sb, indent);
      }
      sb.append('}');
    } else if (v instanceof Collection<?> c) {
      sb.append('[');
      boolean first = true;
      for (Object o : c) {
        sb.append(first ? "\n" : ",\n");
        first = false;
        pad(sb, indent + 1);
        write(sb, o, indent + 1);
      }
      if (!first) {
        sb.append('\n');
        pad(sb, indent);
      }
      sb.append(']');
    } else if (v instanceof Record r) {
      java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
      for (RecordComponent rc : r.getClass().getRecordComponents()) {
        try {
          m.put(rc.getName(), rc.getAccessor().invoke(r));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      write(sb, m, indent);
    } else {
      string(sb, v.toString());
    }
  }

  private static void pad(StringBuilder sb, int indent) {
    sb.append("  ".repeat(indent));
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
