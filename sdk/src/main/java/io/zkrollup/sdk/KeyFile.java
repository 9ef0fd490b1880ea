package io.zkrollup.sdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

/**
 * An account key's seed in a file: 64 hex digits (an optional {@code 0x}) and a newline, readable
 * by its owner only. {@code zkrollup keygen --out} and {@code zkrollup wallet new-key} write it,
 * the wallet commands read it. A key never goes on a command line, where {@code ps} and shell
 * history would show it.
 */
public final class KeyFile {

  private KeyFile() {}

  /**
   * Writes {@code key}'s seed to a new file that only its owner can read; never overwrites.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists
   * @throws IOException if it cannot be written
   */
  public static void write(Path file, AccountKey key) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system
    }
    byte[] seed = key.seed();
    Files.writeString(file, HexFormat.of().formatHex(seed) + "\n", StandardCharsets.US_ASCII);
    java.util.Arrays.fill(seed, (byte) 0);
  }

  /**
   * The key in {@code file}.
   *
   * @throws IllegalArgumentException if it cannot be read or does not hold a 32-byte seed as hex
   */
  public static AccountKey read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the key file " + file + ": " + e.getMessage(), e);
    }
    String hex = text.startsWith("0x") ? text.substring(2) : text;
    if (!hex.matches("[0-9a-fA-F]{" + 2 * AccountKey.SEED_BYTES + "}")) {
      throw new IllegalArgumentException(
          "the key file " + file + " must hold one seed of " + AccountKey.SEED_BYTES + " bytes as hex (zkrollup wallet new-key writes one)");
    }
    byte[] seed = HexFormat.of().parseHex(hex);
    try {
      return AccountKey.fromSeed(seed);
    } finally {
      java.util.Arrays.fill(seed, (byte) 0);
    }
  }
}
