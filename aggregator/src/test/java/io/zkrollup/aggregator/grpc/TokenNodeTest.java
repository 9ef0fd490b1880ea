package io.zkrollup.aggregator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.AccountState;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetBatchDataRequest;
import io.zkrollup.api.v1.GetBatchDataResponse;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.api.v1.TokenFee;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.sdk.Wallet;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with ETH and one token (protocol v3) over a real gRPC channel: transfers and withdrawals
 * in both tokens, each paying its token's fee into the operator's account of that token, batches
 * cut at each fee-token change and built (the batch builder re-checks every op with {@code
 * TxRules}), the token rules' refusals with their codes, and a restart that replays the journal.
 */
class TokenNodeTest {

  private static final int USDC = 1;
  private static final long ETH_FEE = 1;
  private static final long USDC_FEE = 3;
  /** Genesis: operator ETH 0, ETH 1..3, USDC of wallets 1 and 2 at 4 and 5; the operator's USDC account is placed after: 6. */
  private static final int ALICE_USDC = 4;
  private static final int BOB_USDC = 5;
  private static final int OPERATOR_USDC = 6;
  private static final L1Address OUT = L1Address.fromHex("0x00000000000000000000000000000000000a11ce");

  @TempDir Path dir;

  private static Wallet usdc(int wallet, int index) {
    return Wallet.fromSeed(TestNode.seed(wallet), index, TestNode.ROLLUP, USDC);
  }

