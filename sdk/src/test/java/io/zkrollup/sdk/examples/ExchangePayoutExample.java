package io.zkrollup.sdk.examples;

import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.sdk.Accepted;
import io.zkrollup.sdk.Account;
import io.zkrollup.sdk.AccountKey;
import io.zkrollup.sdk.DeadlineExceededException;
import io.zkrollup.sdk.KeyFile;
import io.zkrollup.sdk.NodeStatus;
import io.zkrollup.sdk.ResourceExhaustedException;
import io.zkrollup.sdk.RollupClient;
import io.zkrollup.sdk.TransactionRejectedException;
import io.zkrollup.sdk.TransactionStage;
import io.zkrollup.sdk.TransactionStatus;
import io.zkrollup.sdk.Wallet;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An exchange paying out many users in one atomic list of withdrawals, with the SDK only: the
 * exchange's hot key signs one withdrawal per user, with consecutive nonces, and submits them as one
 * list; the node accepts all of them or none. The aggregator's {@code SdkIT} runs {@link #payOut}
 * against a real node.
 *
 * <p>Run it against a node: {@code java -cp … io.zkrollup.sdk.examples.ExchangePayoutExample
 * 127.0.0.1:50051 hot.key payouts.txt [TOKEN_ID]}, where {@code payouts.txt} has one {@code
 * 0xADDRESS AMOUNT} per line (in the token's smallest unit; ETH, token 0, by default).
 */
public final class ExchangePayoutExample {

  private ExchangePayoutExample() {}

  /**
   * One user's payout.
   *
   * @param to the user's L1 address, which claims the token once the batch is on L1
   * @param amount in the token's smallest unit (wei for ETH; exact: withdrawal amounts need not be float16 values)
   */
  public record Payout(L1Address to, BigInteger amount) {}

  /** The node refused the list because of one payout; nothing of the list was paid. */
  public static final class PayoutRefused extends Exception {
    private final Payout payout;

    PayoutRefused(Payout payout, TransactionRejectedException cause) {
      super("payout to " + payout.to() + " of " + payout.amount() + " refused (" + cause.reason() + "): " + cause.getMessage(), cause);
      this.payout = payout;
    }

    /** The payout the node named. */
    public Payout payout() {
      return payout;
    }

    /** The node's rejection: its reason and the list index. */
    public TransactionRejectedException rejection() {
      return (TransactionRejectedException) getCause();
    }
  }

  /**
   * Pays every payout in ETH from the hot key's ETH account in one atomic list: {@link
   * #payOut(RollupClient, AccountKey, long, List)} with token 0.
   */
  public static List<Accepted> payOut(RollupClient node, AccountKey hotKey, List<Payout> payouts) throws PayoutRefused, InterruptedException {
    return payOut(node, hotKey, 0, payouts);
  }

  /**
   * Pays every payout in {@code token} from the hot key's account of that token (its lowest) in one
   * atomic list, at the node's fee for the token.
   *
   * @param token the token id on L1 ({@code zkrollup token ids}); 0 is ETH
   * @return the node's acknowledgement of each payout, in order: each is journaled and fsynced
   * @throws PayoutRefused if the node refused the list: nothing of it was accepted
   * @throws IllegalArgumentException if the list is longer than the node takes (split it), the node
   *     does not take fees in the token, or the key has no account of the token
   */
  public static List<Accepted> payOut(RollupClient node, AccountKey hotKey, long token, List<Payout> payouts) throws PayoutRefused, InterruptedException {
    NodeStatus status = node.nodeStatus();
    if (payouts.size() > status.maxListSize()) {
      throw new IllegalArgumentException(payouts.size() + " payouts, but the node takes lists of at most " + status.maxListSize() + ": split them");
    }
    BigInteger fee = status.feeOf(token).orElseThrow(() -> new IllegalArgumentException("the node takes no fees in token " + token));
    Account hot =
        node.findAccounts(hotKey.keyHash()).stream()
            .filter(a -> a.state().token() == token)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("the hot key holds no account of token " + token));
    Wallet wallet = new Wallet(hotKey, hot.index(), status.rollupId(), token);

    // One withdrawal per user, nonces in list order: the node applies the list in order, all or none.
    long nonce = hot.state().nonce();
    List<SignedTransaction> list = new ArrayList<>(payouts.size());
    for (Payout p : payouts) {
      list.add(wallet.withdrawal(p.to(), p.amount(), fee, nonce++));
    }

    for (int attempt = 1; ; attempt++) {
      try {
        return node.submitAll(list);
      } catch (TransactionRejectedException e) {
        // Nothing was paid; the index says which payout broke which rule (e.g. INSUFFICIENT_BALANCE).
        throw new PayoutRefused(payouts.get(Math.min(e.index(), payouts.size() - 1)), e);
      } catch (ResourceExhaustedException e) {
        if (!e.busy() || attempt == 5) {
          throw e;
        }
        Thread.sleep(100L << attempt); // the node's ring is full: back off, then send the same list again
      } catch (DeadlineExceededException e) {
        // The answer was lost. The list is all or none, so its first transaction says which.
        Optional<TransactionStatus> first = node.status(wallet.txHash(list.get(0)));
        if (first.isEmpty()) {
          throw e; // not accepted: the caller may send it again (the same nonces are still free)
        }
        List<Accepted> accepted = new ArrayList<>(list.size());
        for (SignedTransaction tx : list) {
          accepted.add(new Accepted(wallet.txHash(tx), node.status(wallet.txHash(tx)).orElseThrow().journalIndex()));
        }
        return accepted;
      }
    }
  }

  /** {@code ExchangePayoutExample HOST:PORT HOT_KEY_FILE PAYOUTS_FILE [TOKEN]}: pays out and waits for the batch. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 3 && args.length != 4) {
      System.err.println("usage: ExchangePayoutExample HOST:PORT HOT_KEY_FILE PAYOUTS_FILE [TOKEN_ID] (lines: 0xADDRESS AMOUNT; TOKEN_ID 0, ETH, by default)");
      System.exit(2);
    }
    List<Payout> payouts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[2]))) {
      if (!line.isBlank()) {
        String[] parts = line.strip().split("\\s+");
        payouts.add(new Payout(L1Address.fromHex(parts[0]), new BigInteger(parts[1])));
      }
    }
    try (RollupClient node = RollupClient.connect(args[0])) {
      long token = args.length == 4 ? Long.parseLong(args[3]) : 0;
      List<Accepted> accepted = payOut(node, KeyFile.read(Path.of(args[1])), token, payouts);
      System.out.printf("accepted %d payouts, journal %d to %d%n", accepted.size(), accepted.get(0).journalIndex(), accepted.get(accepted.size() - 1).journalIndex());
      TransactionStatus last =
          node.awaitStage(accepted.get(accepted.size() - 1).txHash(), TransactionStage.SEALED, Duration.ofMinutes(5), s -> System.out.println("last payout " + s.stage()));
      System.out.println("sealed in batch " + last.batch().getAsLong());
    } catch (PayoutRefused e) {
      System.err.println("refused: " + e.getMessage());
      System.exit(2);
    }
  }
}
