package io.zkrollup.prover.nativebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The library is loaded from the prover-native jar, and a missing platform says what is missing. */
class NativeLibraryLoaderIT {

  @Test
  void loadsTheLibraryPackagedInTheJar() {
    String codeSource = LibZkProver.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertThat(codeSource).as("these tests must run against the packaged jar").endsWith(".jar");

    LibZkProver prover = LibZkProver.load();
    assertThat(prover.source())
        .startsWith("jar:file:")
        .contains("prover-native")
        .endsWith("!" + Platform.current().resourceName());
  }

  @Test
  void reportsTheVersionsItWasBuiltWith() {
    NativeVersions v = LibZkProver.load().versions();
    assertThat(v.gnark()).isEqualTo("v0.16.3");
    assertThat(v.gnarkCrypto()).isEqualTo("v0.21.0");
    assertThat(v.go()).startsWith("go1.");
    assertThat(v.library()).isNotIn("dev", "unknown");
  }

  @Test
  void aPlatformWithoutALibraryGetsOneClearException() {
    NativeLibraryLoader loader = new NativeLibraryLoader(new Platform("linux", "riscv64"), LibZkProver.class);
    assertThatThrownBy(loader::load)
        .isInstanceOf(NativeLibraryUnavailableException.class)
        .hasMessageContaining("not packaged for platform linux-riscv64")
        .hasMessageContaining("/native/linux-riscv64/libzkprover.so");
  }

  @Test
  void anUnloadableOverrideFileIsReportedWithItsPath() {
    String previous = System.setProperty(NativeLibraryLoader.LIBRARY_PATH_PROPERTY, "/nonexistent/libzkprover.so");
    try {
      assertThatThrownBy(() -> NativeLibraryLoader.forCurrentPlatform().load())
          .isInstanceOf(NativeLibraryUnavailableException.class)
          .hasMessageContaining("/nonexistent/libzkprover.so");
    } finally {
      if (previous == null) {
        System.clearProperty(NativeLibraryLoader.LIBRARY_PATH_PROPERTY);
      } else {
        System.setProperty(NativeLibraryLoader.LIBRARY_PATH_PROPERTY, previous);
      }
    }
  }
}
