package io.zkrollup.aggregator.cli;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

/**
 * An account key's seed in a file (64 hex digits), which {@code zkrollup keygen --out} writes and
 * the wallet commands read: a key never goes on a command line, where {@code ps} and shell history
 * would show it.
 */
final class WalletKeyFile {

  private WalletKeyFile() {}

  /** Writes {@code seed} as hex to a new file only its owner can read. */
  static void write(Path file, byte[] seed) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system
    }
    Files.writeString(file, HexFormat.of().formatHex(seed) + "\n", StandardCharsets.US_ASCII);
  }

  /**
   * The seed in {@code file}.
   *
   * @throws IllegalArgumentException if it cannot be read or does not hold 32 bytes of hex
   */
  static byte[] read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the key file " + file + ": " + e.getMessage(), e);
    }
    String hex = text.startsWith("0x") ? text.substring(2) : text;
    if (!hex.matches("[0-9a-fA-F]{" + 2 * EdDsaPrivateKey.SEED_BYTES + "}")) {
      throw new IllegalArgumentException("the key file " + file + " must hold one seed of " + EdDsaPrivateKey.SEED_BYTES + " bytes as hex (zkrollup keygen --out writes one)");
    }
    return HexFormat.of().parseHex(hex);
  }
}
