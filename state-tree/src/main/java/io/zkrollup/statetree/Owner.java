package io.zkrollup.statetree;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The L1 (Ethereum) address that owns an account (docs/protocol.md, "Accounts have an owner"): the
 * only L1 identity that may force a withdrawal from the account or exit it. The state tree commits
 * to it as a 160-bit integer inside the account's {@code idHash}. (The circuits module's {@code
 * L1Address} is the same 20 bytes as a destination; it converts to and from this type.)
 *
 * @param address the address as an unsigned 160-bit integer
 */
public record Owner(BigInteger address) {

  /** Size of an address in bytes. */
  public static final int BYTES = 20;

  /** The zero address (the owner of accounts whose deposit named none). */
  public static final Owner ZERO = new Owner(BigInteger.ZERO);

  /**
   * Validates the range.
   *
   * @throws IllegalArgumentException if the address is negative or ≥ 2^160
   */
  public Owner {
    Objects.requireNonNull(address, "address");
    if (address.signum() < 0 || address.bitLength() > 8 * BYTES) {
      throw new IllegalArgumentException("an owner is a 160-bit address, got " + address);
    }
  }

  /**
   * The owner with these 20 bytes (big-endian).
   *
   * @throws IllegalArgumentException if there are not exactly 20 bytes
   */
  public static Owner of(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("an owner is " + BYTES + " bytes, got " + bytes.length);
    }
    return new Owner(new BigInteger(1, bytes));
  }

  /** Parses 40 hex digits, with or without {@code 0x}. */
  public static Owner fromHex(String hex) {
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    return of(HexFormat.of().parseHex(digits));
  }

  /** The 20 bytes, big-endian. */
  public byte[] toBytes() {
    byte[] out = new byte[BYTES];
    byte[] raw = address.toByteArray(); // may have a leading sign byte
    int n = Math.min(raw.length, BYTES);
    System.arraycopy(raw, raw.length - n, out, BYTES - n, n);
    return out;
  }

  @Override
  public String toString() {
    return "0x" + HexFormat.of().formatHex(toBytes());
  }
}
