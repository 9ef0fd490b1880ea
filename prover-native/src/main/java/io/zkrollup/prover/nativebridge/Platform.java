package io.zkrollup.prover.nativebridge;

import java.util.Locale;

/**
 * An operating system and CPU architecture pair, named the way the prover-native jar lays out its
 * native libraries: {@code native/<os>-<arch>/libzkprover.<ext>}, e.g. {@code linux-x86_64}.
 *
 * @param os {@code linux}, {@code macos}, or the JVM's lower-cased {@code os.name} for others
 * @param arch {@code x86_64}, {@code aarch64}, or the JVM's {@code os.arch} for others
 */
public record Platform(String os, String arch) {

  /** The platform this JVM runs on. */
  public static Platform current() {
    return fromJvm(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /** Normalises the JVM's {@code os.name} and {@code os.arch} values. */
  public static Platform fromJvm(String osName, String osArch) {
    String name = osName.toLowerCase(Locale.ROOT);
    String os =
        name.startsWith("linux")
            ? "linux"
            : name.startsWith("mac") || name.startsWith("darwin") ? "macos" : name.replace(' ', '_');
    String arch =
        switch (osArch.toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64", "x86-64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch64";
          default -> osArch.toLowerCase(Locale.ROOT);
        };
    return new Platform(os, arch);
  }

  /** The directory name inside {@code native/}, e.g. {@code linux-x86_64}. */
  public String id() {
    return os + "-" + arch;
  }

  /** The library's file name on this platform. */
  public String libraryFileName() {
    return "macos".equals(os) ? "libzkprover.dylib" : "libzkprover.so";
  }

  /** The absolute classpath resource name of the library for this platform. */
  public String resourceName() {
    return "/native/" + id() + "/" + libraryFileName();
  }
}
