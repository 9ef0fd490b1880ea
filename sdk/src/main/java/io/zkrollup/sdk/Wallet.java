package io.zkrollup.sdk;

import com.google.protobuf.ByteString;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.Ranges;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One account's signer: an {@link AccountKey}, the account index it signs for, that account's token
 * and the rollup the signatures are for. In protocol v3 an account holds one token, so a key with
 * ETH and a token has two accounts and two wallets ({@link #forAccount(Account)}); the token is
 * signed, and the node refuses a transaction whose token is not its account's ({@link
 * RejectionReason#TOKEN_MISMATCH}). It makes signed {@link SignedTransaction} messages for {@link RollupClient}
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
  private final int token;

  /**
   * @param key the account's key
   * @param account the account index (where the key's deposit placed it: {@link
   *     RollupClient#findAccounts(Fr)})
   * @param rollupId the rollup the signatures are for ({@link NodeStatus#rollupId()})
   * @param token the account's token ({@link AccountState#token()}; 0: ETH)
   * @throws IllegalArgumentException if the token is not below 2^16
   */
  public Wallet(AccountKey key, long account, long rollupId, long token) {
    this.key = Objects.requireNonNull(key, "key");
    this.account = account;
    this.rollupId = rollupId;
    this.token = Ranges.checkToken("token", token);
  }

  /** A wallet of an ETH account (token 0). */
  public Wallet(AccountKey key, long account, long rollupId) {
    this(key, account, rollupId, 0);
  }

  /** A wallet of an ETH account whose key is derived from a 32-byte seed. */
  public static Wallet fromSeed(byte[] seed, long account, long rollupId) {
    return new Wallet(AccountKey.fromSeed(seed), account, rollupId);
  }

  /** A wallet of a {@code token} account whose key is derived from a 32-byte seed. */
  public static Wallet fromSeed(byte[] seed, long account, long rollupId, long token) {
    return new Wallet(AccountKey.fromSeed(seed), account, rollupId, token);
  }

  /** The token of the account it signs for (0: ETH). */
  public long token() {
    return token;
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

  /** The same key, rollup and token, signing for account {@code index} (another account of the key). */
  public Wallet forAccount(long index) {
    return new Wallet(key, index, rollupId, token);
  }

  /**
   * The same key and rollup, signing for {@code account} with its token: how to get a wallet for
   * each account {@link RollupClient#findAccounts(Fr)} lists (one per token and owner).
   */
  public Wallet forAccount(Account account) {
    return new Wallet(key, account.index(), rollupId, account.state().token());
  }

  /** A signed transfer of {@code amount} (a float16 value) to account {@code to}, which must hold the same token. */
  public SignedTransaction transfer(long to, BigInteger amount, BigInteger maxFee, long nonce) {
    Transfer t = new Transfer(account, to, amount, maxFee, nonce, token);
    io.zkrollup.api.v1.Transfer msg =
        io.zkrollup.api.v1.Transfer.newBuilder()
            .setFrom((int) account)
            .setTo((int) to)
            .setAmount(amount.toString())
            .setMaxFee(maxFee.toString())
            .setNonce(nonce)
            .setToken(token)
            .build();
    return signed(t, SignedTransaction.newBuilder().setTransfer(msg));
  }

  /** A signed withdrawal of {@code amount} (exact, below 2^112) to {@code l1Address}, which claims it (in the account's token) on L1. */
  public SignedTransaction withdrawal(L1Address l1Address, BigInteger amount, BigInteger maxFee, long nonce) {
    Withdrawal w = new Withdrawal(account, l1Address, amount, maxFee, nonce, token);
    io.zkrollup.api.v1.Withdrawal msg =
        io.zkrollup.api.v1.Withdrawal.newBuilder()
            .setFrom((int) account)
            .setL1Address(ByteString.copyFrom(l1Address.toBytes()))
            .setAmount(amount.toString())
            .setMaxFee(maxFee.toString())
            .setNonce(nonce)
            .setToken(token)
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
          yield new Transfer(Integer.toUnsignedLong(t.getFrom()), Integer.toUnsignedLong(t.getTo()), new BigInteger(t.getAmount()), new BigInteger(t.getMaxFee()), t.getNonce(), t.getToken());
        }
        case WITHDRAWAL -> {
          io.zkrollup.api.v1.Withdrawal w = tx.getWithdrawal();
          yield new Withdrawal(
              Integer.toUnsignedLong(w.getFrom()), L1Address.of(w.getL1Address().toByteArray()), new BigInteger(w.getAmount()), new BigInteger(w.getMaxFee()), w.getNonce(), w.getToken());
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
    return "Wallet[account=" + account + ", token=" + token + ", rollupId=" + Long.toUnsignedString(rollupId) + ", publicKey=" + key.publicKey() + "]";
  }
}
