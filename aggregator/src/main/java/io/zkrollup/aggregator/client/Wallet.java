package io.zkrollup.aggregator.client;

import com.google.protobuf.ByteString;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.SignableOp;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One account's signing key, making signed {@link SignedTransaction} messages for {@code
 * RollupService}: what a wallet or an exchange's signer does.
 */
public final class Wallet {

  private final EdDsaPrivateKey key;
  private final long account;
  private final long rollupId;
  private final Poseidon2 poseidon2;

  /**
   * @param key the account's private key
   * @param account the account index
   * @param rollupId the rollup the signatures are for
   * @param poseidon2 the hash
   */
  public Wallet(EdDsaPrivateKey key, long account, long rollupId, Poseidon2 poseidon2) {
    this.key = Objects.requireNonNull(key, "key");
    this.account = account;
    this.rollupId = rollupId;
    this.poseidon2 = Objects.requireNonNull(poseidon2, "poseidon2");
  }

  /** A wallet whose key is derived from a 32-byte seed. */
  public static Wallet fromSeed(byte[] seed, long account, long rollupId, Poseidon2 poseidon2) {
    return new Wallet(EdDsaPrivateKey.fromSeed(seed), account, rollupId, poseidon2);
  }

  /** The account index. */
  public long account() {
    return account;
  }

  /** The public key. */
  public EdDsaPublicKey publicKey() {
    return key.publicKey();
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

  /** A signed withdrawal of {@code amount} to {@code l1Address}. */
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

  private SignedTransaction signed(SignableOp op, SignedTransaction.Builder b) {
    SignedOp s = op.sign(key, poseidon2, rollupId);
    return b.setPublicKey(ByteString.copyFrom(s.publicKey().toBytes())).setSignature(ByteString.copyFrom(s.signature().toBytes())).build();
  }
}
