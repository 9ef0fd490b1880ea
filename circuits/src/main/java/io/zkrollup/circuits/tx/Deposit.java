package io.zkrollup.circuits.tx;

import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A deposit from the L1 priority queue: the {@code token} account of {@code keyHash} owned by {@code
 * owner} receives {@code amount} at index {@code to}. If {@code to} is empty it becomes that account
 * with nonce 0; otherwise it must be that account (the same idHash). Not signed (the L1 contract
 * authorised it). The node places a deposit at the account with its idHash, else at the lowest empty
 * leaf ({@code Ledger.placement}).
 *
 * @param to the account index, {@code < 2^32}
 * @param keyHash {@code compress(pubKeyX, pubKeyY)} of the account's key, as the deposit named it
 * @param owner the L1 address that owns the account (who may force a withdrawal or exit it)
 * @param amount the exact amount in the token's smallest unit, {@code < 2^104}
 * @param token the account's token, {@code < 2^16}; 0 is ETH
 */
public record Deposit(long to, Fr keyHash, L1Address owner, BigInteger amount, int token) implements PriorityOp {

  /** The priority kind of a deposit. */
  public static final int KIND = 0;

  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException if the index is not 32 bits, the amount not below 2^104 or
   *     the token not below 2^16
   */
  public Deposit {
    Ranges.checkU32("to", to);
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(owner, "owner");
    Ranges.checkBits("deposit amount", amount, Ranges.DEPOSIT_BITS);
    Ranges.checkToken("token", token);
  }

  /** An ETH deposit (token 0). */
  public Deposit(long to, Fr keyHash, L1Address owner, BigInteger amount) {
    this(to, keyHash, owner, amount, 0);
  }

  @Override
  public int kind() {
    return KIND;
  }

  @Override
  public long account() {
    return to;
  }

  /** The idHash of the account it goes to, {@code compress(keyHash, owner·2^32 + token)}: what L1 posts. */
  public Fr idHash(Poseidon2 poseidon2) {
    return AccountLeaf.idHash(poseidon2, keyHash, owner.owner(), token);
  }
}
