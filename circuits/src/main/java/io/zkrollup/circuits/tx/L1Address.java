package io.zkrollup.circuits.tx;

import io.zkrollup.statetree.Owner;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 20-byte L1 (Ethereum) address: the destination of a withdrawal, the owner a deposit names, the
 * requester of a forced withdrawal. Immutable. The state tree holds an account's owner as {@link
 * Owner} (state-tree does not know this module); {@link #owner()} and {@link #of(Owner)} convert.
 */
public final class L1Address {

  /** Size in bytes. */
  public static final int BYTES = 20;

  private final byte[] bytes;

  private L1Address(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The address with these 20 bytes (copied).
   *
   * @throws IllegalArgumentException if there are not exactly 20 bytes
   */
  public static L1Address of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("an L1 address is " + BYTES + " bytes, got " + bytes.length);
    }
    return new L1Address(bytes.clone());
  }

  /**
   * Parses 40 hex digits, with or without {@code 0x}.
   *
   * @throws IllegalArgumentException if it is not 20 bytes of hex
   */
  public static L1Address fromHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    return of(HexFormat.of().parseHex(digits));
  }

  /** The address of an account's owner. */
  public static L1Address of(Owner owner) {
    return new L1Address(Objects.requireNonNull(owner, "owner").toBytes());
  }

  /** This address as an account owner. */
  public Owner owner() {
    return Owner.of(bytes);
  }

  /** The 20 bytes (a copy). */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The address as a 160-bit unsigned integer (big-endian), as the signed message uses it. */
  public BigInteger toBigInteger() {
    return new BigInteger(1, bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L1Address other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
