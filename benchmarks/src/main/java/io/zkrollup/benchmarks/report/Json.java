package io.zkrollup.benchmarks.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/** Benchmark results as indented JSON (Jackson): maps, lists, records, strings, numbers. */
public final class Json {

  /** {@code "key": value}, the layout people write by hand, rather than Jackson's {@code "key" : value}. */
  private static final ObjectWriter WRITER =
      new ObjectMapper()
          .writer(new DefaultPrettyPrinter().withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

  private Json() {}

  /** {@code value} as indented JSON, ending with a newline. */
  public static String write(Object value) {
    try {
      return WRITER.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the report as JSON: " + e.getMessage(), e);
    }
  }
}
