package io.zkrollup.prover.nativebridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Finds libzkprover for a platform and loads it into the JVM.
 *
 * <p>The library normally comes from the prover-native jar: it is copied into a fresh private
 * temporary directory (owner-only permissions), loaded with {@link System#load}, and the copy is
 * deleted at once (the loaded mapping stays valid). The system property {@value
 * #LIBRARY_PATH_PROPERTY} names a library file to load instead, e.g. a GPU (ICICLE) build.
 */
public final class NativeLibraryLoader {

  /** System property naming a libzkprover file to load instead of the jar's copy. */
  public static final String LIBRARY_PATH_PROPERTY = "zkprover.library.path";

  private final Platform platform;
  private final Class<?> resourceAnchor;

  /**
   * @param platform the platform whose library to load
   * @param resourceAnchor a class whose class loader sees the library resources
   */
  public NativeLibraryLoader(Platform platform, Class<?> resourceAnchor) {
    this.platform = platform;
    this.resourceAnchor = resourceAnchor;
  }

  /** A loader for this JVM's platform, reading the prover-native jar. */
  public static NativeLibraryLoader forCurrentPlatform() {
    return new NativeLibraryLoader(Platform.current(), NativeLibraryLoader.class);
  }

  /**
   * The packaged library for this loader's platform.
   *
   * @throws NativeLibraryUnavailableException if the jar holds no library for the platform
   */
  public URL locate() {
    URL url = resourceAnchor.getResource(platform.resourceName());
    if (url == null) {
      throw new NativeLibraryUnavailableException(
          "libzkprover is not packaged for platform "
              + platform.id()
              + ": the prover-native jar has no resource "
              + platform.resourceName()
              + ". Build prover-native on a "
              + platform.id()
              + " machine (./mvnw package), or point -D"
              + LIBRARY_PATH_PROPERTY
              + "=/path/to/"
              + platform.libraryFileName()
              + " at a library built for it.");
    }
    return url;
  }

  /**
   * Loads the library into this JVM and returns where it was loaded from.
   *
   * @throws NativeLibraryUnavailableException if it is missing or cannot be loaded
   */
  public String load() {
    String override = System.getProperty(LIBRARY_PATH_PROPERTY);
    if (override != null && !override.isBlank()) {
      loadFile(Path.of(override).toAbsolutePath());
      return override;
    }
    URL url = locate();
    Path dir = null;
    Path file = null;
    try {
      dir =
          Files.createTempDirectory(
              "zkprover-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      file = dir.resolve(platform.libraryFileName());
      try (InputStream in = url.openStream()) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      loadFile(file);
      return url.toString();
    } catch (IOException e) {
      throw new NativeLibraryUnavailableException(
          "cannot extract libzkprover from " + url + " to a temporary directory: " + e.getMessage(), e);
    } finally {
      deleteQuietly(file);
      deleteQuietly(dir);
    }
  }

  private static void loadFile(Path file) {
    try {
      System.load(file.toString());
    } catch (UnsatisfiedLinkError e) {
      throw new NativeLibraryUnavailableException("cannot load " + file + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the extracted library copy " + path, e);
    }
  }
}
