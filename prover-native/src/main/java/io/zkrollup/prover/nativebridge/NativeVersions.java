package io.zkrollup.prover.nativebridge;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the loaded libzkprover was built from.
 *
 * @param library the libzkprover (project) version
 * @param gnark the gnark version, e.g. {@code v0.16.3}
 * @param gnarkCrypto the gnark-crypto version
 * @param go the Go toolchain that built it
 * @param platform the Go {@code GOOS-GOARCH} it was built for
 * @param gpu {@code "icicle"} if GPU proving (BatchProver.useGpu) is compiled in, else {@code
 *     "none"}
 */
public record NativeVersions(
    String library, String gnark, String gnarkCrypto, String go, String platform, String gpu) {

  /** Whether this library can prove on the GPU (built with the icicle tag). */
  public boolean gpuProvingCompiledIn() {
    return "icicle".equals(gpu);
  }

  static NativeVersions parse(byte[] keyValueLines) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : new String(keyValueLines, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new NativeVersions(
        values.getOrDefault("libzkprover", "unknown"),
        values.getOrDefault("gnark", "unknown"),
        values.getOrDefault("gnark-crypto", "unknown"),
        values.getOrDefault("go", "unknown"),
        values.getOrDefault("platform", "unknown"),
        values.getOrDefault("gpu", "none"));
  }
}
