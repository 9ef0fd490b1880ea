package io.zkrollup.aggregator.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.sdk.Accepted;
import io.zkrollup.sdk.Account;
import io.zkrollup.sdk.AccountKey;
import io.zkrollup.sdk.AccountState;
import io.zkrollup.sdk.BatchEvent;
import io.zkrollup.sdk.BatchEventListener;
import io.zkrollup.sdk.BatchStage;
import io.zkrollup.sdk.NodeStatus;
import io.zkrollup.sdk.RejectionReason;
import io.zkrollup.sdk.RollupClient;
import io.zkrollup.sdk.RollupException;
import io.zkrollup.sdk.Subscription;
import io.zkrollup.sdk.TransactionRejectedException;
import io.zkrollup.sdk.TransactionStage;
import io.zkrollup.sdk.TransactionStatus;
import io.zkrollup.sdk.Wallet;
import io.zkrollup.sdk.examples.ExchangePayoutExample;
import io.zkrollup.sdk.examples.ExchangePayoutExample.Payout;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client SDK against a real node over a real gRPC channel, as an exchange uses it: the node is
 * the test harness's, everything the test does to it goes through {@link RollupClient} only. It
 * finds the exchange's accounts by key, has a bad list of 100 withdrawals refused with the reason
 * and the index and nothing applied, pays out 100 users in one atomic list (the SDK's {@link
 * ExchangePayoutExample}), and follows the list's status and the batch events until its batches
 * are sealed (the test node does not prove).
 */
class SdkIT {

  private static final int PAYOUTS = 100;
  private static final BigInteger AMOUNT = BigInteger.valueOf(1000);
  /** The owner of the hot key's second account (a deposit by another L1 address). */
  private static final L1Address SECOND_OWNER = L1Address.fromHex("0x0000000000000000000000000000000000000e02");

  @TempDir Path dir;

  private static L1Address user(int i) {
    return L1Address.of(ByteBuffer.allocate(L1Address.BYTES).putInt(16, 0x5000 + i).array());
  }

