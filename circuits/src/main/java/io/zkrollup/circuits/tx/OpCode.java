package io.zkrollup.circuits.tx;

/**
 * The operation codes of batch slots (docs/protocol.md, "Operations"), with the number of 10-byte
 * public-data chunks each op spans.
 */
public enum OpCode {
  /** Nothing: padding, or a continuation chunk of the op before it. */
  NOOP(0, 1, false),
  /** A signed transfer between two existing accounts. */
  TRANSFER(1, 1, true),
  /** A request from the L1 priority queue, a deposit or a forced withdrawal; not signed. */
  PRIORITY(2, 5, false),
  /** A signed withdrawal to an L1 address. */
  WITHDRAWAL(3, 4, true);

  private final int code;
  private final int chunks;
  private final boolean signed;

  OpCode(int code, int chunks, boolean signed) {
    this.code = code;
    this.chunks = chunks;
    this.signed = signed;
  }

  /** The 2-bit code. */
  public int code() {
    return code;
  }

  /** How many slots (10-byte chunks) the op spans; the slots after the first are no-ops. */
  public int chunks() {
    return chunks;
  }

  /** Whether the op is signed (and so pays the batch fee). */
  public boolean signed() {
    return signed;
  }
}