  @Test
  void ethAndATokenPayTheirOwnFeesInBatchesOfOneFeeToken() throws Exception {
    NodeConfig base = TestNode.configFor(dir, TestNode.Options.defaults().withAccounts(3).withFee(ETH_FEE).withSealAfter(100));
    List<Deposit> genesis = new ArrayList<>(base.genesis());
    genesis.add(new Deposit(ALICE_USDC, GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(1).publicKey()), TestNode.OWNER, BigInteger.valueOf(500_000), USDC));
    genesis.add(new Deposit(BOB_USDC, GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(2).publicKey()), TestNode.OWNER, BigInteger.valueOf(500_000), USDC));
    NodeConfig config = base.toBuilder().genesis(genesis).tokenFees(Map.of(USDC, BigInteger.valueOf(USDC_FEE))).build();

    try (TestNode t = TestNode.start(config, 3)) {
      assertThat(t.status().getFeesList())
          .containsExactly(TokenFee.newBuilder().setToken(0).setFee("1").build(), TokenFee.newBuilder().setToken(USDC).setFee("3").build());
      assertThat(t.status().getRollupId()).isEqualTo(TestNode.ROLLUP);
      AccountState operatorUsdc = pending(t, OPERATOR_USDC);
      assertThat(operatorUsdc.getToken()).isEqualTo(USDC);
      assertThat(operatorUsdc.getKeyHash()).isEqualTo(pending(t, 0).getKeyHash());

      Wallet alice = t.wallets.get(1);
      Wallet bob = t.wallets.get(2);
      submit(t, alice.transfer(2, n(100), n(ETH_FEE), 0));
      submit(t, usdc(1, ALICE_USDC).transfer(BOB_USDC, n(200), n(USDC_FEE), 0));
      // One atomic list, two tokens: the node cuts a batch between them.
      t.stub()
          .submitTransactions(
              SubmitTransactionsRequest.newBuilder()
                  .addTransactions(bob.transfer(1, n(10), n(ETH_FEE), 0))
                  .addTransactions(usdc(2, BOB_USDC).withdrawal(OUT, n(50), n(USDC_FEE), 0))
                  .build());

      // The token rules, each refused with its reason before anything changes.
      refused(t, usdc(1, ALICE_USDC).transfer(2, n(1), n(USDC_FEE), 1), Status.Code.FAILED_PRECONDITION, "TOKEN_MISMATCH", "account 2, which holds token 0");
      refused(t, usdc(1, 1).transfer(2, n(1), n(USDC_FEE), 1), Status.Code.FAILED_PRECONDITION, "TOKEN_MISMATCH", "account 1 holds token 0");
      refused(t, Wallet.fromSeed(TestNode.seed(1), ALICE_USDC, TestNode.ROLLUP, 2).transfer(BOB_USDC, n(1), n(9), 1), Status.Code.FAILED_PRECONDITION, "TOKEN_NOT_SERVED", "token 2");
      refused(t, usdc(1, ALICE_USDC).transfer(BOB_USDC, n(1), n(ETH_FEE), 1), Status.Code.FAILED_PRECONDITION, "FEE_TOO_LOW", "below the batch fee 3");

      // Two ETH ops and two USDC ops, each fee in its own token (the operator is credited when a batch is sealed: awaited below).
      assertThat(new BigInteger(pending(t, ALICE_USDC).getBalance())).isEqualTo(n(500_000 - 200 - USDC_FEE));
      assertThat(new BigInteger(pending(t, BOB_USDC).getBalance())).isEqualTo(n(500_000 + 200 - 50 - USDC_FEE));
      assertThat(new BigInteger(pending(t, 1).getBalance())).isEqualTo(n(1_000_000 - 100 - ETH_FEE + 10));

      // Every batch is built (the builder applies TxRules again), its header naming the fee account and fee of one token;
      // the operator's ETH account has 2 ETH fees and its USDC account 2 USDC fees.
      var status =
          t.await(
              s -> s.getBuiltBatches() == s.getSealedBatches() && sealedBalance(t, 0).equals("2") && sealedBalance(t, OPERATOR_USDC).equals("6"),
              Duration.ofSeconds(20));
      Set<List<Long>> headers = new HashSet<>();
      for (long b = 0; b < status.getBuiltBatches(); b++) {
        GetBatchDataResponse data = t.stub().getBatchData(GetBatchDataRequest.newBuilder().setBatchNumber(b).build());
        ByteBuffer header = ByteBuffer.wrap(data.getPublicData().toByteArray());
        assertThat(header.getLong()).isEqualTo(TestNode.ROLLUP);
        assertThat(header.getLong()).isEqualTo(b);
        long operator = Integer.toUnsignedLong(header.getInt());
        byte[] fee = new byte[16];
        header.get(fee);
        headers.add(List.of(operator, new BigInteger(1, fee).longValueExact()));
      }
      assertThat(headers).containsExactlyInAnyOrder(List.of(0L, ETH_FEE), List.of((long) OPERATOR_USDC, USDC_FEE));

      // A restart replays the journal (tokens and all) to the same accounts.
      t.stop();
      t.open();
      assertThat(pending(t, OPERATOR_USDC).getBalance()).isEqualTo(Long.toString(2 * USDC_FEE));
      assertThat(pending(t, BOB_USDC).getToken()).isEqualTo(USDC);
      submit(t, usdc(1, ALICE_USDC).transfer(BOB_USDC, n(1), n(USDC_FEE), 1));
      t.await(s -> sealedBalance(t, OPERATOR_USDC).equals(Long.toString(3 * USDC_FEE)), Duration.ofSeconds(20));
    }
  }

  private static void submit(TestNode t, SignedTransaction tx) {
    t.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(tx).build());
  }

  private static void refused(TestNode t, SignedTransaction tx, Status.Code code, String reason, String words) {
    // Not the journal's length: the seal timer may add a seal entry meanwhile.
    int from = tx.hasTransfer() ? tx.getTransfer().getFrom() : tx.getWithdrawal().getFrom();
    AccountState before = pending(t, from);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> submit(t, tx));
    assertThat(e).as(reason).isNotNull();
    assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).contains(words);
    assertThat(TxStatusCodes.errorInfo(e).getReason()).isEqualTo(reason);
    assertThat(pending(t, from)).as("account " + from + " unchanged").isEqualTo(before);
  }

  private static AccountState pending(TestNode t, int index) {
    return t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(index).build()).getPending();
  }

  private static BigInteger n(long v) {
    return BigInteger.valueOf(v);
  }

  private static String sealedBalance(TestNode t, int index) {
    return t.stub().getAccount(GetAccountRequest.newBuilder().setIndex(index).build()).getSealed().getBalance();
  }
}
