package io.zkrollup.aggregator.l1;

import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Objects;
import org.web3j.utils.Numeric;

/**
 * A deposit in the L1 priority queue: {@code amount} of {@code token} into the account (keyHash,
 * owner, token), whose id hash the contract computed ({@link AccountId#idHash}). The node places it
 * at the account with that id hash, or at the lowest empty leaf.
 *
 * @param index its place in the queue, from 0
 * @param keyHash the account key's hash
 * @param owner the L1 address that may force withdrawals from the account and exit it
 * @param token 0 for ETH, else the id Rollup.sol listed the ERC-20 token under (below 2^16)
 * @param idHash {@code compress(keyHash, owner · 2^32 + token)}, what the account's leaf holds
 * @param amount wei or token units, below 2^104
 * @param depositor who paid it (a refund in exodus goes there)
 */
public record L1Deposit(long index, Fr keyHash, L1Address owner, long token, Fr idHash, BigInteger amount, L1Address depositor) implements PriorityRequest {

  /** The kind byte of a deposit in the request bytes and the public data. */
  public static final int KIND = 0;

  /** Bytes of a deposit amount in the request bytes and the public data (amounts are below 2^104). */
  public static final int AMOUNT_BYTES = 13;

  /** Checks for nulls and the amount's range. */
  public L1Deposit {
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(idHash, "idHash");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(depositor, "depositor");
    if (index < 0 || amount.signum() < 0 || amount.bitLength() > 8 * AMOUNT_BYTES || token < 0 || token >= 1L << AccountId.TOKEN_BITS) {
      throw new IllegalArgumentException("deposit " + index + " of " + amount + " of token " + token + ": the index must be ≥ 0, the amount below 2^104 and the token below 2^16");
    }
  }

  /** A deposit of ETH (token 0). */
  public L1Deposit(long index, Fr keyHash, L1Address owner, Fr idHash, BigInteger amount, L1Address depositor) {
    this(index, keyHash, owner, AccountId.TOKEN_ETH, idHash, amount, depositor);
  }

  /** {@code 0x00 ‖ idHash (32) ‖ amount (13)}. */
  @Override
  public byte[] requestBytes() {
    byte[] b = new byte[1 + 32 + AMOUNT_BYTES];
    b[0] = KIND;
    System.arraycopy(idHash.toBytes(), 0, b, 1, 32);
    System.arraycopy(Numeric.toBytesPadded(amount, AMOUNT_BYTES), 0, b, 33, AMOUNT_BYTES);
    return b;
  }
}
