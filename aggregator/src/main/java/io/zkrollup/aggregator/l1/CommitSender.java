package io.zkrollup.aggregator.l1;

import io.github.resilience4j.retry.Retry;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends one {@code commitBatch} transaction and sees it confirmed, never committing a batch twice.
 *
 * <ul>
 *   <li>Before every (re)send, and after a reverted receipt, it reads {@code batchCount}: a batch L1
 *       already has counts as committed (its root is checked).
 *   <li>The call is simulated with {@code eth_call} first: a revert costs no gas and comes back as
 *       {@link L1RevertedException} naming Rollup.sol's custom error ({@link RevertReason}).
 *   <li>After a restart, a commit of the same batch still in the pool (the call reverts on the
 *       pending state but not on the latest block) is waited for, up to the receipt timeout.
 *   <li>The nonce is the signer's pending count, asked at the first send; a transaction without a
 *       receipt in time is replaced with the same nonce and fees raised by at least 12.5 %, so at
 *       most one of them can be mined.
 *   <li>A receipt counts once its block has {@code confirmations} blocks (its own included).
 * </ul>
 *
 * An attempt that ends without a confirmed commit (no receipt in time, a reorganisation, a send
 * the node refused) is retried with backoff ({@link L1Retries}), a bounded number of times.
 */
final class CommitSender {

  private static final Logger LOG = Logger.getLogger(CommitSender.class.getName());

  private final L1Rpc rpc;
  private final RollupReads reads;
  private final Web3jRollupContract.Settings settings;
  private final long chainId;
  private final Retry attempts;

  CommitSender(L1Rpc rpc, RollupReads reads, Web3jRollupContract.Settings settings, long chainId) {
    this.rpc = rpc;
    this.reads = reads;
    this.settings = settings;
    this.chainId = chainId;
    this.attempts = settings.retry().retry("l1-commit", t -> t instanceof AttemptFailed);
  }

