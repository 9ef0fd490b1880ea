package io.zkrollup.aggregator.cli;

import java.math.BigInteger;
import picocli.CommandLine;

/**
 * Parses a command-line field element, decimal or {@code 0x}-hex, into the 32-byte big-endian wire
 * form. Range against the field modulus is left to libzkprover, which refuses non-canonical values.
 */
final class FieldElementArgument implements CommandLine.ITypeConverter<byte[]> {

  @Override
  public byte[] convert(String text) {
    BigInteger value;
    try {
      value =
          text.startsWith("0x") || text.startsWith("0X")
              ? new BigInteger(text.substring(2), 16)
              : new BigInteger(text);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + text + "' is not a decimal or 0x-hex number");
    }
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new CommandLine.TypeConversionException("'" + text + "' does not fit in 32 unsigned bytes");
    }
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, 32 - len, len);
    return out;
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder("0x");
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }
}