  @Test
  void anExchangeFindsItsAccountsPaysOutAHundredUsersInOneListAndFollowsItsBatches() throws Exception {
    // The node: wallet 1's key is the exchange's hot key, with account 1 (genesis) and account 9 (another owner).
    NodeConfig base = TestNode.configFor(dir, TestNode.Options.defaults().withMaxList(128));
    List<Deposit> genesis = new ArrayList<>(base.genesis());
    AccountKey hotKey = AccountKey.fromSeed(TestNode.seed(1));
    genesis.add(new Deposit(9, hotKey.keyHash(), SECOND_OWNER, BigInteger.valueOf(77)));
    try (TestNode t = TestNode.start(base.toBuilder().genesis(genesis).build(), 8);
        RollupClient node = RollupClient.connect("127.0.0.1:" + t.runtime.apiPort())) {

      // Find the exchange's accounts by key hash and by public key; a key without deposits has none.
      List<Account> accounts = awaitAccounts(node, hotKey, 2);
      assertThat(accounts).extracting(Account::index).containsExactly(1L, 9L);
      assertThat(accounts.get(0).state().owner()).isEqualTo(TestNode.OWNER);
      assertThat(accounts.get(1).state()).isEqualTo(new AccountState(hotKey.keyHash(), SECOND_OWNER, 0, BigInteger.valueOf(77), 0));
      assertThat(node.findAccounts(hotKey.publicKey())).isEqualTo(accounts);
      assertThat(node.findAccounts(AccountKey.generate().keyHash())).isEmpty();
      assertThat(node.account(1).orElseThrow().pending()).contains(accounts.get(0).state());
      assertThat(node.account(200)).isEmpty();

      // The genesis's 10 deposits (5 slots each in batches of 8) are 10 batches; wait for the last one's
      // seal timer, so that no seal entry lands between this status and the "nothing journaled" check below.
      NodeStatus status = node.nodeStatus();
      for (long end = System.nanoTime() + 10_000_000_000L; status.sealedBatches() < 10 && System.nanoTime() < end; status = node.nodeStatus()) {
        Thread.sleep(20);
      }
      assertThat(status.sealedBatches()).isEqualTo(10);
      assertThat(status.maxListSize()).isEqualTo(128);
      assertThat(status.proving()).isFalse();
      AccountState before = accounts.get(0).state();

      // Follow the batches from the next one on.
      LinkedBlockingQueue<BatchEvent> events = new LinkedBlockingQueue<>();
      AtomicReference<RollupException> streamError = new AtomicReference<>();
      try (Subscription ignored =
          node.batchEvents(
              status.builtBatches(),
              new BatchEventListener() {
                @Override
                public void onEvent(BatchEvent event) {
                  events.add(event);
                }

                @Override
                public void onError(RollupException error) {
                  streamError.set(error);
                }
              })) {

        // A bad list: the nonce at index 37 skips one. Refused with the reason and the index, and nothing of it applied.
        Wallet hot = new Wallet(hotKey, 1, status.rollupId());
        List<SignedTransaction> bad = new ArrayList<>();
        for (int i = 0; i < PAYOUTS; i++) {
          long nonce = before.nonce() + i + (i >= 37 ? 1 : 0);
          bad.add(hot.withdrawal(user(i), AMOUNT, status.fee(), nonce));
        }
        TransactionRejectedException refused = catchThrowableOfType(TransactionRejectedException.class, () -> node.submitAll(bad));
        assertThat(refused).isNotNull();
        assertThat(refused.reason()).isEqualTo(RejectionReason.NONCE_GAP);
        assertThat(refused.index()).isEqualTo(37);
        assertThat(refused.getMessage()).startsWith("transaction 37: ");
        assertThat(node.nodeStatus().journalEntries()).as("nothing journaled").isEqualTo(status.journalEntries());
        assertThat(node.findAccounts(hotKey.keyHash()).get(0).state()).as("nothing applied").isEqualTo(before);
        assertThat(node.status(hot.txHash(bad.get(0)))).as("not even the first").isEmpty();

        // The payout: 100 users in one atomic list.
        List<Payout> payouts = new ArrayList<>();
        for (int i = 0; i < PAYOUTS; i++) {
          payouts.add(new Payout(user(i), AMOUNT));
        }
        List<Accepted> accepted = ExchangePayoutExample.payOut(node, hotKey, payouts);
        assertThat(accepted).hasSize(PAYOUTS);
        for (int i = 1; i < PAYOUTS; i++) {
          assertThat(accepted.get(i).journalIndex()).as("in list order").isGreaterThan(accepted.get(i - 1).journalIndex());
        }
        assertThat(accepted.get(0).txHash()).isEqualTo(hot.txHash(hot.withdrawal(user(0), AMOUNT, status.fee(), before.nonce())));
        AccountState after = node.findAccounts(hotKey.keyHash()).get(0).state();
        assertThat(after.nonce()).isEqualTo(before.nonce() + PAYOUTS);
        assertThat(after.balance()).isEqualTo(before.balance().subtract(AMOUNT.add(status.fee()).multiply(BigInteger.valueOf(PAYOUTS))));

        // The list's status, until its last withdrawal's batch is sealed.
        List<TransactionStage> stages = new ArrayList<>();
        TransactionStatus last = node.awaitStage(accepted.get(PAYOUTS - 1).txHash(), TransactionStage.SEALED, Duration.ofSeconds(60), s -> stages.add(s.stage()));
        assertThat(stages).last().isEqualTo(TransactionStage.SEALED);
        long lastBatch = last.batch().orElseThrow();
        TransactionStatus first = node.status(accepted.get(0).txHash()).orElseThrow();
        assertThat(first.stage().isAtLeast(TransactionStage.SEALED)).isTrue();
        long firstBatch = first.batch().orElseThrow();
        assertThat(lastBatch - firstBatch + 1).as("100 withdrawals in batches of 8 slots").isGreaterThanOrEqualTo(PAYOUTS / 8);

        // The batch events: every batch of the list sealed, in order.
        long expected = status.builtBatches();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (expected <= lastBatch) {
          BatchEvent e = events.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
          assertThat(e).as("batch %d sealed (stream error: %s)", expected, streamError.get()).isNotNull();
          assertThat(e.stage()).isEqualTo(BatchStage.SEALED);
          assertThat(e.batchNumber()).isEqualTo(expected);
          assertThat(e.slots()).isEqualTo(8);
          expected++;
        }
        assertThat(streamError.get()).isNull();
      }
    }
  }

  /** The key's accounts, once the genesis deposits have reached the ledger (they are journaled as the node starts). */
  private static List<Account> awaitAccounts(RollupClient node, AccountKey key, int count) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<Account> found = node.findAccounts(key.keyHash());
    while (found.size() < count) {
      assertThat(System.nanoTime()).as("the genesis reaches the ledger").isLessThan(end);
      Thread.sleep(20);
      found = node.findAccounts(key.keyHash());
    }
    return found;
  }
}
