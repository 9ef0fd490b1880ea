package io.zkrollup.sdk;

import com.google.protobuf.ByteString;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One account's signer: an {@link AccountKey}, the account index it signs for and the rollup the
 * signatures are for. It makes signed {@link SignedTransaction} messages for {@link RollupClient}
 * (what a wallet or an exchange's signer does); it never talks to a node.
 *
 * <p>The signed message is the one of docs/protocol.md, "Signed message", built by the {@code
 * circuits} module's {@link Transfer} and {@link Withdrawal}, the same code the node verifies
 * with. Amounts and fees are in the asset's smallest unit (wei); a transfer's amount and every max
 * fee must be float16 values (3–4 significant digits, docs/protocol.md, "Amounts"), a withdrawal's
 * amount is exact. A value the protocol cannot carry is refused here with an {@link
 * IllegalArgumentException}, before anything is signed.
 *
 * <p>Immutable and thread-safe.
 */
public final class Wallet {

  private final AccountKey key;
  private final long account;
  private final long rollupId;

  /**
   * @param key the account's key
   * @param account the account index (where the key's deposit placed it: {@link
   *     RollupClient#findAccounts(Fr)})
   * @param rollupId the rollup the signatures are for ({@link NodeStatus#rollupId()})
   */
  public Wallet(AccountKey key, long account, long rollupId) {
    this.key = Objects.requireNonNull(key, "key");
    this.account = account;
    this.rollupId = rollupId;
  }

  /** A wallet whose key is derived from a 32-byte seed. */
  public static Wallet fromSeed(byte[] seed, long account, long rollupId) {
    return new Wallet(AccountKey.fromSeed(seed), account, rollupId);
  }

  /** The account index. */
  public long account() {
    return account;
  }

  /** The rollup the signatures are for. */
  public long rollupId() {
    return rollupId;
  }

  /** The key. */
  public AccountKey key() {
    return key;
  }

  /** The public key. */
  public EdDsaPublicKey publicKey() {
    return key.publicKey();
  }

  /** The key hash, {@code compress(pkX, pkY)}. */
  public Fr keyHash() {
    return key.keyHash();
  }

  /** The same key and rollup, signing for account {@code index} (another account of the key). */
  public Wallet forAccount(long index) {
    return new Wallet(key, index, rollupId);
  }

  /** A signed transfer of {@code amount} (a float16 value) to account {@code to}. */
  public SignedTransaction transfer(long to, BigInteger amount, BigInteger maxFee, long nonce) {
    Transfer t = new Transfer(account, to, amount, maxFee, nonce);
    io.zkrollup.api.v1.Transfer msg =
        io.zkrollup.api.v1.Transfer.newBuilder()
            .setFrom((int) account)
            .setTo((int) to)
            .setAmount(amount.toString())
            .setMaxFee(maxFee.toString())
            .setNonce(nonce)
            .build();
    return signed(t, SignedTransaction.newBuilder().setTransfer(msg));
  }

  /** A signed withdrawal of {@code amount} (exact) to {@code l1Address}, which claims it on L1. */
  public SignedTransaction withdrawal(L1Address l1Address, BigInteger amount, BigInteger maxFee, long nonce) {
    Withdrawal w = new Withdrawal(account, l1Address, amount, maxFee, nonce);
    io.zkrollup.api.v1.Withdrawal msg =
        io.zkrollup.api.v1.Withdrawal.newBuilder()
            .setFrom((int) account)
            .setL1Address(ByteString.copyFrom(l1Address.toBytes()))
            .setAmount(amount.toString())
            .setMaxFee(maxFee.toString())
            .setNonce(nonce)
            .build();
    return signed(w, SignedTransaction.newBuilder().setWithdrawal(msg));
  }

  /**
   * The hash the node gives {@code tx} once it accepts it (the signed message, for this wallet's
   * rollup): what {@link RollupClient#status(Fr)} takes. A client that lost the answer to a
   * submission (a deadline, a dropped connection) asks with it whether the node accepted.
   *
   * @throws IllegalArgumentException if {@code tx} is neither a transfer nor a withdrawal, or its
   *     values are out of range
   */
  public Fr txHash(SignedTransaction tx) {
    return op(tx).message(Hashing.POSEIDON2, rollupId);
  }

  private static SignableOp op(SignedTransaction tx) {
    try {
      return switch (tx.getOpCase()) {
        case TRANSFER -> {
          io.zkrollup.api.v1.Transfer t = tx.getTransfer();
          yield new Transfer(Integer.toUnsignedLong(t.getFrom()), Integer.toUnsignedLong(t.getTo()), new BigInteger(t.getAmount()), new BigInteger(t.getMaxFee()), t.getNonce());
        }
        case WITHDRAWAL -> {
          io.zkrollup.api.v1.Withdrawal w = tx.getWithdrawal();
          yield new Withdrawal(
              Integer.toUnsignedLong(w.getFrom()), L1Address.of(w.getL1Address().toByteArray()), new BigInteger(w.getAmount()), new BigInteger(w.getMaxFee()), w.getNonce());
        }
        case OP_NOT_SET -> throw new IllegalArgumentException("the transaction is neither a transfer nor a withdrawal");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("an amount is not a decimal integer: " + e.getMessage(), e);
    }
  }

  private SignedTransaction signed(SignableOp op, SignedTransaction.Builder b) {
    SignedOp s = op.sign(key.privateKey(), Hashing.POSEIDON2, rollupId);
    return b.setPublicKey(ByteString.copyFrom(s.publicKey().toBytes())).setSignature(ByteString.copyFrom(s.signature().toBytes())).build();
  }

  /** The account and rollup, and the public key; never the seed. */
  @Override
  public String toString() {
    return "Wallet[account=" + account + ", rollupId=" + rollupId + ", publicKey=" + key.publicKey() + "]";
  }
}
