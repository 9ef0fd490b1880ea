package io.zkrollup.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What the SDK's users get, checked on the packaged jar and the SDK's own class path (the enforcer
 * rule of sdk/pom.xml bans the artifacts; this checks the bytes): no native library in the jar, and
 * neither the prover's native library, RocksDB nor web3j reachable.
 */
class SdkJarIT {

  @Test
  void theJarCarriesNoNativeLibrary() throws Exception {
    Path jar = Path.of(System.getProperty("rollup.sdk.jar", "target/rollup-sdk.jar"));
    assertThat(jar).as("the packaged SDK (mvn package)").exists();
    List<String> entries = new ArrayList<>();
    List<String> natives = new ArrayList<>();
    try (JarFile f = new JarFile(jar.toFile())) {
      for (JarEntry e : java.util.Collections.list(f.entries())) {
        entries.add(e.getName());
        String n = e.getName().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".so") || n.endsWith(".dylib") || n.endsWith(".dll") || n.endsWith(".jnilib") || n.startsWith("native/")) {
          natives.add(e.getName());
        }
      }
    }
    assertThat(entries).contains("io/zkrollup/sdk/RollupClient.class");
    assertThat(natives).as("native libraries in %s", jar).isEmpty();
    assertThat(Files.size(jar)).as("the SDK's own classes only, not a shaded jar").isLessThan(1 << 20);
  }

  @Test
  void neitherTheProverNorRocksDbNorWeb3jIsOnTheClassPath() {
    ClassLoader loader = getClass().getClassLoader();
    assertThat(loader.getResource("native/linux-x86_64/libzkprover.so")).isNull();
    assertThat(loader.getResource("io/zkrollup/prover/nativebridge/LibZkProver.class")).isNull();
    assertThat(loader.getResource("org/rocksdb/RocksDB.class")).isNull();
    assertThat(loader.getResource("org/web3j/protocol/Web3j.class")).isNull();
    assertThat(loader.getResource("io/zkrollup/aggregator/node/RollupNode.class")).isNull();
  }
}
