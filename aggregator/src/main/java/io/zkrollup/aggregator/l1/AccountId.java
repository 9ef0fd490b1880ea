package io.zkrollup.aggregator.l1;

import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An account's id hash as protocol v2 defines it and v3 keeps (docs/protocol.md, "Accounts have an
 * owner", "State layout: a token per account"):
 * {@code idHash = compress(keyHash, owner · 2^32 + token)}. Rollup.sol computes it for every
 * deposit (Poseidon2.sol); the node's L1 client recomputes it to check what an RPC node reports, and
 * the L1 tests build exit proofs with it.
 */
public final class AccountId {

  /** The token of ETH; ERC-20 tokens are 1 … 65,535 in the order Rollup.sol lists them. */
  public static final long TOKEN_ETH = 0;

  /** Token ids are 16 bits (protocol v3): bits 16–31 of an account's token slot are 0. */
  public static final int TOKEN_BITS = 16;

  private AccountId() {}

  /** {@code owner · 2^32 + token}: below 2^192, so a canonical field element. */
  public static Fr ownerToken(L1Address owner, long token) {
    Objects.requireNonNull(owner, "owner");
    if (token < 0 || token >= 1L << 32) {
      throw new IllegalArgumentException("a token is 32 bits, got " + token);
    }
    return Fr.of(owner.toBigInteger().shiftLeft(32).add(BigInteger.valueOf(token)));
  }

  /** {@code compress(keyHash, owner · 2^32 + TOKEN_ETH)}. */
  public static Fr idHash(Poseidon2 poseidon2, Fr keyHash, L1Address owner) {
    return idHash(poseidon2, keyHash, owner, TOKEN_ETH);
  }

  /** {@code compress(keyHash, owner · 2^32 + token)}. */
  public static Fr idHash(Poseidon2 poseidon2, Fr keyHash, L1Address owner, long token) {
    return poseidon2.compress(keyHash, ownerToken(owner, token));
  }
}
