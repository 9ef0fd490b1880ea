package io.zkrollup.aggregator.l1;

/** What bytes cost as Ethereum calldata. */
public final class L1Calldata {

  private static final long ZERO_BYTE_GAS = 4;
  private static final long NON_ZERO_BYTE_GAS = 16;

  private L1Calldata() {}

  /** The calldata gas of {@code data} (EIP-2028: 16 per non-zero byte, 4 per zero byte). */
  public static long gas(byte[] data) {
    long gas = 0;
    for (byte b : data) {
      gas += b == 0 ? ZERO_BYTE_GAS : NON_ZERO_BYTE_GAS;
    }
    return gas;
  }
}
