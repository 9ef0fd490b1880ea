package io.zkrollup.aggregator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.aggregator.ledger.RejectedException;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.SignedOp;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.sdk.Wallet;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The decoder reads the signed token of a transfer and a withdrawal, and refuses ids of 2^16 and above. */
class TransactionDecoderTest {

  private static final long ROLLUP = -2; // 2^64 - 2: ids are unsigned
  private static final L1Address TO = L1Address.fromHex("0x00000000000000000000000000000000000a11ce");
  private final TransactionDecoder decoder = new TransactionDecoder(16);

  private static Wallet wallet(long token) {
    byte[] seed = new byte[32];
    seed[0] = 9;
    return Wallet.fromSeed(seed, 4, ROLLUP, token);
  }

  @Test
  void theTokenIsReadAndSignedAsTheWalletsAccountsToken() {
    Wallet usdc = wallet(65_535);
    SignedOp t = decoder.decode(usdc.transfer(5, BigInteger.TEN, BigInteger.ONE, 3), 0);
    assertThat(t.op()).isEqualTo(new Transfer(4, 5, BigInteger.TEN, BigInteger.ONE, 3, 65_535));
    SignedOp w = decoder.decode(usdc.withdrawal(TO, BigInteger.valueOf(12345), BigInteger.ONE, 4), 0);
    assertThat(w.op()).isEqualTo(new Withdrawal(4, TO, BigInteger.valueOf(12345), BigInteger.ONE, 4, 65_535));
    // What the wallet signed is what the node verifies: the hash of the decoded op's message.
    assertThat(t.op().message(new io.zkrollup.statetree.hash.Poseidon2(), ROLLUP)).isEqualTo(usdc.txHash(usdc.transfer(5, BigInteger.TEN, BigInteger.ONE, 3)));
    assertThat(decoder.decode(wallet(0).transfer(5, BigInteger.TEN, BigInteger.ONE, 3), 0).op().token()).as("ETH by default").isZero();
  }

  @Test
  void aTokenOf2To16OrAboveIsMalformed() {
    SignedTransaction tx = wallet(1).transfer(5, BigInteger.TEN, BigInteger.ONE, 3);
    for (int token : new int[] {1 << 16, -1}) {
      SignedTransaction bad = tx.toBuilder().setTransfer(tx.getTransfer().toBuilder().setToken(token)).build();
      assertThatThrownBy(() -> decoder.decode(bad, 2))
          .isInstanceOfSatisfying(
              RejectedException.class,
              e -> {
                assertThat(e.rejection().reason()).isEqualTo(RejectReason.MALFORMED);
                assertThat(e.rejection().index()).isEqualTo(2);
              })
          .hasMessageContaining("token must be below 2^16, got " + Integer.toUnsignedString(token));
    }
    SignedTransaction w = wallet(1).withdrawal(TO, BigInteger.ONE, BigInteger.ONE, 0);
    SignedTransaction badW = w.toBuilder().setWithdrawal(w.getWithdrawal().toBuilder().setToken(70_000)).build();
    assertThatThrownBy(() -> decoder.decode(badW, 0)).hasMessageContaining("token must be below 2^16, got 70000");
  }
}