  /**
   * Commits batch {@code n} with {@code calldata} ({@code commitBatch(…)}, encoded by the binding).
   *
   * @throws L1RevertedException if the contract refuses it, or holds another batch {@code n}
   * @throws L1UnavailableException if it is not confirmed after the last attempt
   */
  void commit(long n, Fr newRoot, String calldata) {
    Commit commit = new Commit(n, newRoot, calldata);
    try {
      Retry.decorateCheckedRunnable(attempts, commit::attempt).run();
    } catch (AttemptFailed e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new L1UnavailableException("commitBatch(" + n + ") interrupted: " + e.getMessage(), e.getCause());
      }
      throw new L1UnavailableException("commitBatch(" + n + ") not confirmed after " + settings.retry().attempts() + " attempts: " + e.getMessage(), e.getCause());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** One attempt ended without a confirmed commit; the next attempt goes on from what was sent. */
  private static final class AttemptFailed extends Exception {
    private static final long serialVersionUID = 1L;

    AttemptFailed(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** An I/O failure inside a step of an attempt: the attempt fails and the next one starts over. */
  private static final class TransientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TransientException(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** The transactions of one batch's commit, across attempts. */
  private final class Commit {
    private final long n;
    private final Fr newRoot;
    private final String calldata;
    private final List<String> sent = new ArrayList<>();
    private BigInteger nonce;
    private Fees fees;
    private int attempt;

    Commit(long n, Fr newRoot, String calldata) {
      this.n = n;
      this.newRoot = newRoot;
      this.calldata = calldata;
    }

    void attempt() throws AttemptFailed {
      attempt++;
      Throwable failure;
      try {
        failure = tryOnce();
        if (failure == null) {
          return;
        }
      } catch (TransientException e) {
        failure = e.getCause();
        if (String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT).contains("nonce too low")) {
          nonce = null; // the nonce was used (by a transaction not in `sent`): ask again
        }
      }
      final Throwable why = failure;
      LOG.warning(() -> "L1: commitBatch(" + n + "), attempt " + attempt + ": " + why.getMessage());
      throw new AttemptFailed(failure);
    }

    /** Null once the batch is committed; else why this attempt did not get there. */
    private Throwable tryOnce() {
      // Committed meanwhile (an earlier transaction of ours was mined, or another sender's)?
      if (reads.batchCount(rpc.blockNumber()) > n) {
        checkCommitted(n, newRoot);
        return null;
      }
      Optional<TransactionReceipt> mined = receiptOfAny(sent);
      if (mined.isEmpty()) {
        if (simulate(calldata, n)) { // a revert throws here, before any gas is spent
          checkCommitted(n, newRoot);
          return null;
        }
        if (sent.isEmpty() && awaitPendingCommit(calldata, n)) {
          checkCommitted(n, newRoot); // a commit sent before a restart got mined
          return null;
        }
        BigInteger gasLimit = estimateGas(calldata);
        if (nonce == null) {
          nonce = rpc.call("eth_getTransactionCount", () -> L1Rpc.check(rpc.web3().ethGetTransactionCount(signer(), DefaultBlockParameterName.PENDING).send()).getTransactionCount());
          fees = fees();
        } else {
          fees = fees.bumpedTo(fees()); // replaces the transaction that timed out (same nonce)
        }
        String hash = send(RawTransaction.createTransaction(chainId, nonce, gasLimit, settings.contract(), BigInteger.ZERO, calldata, fees.tip(), fees.max()));
        sent.add(hash);
        final BigInteger nonceUsed = nonce;
        LOG.info(() -> "L1: commitBatch(" + n + ") sent as " + hash + " (nonce " + nonceUsed + ")");
        mined = awaitReceipt(sent);
      }
      if (mined.isEmpty()) {
        return new IOException("no receipt for " + sent.get(sent.size() - 1) + " within " + settings.receiptTimeout());
      }
      TransactionReceipt r = mined.get();
      if (!awaitConfirmations(r)) {
        return new IOException("the receipt of " + r.getTransactionHash() + " went away (a reorganisation)");
      }
      if (r.isStatusOK()) {
        LOG.info(() -> "L1: batch " + n + " committed in block " + r.getBlockNumber() + ", gas " + r.getGasUsed());
        return null;
      }
      if (reads.batchCount(rpc.blockNumber()) > n || simulate(calldata, n)) {
        checkCommitted(n, newRoot); // ours lost a race with an earlier one of ours: fine
        return null;
      }
      // Mined and reverted, yet the call passes now (out of gas, a state that moved): send afresh,
      // with a new nonce.
      sent.clear();
      nonce = null;
      return new IOException("commitBatch(" + n + ") was mined and reverted (" + r.getTransactionHash() + "), though a simulation passes now");
    }
  }

  private String signer() {
    return settings.signer().getAddress();
  }

  /** L1 has batch {@code n}: it must be this one (a batch n of other data would fork the rollup). */
  void checkCommitted(long n, Fr newRoot) {
    L1State s = reads.state(rpc.blockNumber());
    if (s.batchCount() == n + 1 && !s.stateRoot().equals(newRoot)) {
      throw new L1RevertedException("L1 holds another batch " + n + " (root " + s.stateRoot() + ", this one " + newRoot + ")");
    }
    LOG.info(() -> "L1: batch " + n + " is committed already");
  }

  private EthCall call(String calldata, DefaultBlockParameterName block) {
    return rpc.call("eth_call commitBatch (" + block.getValue() + ")", () -> rpc.web3().ethCall(Transaction.createEthCallTransaction(signer(), settings.contract(), calldata), block).send());
  }

  /**
   * eth_call of the transaction: throws the named revert if it would revert, unless it reverts
   * because batch {@code n} is in by now (then true).
   */
  private boolean simulate(String calldata, long n) {
    EthCall r = call(calldata, DefaultBlockParameterName.LATEST);
    Optional<String> revert = RevertReason.of(r);
    if (revert.isPresent()) {
      if (reads.batchCount(rpc.blockNumber()) > n) {
        return true; // BatchOutOfOrder because it is in
      }
      throw new L1RevertedException(revert.get());
    }
    if (r.hasError()) {
      throw new TransientException(new IOException("eth_call: " + r.getError().getMessage()));
    }
    return false;
  }

  /**
   * If the call would revert on the pending state but not on the latest block, a transaction in
   * the pool commits batch {@code n} first: ours from before a restart (its nonce is below the
   * pending count we would take), or another sender's. Waits for it rather than paying for a
   * duplicate, up to the receipt timeout. True if batch {@code n} got committed meanwhile.
   */
  private boolean awaitPendingCommit(String calldata, long n) {
    long end = System.nanoTime() + settings.receiptTimeout().toNanos();
    boolean logged = false;
    while (System.nanoTime() < end) {
      Optional<String> revert = RevertReason.of(call(calldata, DefaultBlockParameterName.PENDING));
      if (revert.isEmpty()) {
        return false;
      }
      if (reads.batchCount(rpc.blockNumber()) > n) {
        return true;
      }
      if (!logged) {
        LOG.info(() -> "L1: a pending transaction commits batch " + n + " first (" + revert.get() + "); waiting for it");
        logged = true;
      }
      L1Rpc.sleep(settings.pollInterval().toMillis());
    }
    return false; // not mined in time: send ours (if the other one is mined first, ours reverts harmlessly)
  }

  private BigInteger estimateGas(String calldata) {
    return rpc.call(
        "eth_estimateGas",
        () -> {
          EthEstimateGas r = rpc.web3().ethEstimateGas(Transaction.createFunctionCallTransaction(signer(), null, null, null, settings.contract(), calldata)).send();
          if (r.hasError() && RevertReason.of(r).isPresent()) {
            // The simulation passed a moment ago: the state moved (a commit got in); go round again.
            throw new TransientException(new IOException("eth_estimateGas reverted: " + RevertReason.of(r).get()));
          }
          // A margin: the estimate is exact for the state it ran on, and the verifier's
          // precompile calls have gas-dependent edges.
          return L1Rpc.check(r).getAmountUsed().multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(4)).add(BigInteger.valueOf(20_000));
        });
  }

  /** EIP-1559 fees: the tip and the most the signer pays per gas. */
  record Fees(BigInteger tip, BigInteger max) {

    /** Fees for a replacement: at least 12.5 % above these (what nodes require), or {@code now}'s. */
    Fees bumpedTo(Fees now) {
      BigInteger t = tip.multiply(BigInteger.valueOf(9)).divide(BigInteger.valueOf(8)).add(BigInteger.ONE).max(now.tip());
      BigInteger m = max.multiply(BigInteger.valueOf(9)).divide(BigInteger.valueOf(8)).add(BigInteger.ONE).max(now.max());
      return new Fees(t, m.max(t));
    }
  }

  /** Fees for the next block: twice the base fee plus the tip. */
  Fees fees() {
    return fees(rpc);
  }

  /** The same rule for any sender on {@code rpc}. */
  static Fees fees(L1Rpc rpc) {
    BigInteger base =
        rpc.call("eth_getBlockByNumber", () -> L1Rpc.check(rpc.web3().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()).getBlock().getBaseFeePerGas());
    BigInteger tip;
    try {
      tip = rpc.call("eth_maxPriorityFeePerGas", () -> L1Rpc.check(rpc.web3().ethMaxPriorityFeePerGas().send()).getMaxPriorityFeePerGas());
    } catch (L1UnavailableException e) {
      tip = BigInteger.valueOf(1_000_000_000L);
    }
    return new Fees(tip, base.shiftLeft(1).add(tip));
  }

  private String send(RawTransaction tx) {
    Credentials key = settings.signer();
    String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, key));
    String hash = Hash.sha3(signed);
    rpc.call(
        "eth_sendRawTransaction",
        () -> {
          EthSendTransaction r = rpc.web3().ethSendRawTransaction(signed).send();
          if (r.hasError()) {
            String m = r.getError().getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("already known") || m.contains("already imported")) {
              return hash; // a retry of a send that got through
            }
            // "nonce too low" (the first transaction was mined meanwhile), "underpriced", …: the
            // next attempt re-reads batchCount and the receipts before anything else.
            throw new TransientException(new IOException("eth_sendRawTransaction: " + r.getError().getMessage()));
          }
          return hash;
        });
    return hash;
  }

  private Optional<TransactionReceipt> receiptOfAny(List<String> hashes) {
    for (String h : hashes) {
      Optional<TransactionReceipt> r = rpc.call("eth_getTransactionReceipt", () -> L1Rpc.check(rpc.web3().ethGetTransactionReceipt(h).send()).getTransactionReceipt());
      if (r.isPresent()) {
        return r;
      }
    }
    return Optional.empty();
  }

  private Optional<TransactionReceipt> awaitReceipt(List<String> hashes) {
    long end = System.nanoTime() + settings.receiptTimeout().toNanos();
    while (true) {
      Optional<TransactionReceipt> r = receiptOfAny(hashes);
      if (r.isPresent() || System.nanoTime() > end) {
        return r;
      }
      L1Rpc.sleep(settings.pollInterval().toMillis());
    }
  }

  /** Waits until the receipt's block has {@code confirmations} blocks; false if it went away. */
  private boolean awaitConfirmations(TransactionReceipt r) {
    long needed = r.getBlockNumber().longValueExact() + settings.confirmations() - 1;
    while (rpc.blockNumber() < needed) {
      L1Rpc.sleep(settings.pollInterval().toMillis());
    }
    if (settings.confirmations() == 1) {
      return true;
    }
    Optional<TransactionReceipt> again = receiptOfAny(List.of(r.getTransactionHash()));
    return again.isPresent() && again.get().getBlockHash().equals(r.getBlockHash());
  }
}
