package io.zkrollup.prover.nativebridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlatformTest {

  @Test
  void normalisesJvmNames() {
    assertThat(Platform.fromJvm("Linux", "amd64").id()).isEqualTo("linux-x86_64");
    assertThat(Platform.fromJvm("Linux", "aarch64").id()).isEqualTo("linux-aarch64");
    assertThat(Platform.fromJvm("Mac OS X", "aarch64").id()).isEqualTo("macos-aarch64");
    assertThat(Platform.fromJvm("Mac OS X", "x86_64").resourceName())
        .isEqualTo("/native/macos-x86_64/libzkprover.dylib");
    assertThat(Platform.fromJvm("Linux", "amd64").resourceName())
        .isEqualTo("/native/linux-x86_64/libzkprover.so");
    assertThat(Platform.fromJvm("Windows 11", "amd64").id()).isEqualTo("windows_11-x86_64");
  }

  @Test
  void parsesNativeVersionLines() {
    NativeVersions v =
        NativeVersions.parse("libzkprover=1.2\ngnark=v0.16.3\ngnark-crypto=v0.21.0\ngo=go1.26\n".getBytes());
    assertThat(v).isEqualTo(new NativeVersions("1.2", "v0.16.3", "v0.21.0", "go1.26", "unknown", "none"));
    assertThat(v.gpuProvingCompiledIn()).isFalse();
    assertThat(NativeVersions.parse("gpu=icicle\n".getBytes()).gpuProvingCompiledIn()).isTrue();
  }
}
