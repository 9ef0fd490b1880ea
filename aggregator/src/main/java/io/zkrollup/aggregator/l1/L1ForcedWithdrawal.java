package io.zkrollup.aggregator.l1;

import io.zkrollup.circuits.tx.L1Address;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.web3j.utils.Numeric;

/**
 * A forced withdrawal in the L1 priority queue: {@code requester} asks, on L1, that {@code amount}
 * of {@code token} in {@code account} be paid to it. Anyone may ask; the batch that consumes it
 * proves it paid (the requester owns the account, the account holds the token and the balance
 * covers the amount: kind 1, the contract credits the requester in that token) or refused (kind 2,
 * nothing changes). docs/protocol.md, "Protocol v2" and "Protocol v3".
 *
 * @param index its place in the queue
 * @param account the account index (below 2^D, which the contract checked)
 * @param token the token asked for (0 for ETH; a listed id, which the contract checked)
 * @param requester the L1 address that asked (msg.sender of {@code forceWithdraw})
 * @param amount 1 … 2^128 − 1
 */
public record L1ForcedWithdrawal(long index, long account, long token, L1Address requester, BigInteger amount) implements PriorityRequest {

  /** The kind byte of a forced withdrawal in the request bytes (and of a paid one in the public data). */
  public static final int KIND = 1;

  /** The kind byte of a refused forced withdrawal in the public data. */
  public static final int KIND_REFUSED = 2;

  /** Checks for nulls and ranges. */
  public L1ForcedWithdrawal {
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(amount, "amount");
    if (index < 0 || account < 0 || account >= 1L << 32 || token < 0 || token >= 1L << AccountId.TOKEN_BITS || amount.signum() <= 0 || amount.bitLength() > 128) {
      throw new IllegalArgumentException("forced withdrawal " + index + " of " + amount + " of token " + token + " from account " + account + ": out of range");
    }
  }

  /** A forced withdrawal of ETH (token 0). */
  public L1ForcedWithdrawal(long index, long account, L1Address requester, BigInteger amount) {
    this(index, account, AccountId.TOKEN_ETH, requester, amount);
  }

  /** {@code 0x01 ‖ account (4) ‖ token (2) ‖ requester (20) ‖ amount (16)} (protocol v3). */
  @Override
  public byte[] requestBytes() {
    return ByteBuffer.allocate(1 + 4 + 2 + L1Address.BYTES + 16)
        .put((byte) KIND)
        .putInt((int) account)
        .putShort((short) token)
        .put(requester.toBytes())
        .put(Numeric.toBytesPadded(amount, 16))
        .array();
  }
}
