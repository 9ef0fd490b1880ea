package io.zkrollup.benchmarks.prove;

import io.zkrollup.prover.nativebridge.NativeVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the report says about the machine and the software it measured. */
final class Machine {

  private Machine() {}

  static Map<String, String> describe(NativeVersions v) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("date", Instant.now().toString());
    m.put("cpu", line("/proc/cpuinfo", "model name"));
    m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.put("memory", line("/proc/meminfo", "MemTotal"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("go", v.go());
    m.put("gnark", v.gnark());
    m.put("gnark-crypto", v.gnarkCrypto());
    m.put("libzkprover", v.library() + ", GPU proving: " + v.gpu());
    return m;
  }

  private static String line(String file, String key) {
    try {
      for (String l : Files.readAllLines(Path.of(file))) {
        if (l.startsWith(key)) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }
}
