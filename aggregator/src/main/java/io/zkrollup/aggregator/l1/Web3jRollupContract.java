package io.zkrollup.aggregator.l1;

import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.L1Data;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/**
 * The rollup contract ({@code contracts/src/Rollup.sol}) on an Ethereum node, over JSON-RPC,
 * through the binding the build generates from its ABI ({@link Rollup}).
 *
 * <ul>
 *   <li>{@link #open} checks that the contract is this node's: its {@code rollupId}, {@code slots},
 *       {@code depth} and {@code validium}, request 0 (the operator's deposit of 0 to its key hash)
 *       and, before the first batch, the genesis root.
 *   <li>{@link #state} reads the contract's getters at one block, so the five values agree.
 *   <li>{@link #requests} comes from the {@code Deposit} and {@code ForcedWithdrawalRequested}
 *       events up to the confirmed head, checked against the contract's {@code queueHash} ({@link
 *       RequestLog}).
 *   <li>{@link #commitBatch} simulates, sends and confirms one transaction per batch ({@link
 *       CommitSender}).
 * </ul>
 *
 * <p>The signing key should be the node's own: the nonce comes from the node's pending count, and
 * a timed-out transaction is replaced (same nonce, higher fees) rather than duplicated.
 */
public final class Web3jRollupContract implements RollupContract {

  private static final Logger LOG = Logger.getLogger(Web3jRollupContract.class.getName());

  /** Turns the node's stored proof into the verifier's {@code proof} bytes (opaque here). */
  @FunctionalInterface
  public interface ProofEncoder {
    /**
     * @param storedProof the proof as the node stores it (gnark's encoding)
     * @param inputs the public inputs it proves
     * @return the {@code proof} argument of {@code commitBatch}
     */
    byte[] solidityProof(byte[] storedProof, PublicInputs inputs);
  }

  /**
   * How to reach the contract.
   *
   * @param rpc the JSON-RPC endpoint (http or https)
   * @param contract the Rollup contract's address (0x + 40 hex digits)
   * @param signer the key that signs {@code commitBatch} transactions (and pays their gas)
   * @param chainId the chain to expect, or empty to take the node's
   * @param pollInterval how often to poll for receipts and blocks
   * @param confirmations blocks a receipt (and a deposit) must have on top, counting its own (≥ 1)
   * @param receiptTimeout how long to wait for a sent transaction before replacing it
   * @param retry retries of I/O failures and receipt timeouts
   * @param logBlockRange the most blocks one {@code eth_getLogs} call covers
   * @param fromBlock the block to search deposit events from (the deployment's), or empty to find
   *     it (by {@code eth_getCode}, which needs the node to keep that old state)
   */
  public record Settings(
      URI rpc,
      String contract,
      Credentials signer,
      OptionalLong chainId,
      Duration pollInterval,
      int confirmations,
      Duration receiptTimeout,
      L1Retries retry,
      long logBlockRange,
      OptionalLong fromBlock) {

    /** The defaults: chain detected, 1 s polls, 1 confirmation, 3 min receipts, 10,000-block log ranges. */
    public static Settings of(URI rpc, String contract, Credentials signer) {
      return new Settings(rpc, contract, signer, OptionalLong.empty(), Duration.ofSeconds(1), 1, Duration.ofMinutes(3), L1Retries.defaults(), 10_000, OptionalLong.empty());
    }

    /** Checks the values. */
    public Settings {
      Objects.requireNonNull(rpc, "rpc");
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(chainId, "chainId");
      Objects.requireNonNull(pollInterval, "pollInterval");
      Objects.requireNonNull(receiptTimeout, "receiptTimeout");
      Objects.requireNonNull(retry, "retry");
      Objects.requireNonNull(fromBlock, "fromBlock");
      contract = checkAddress(contract);
      if (!"http".equals(rpc.getScheme()) && !"https".equals(rpc.getScheme())) {
        throw new IllegalArgumentException("the L1 RPC must be an http or https URL, got " + rpc);
      }
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be ≥ 1, got " + confirmations);
      }
      if (pollInterval.isNegative() || pollInterval.isZero() || receiptTimeout.isNegative() || receiptTimeout.isZero()) {
        throw new IllegalArgumentException("the poll interval and the receipt timeout must be positive");
      }
      if (logBlockRange < 1) {
        throw new IllegalArgumentException("the log block range must be ≥ 1, got " + logBlockRange);
      }
    }

    /** These settings with {@code n} confirmations. */
    public Settings withConfirmations(int n) {
      return new Settings(rpc, contract, signer, chainId, pollInterval, n, receiptTimeout, retry, logBlockRange, fromBlock);
    }

    /** These settings polling every {@code interval}. */
    public Settings withPollInterval(Duration interval) {
      return new Settings(rpc, contract, signer, chainId, interval, confirmations, receiptTimeout, retry, logBlockRange, fromBlock);
    }

    /** These settings expecting chain {@code id}. */
    public Settings withChainId(OptionalLong id) {
      return new Settings(rpc, contract, signer, id, pollInterval, confirmations, receiptTimeout, retry, logBlockRange, fromBlock);
    }

    /** These settings reading deposit events from block {@code block} on (the deployment's), or searching for it if empty. */
    public Settings withFromBlock(OptionalLong block) {
      return new Settings(rpc, contract, signer, chainId, pollInterval, confirmations, receiptTimeout, retry, logBlockRange, block);
    }

    /** These settings with other retries and receipt timeout. */
    public Settings withRetry(L1Retries r, Duration receipts) {
      return new Settings(rpc, contract, signer, chainId, pollInterval, confirmations, receipts, r, logBlockRange, fromBlock);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
      return "Settings[" + rpc + ", contract " + contract + ", signer " + signer.getAddress() + ", chain " + chainId + ", " + confirmations + " confirmations]";
    }
  }

  private final Settings settings;
  private final L1Rpc rpc;
  private final RollupReads reads;
  private final long chainId;
  private final int slots;
  private final DataAvailability mode;
  private final ProofEncoder encoder;
  private final RequestLog requestLog;
  private final CommitSender sender;
  private final L1Deposit operatorDeposit;
  private final long priorityDeadline;
  /** The first block the node reads the contract at: its deployment, or the configured first block. */
  private final long deployedAt;

  private Web3jRollupContract(
      Settings settings, L1Rpc rpc, RollupReads reads, long chainId, int slots, DataAvailability mode, ProofEncoder encoder, RequestLog requestLog, L1Deposit operatorDeposit,
      long priorityDeadline, long deployedAt) {
    this.settings = settings;
    this.rpc = rpc;
    this.reads = reads;
    this.chainId = chainId;
    this.slots = slots;
    this.mode = mode;
    this.encoder = encoder;
    this.requestLog = requestLog;
    this.operatorDeposit = operatorDeposit;
    this.priorityDeadline = priorityDeadline;
    this.deployedAt = deployedAt;
    this.sender = new CommitSender(rpc, reads, settings, chainId);
  }

  /**
   * Connects and checks that the contract at {@code settings.contract()} is this node's rollup, in
   * rollup mode.
   *
   * @see #open(Settings, long, int, int, DataAvailability, Fr, Fr, ProofEncoder)
   */
  public static Web3jRollupContract open(Settings settings, long rollupId, int slots, int depth, Fr genesisRoot, Fr operatorKeyHash, ProofEncoder encoder) {
    return open(settings, rollupId, slots, depth, DataAvailability.ROLLUP, genesisRoot, operatorKeyHash, encoder);
  }

  /**
   * Connects and checks that the contract at {@code settings.contract()} is this node's rollup,
   * deployed for data-availability {@code mode} (its {@code validium()} flag).
   *
   * @param depth D, the state tree's depth (the contract checks account indices against it)
   * @param genesisRoot the empty tree's root (the contract's root while it has no batch)
   * @param operatorKeyHash the operator's key hash (request 0 is its deposit of 0 wei, owned by the
   *     deployer)
   * @throws IllegalStateException naming what differs, if the chain or the contract is not the
   *     expected one (no contract there, another rollup id, B, D, mode, operator or genesis root)
   * @throws L1UnavailableException if the node cannot be reached
   */
  public static Web3jRollupContract open(
      Settings settings, long rollupId, int slots, int depth, DataAvailability mode, Fr genesisRoot, Fr operatorKeyHash, ProofEncoder encoder) {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(mode, "mode");
    L1Rpc rpc = new L1Rpc(settings.rpc(), settings.retry());
    try {
      String address = settings.contract();
      long chain = rpc.call("eth_chainId", () -> L1Rpc.check(rpc.web3().ethChainId().send()).getChainId().longValueExact());
      if (settings.chainId().isPresent() && settings.chainId().getAsLong() != chain) {
        throw new IllegalStateException("the L1 RPC " + settings.rpc() + " serves chain " + chain + ", not the configured chain " + settings.chainId().getAsLong());
      }
      if (!hasCode(rpc, address, DefaultBlockParameterName.LATEST)) {
        throw new IllegalStateException("no contract at " + address + " on chain " + chain);
      }
      RollupReads reads = new RollupReads(rpc, address, settings.signer().getAddress());
      long head = rpc.blockNumber();
      Rollup at = reads.at(head);
      // A uint64 (protocol v3): the long holds its 64 bits, as the node's rollup id does.
      long contractRollup = reads.read("rollupId", at.rollupId()).longValue();
      long contractSlots = reads.read("slots", at.slots()).longValueExact();
      long contractDepth = reads.read("depth", at.depth()).longValueExact();
      if (contractRollup != rollupId || contractSlots != slots || contractDepth != depth) {
        throw new IllegalStateException(
            "the contract at " + address + " is rollup " + contractRollup + " with B=" + contractSlots + ", D=" + contractDepth + ", the node is rollup " + rollupId + " with B=" + slots
                + ", D=" + depth);
      }
      DataAvailability contractMode = reads.read("validium", at.validium()) ? DataAvailability.VALIDIUM : DataAvailability.ROLLUP;
      if (contractMode != mode) {
        throw new IllegalStateException("the contract at " + address + " is deployed in " + contractMode.label() + " mode, the node runs in " + mode.label() + " mode");
      }
      long deadline = reads.read("priorityDeadline", at.priorityDeadline()).longValueExact();
      L1State state = reads.state(head);
      if (state.batchCount() == 0 && !state.stateRoot().equals(genesisRoot)) {
        throw new IllegalStateException("the contract at " + address + " starts from another genesis root (a tree of another depth?)");
      }
      long from = settings.fromBlock().isPresent() ? settings.fromBlock().getAsLong() : findDeploymentBlock(rpc, address, head);
      RequestLog log = new RequestLog(rpc, reads, address, from, settings.logBlockRange());
      // Request 0 is the operator's deposit of 0 wei; its owner is the deployer, which only the
      // event tells (the rolling hash covers the id hash, which the log check recomputes).
      List<PriorityRequest> first = log.page(0, 1, head);
      if (first.isEmpty()) {
        throw new IllegalStateException("cannot read request 0 of the contract at " + address + " from its logs (from block " + from + ")");
      }
      if (!(first.get(0) instanceof L1Deposit operator) || !operator.keyHash().equals(operatorKeyHash) || operator.amount().signum() != 0) {
        throw new IllegalStateException("the contract at " + address + " was deployed for another operator key (its request 0 is not this operator's deposit)");
      }
      LOG.info(() -> "L1: rollup contract " + address + " on chain " + chain + " (deployed at block " + from + ", operator owner " + operator.owner() + "), signer " + settings.signer().getAddress());
      return new Web3jRollupContract(settings, rpc, reads, chain, slots, mode, encoder, log, operator, deadline, from);
    } catch (RuntimeException e) {
      rpc.close();
      throw e;
    }
  }

  private static boolean hasCode(L1Rpc rpc, String address, DefaultBlockParameter block) {
    String code = rpc.call("eth_getCode", () -> L1Rpc.check(rpc.web3().ethGetCode(address, block).send()).getCode());
    return code != null && !Numeric.cleanHexPrefix(code).isEmpty();
  }

  /** The first block with code at the contract's address (binary search with eth_getCode). */
  static long findDeploymentBlock(L1Rpc rpc, String address, long head) {
    long lo = 0;
    long hi = head;
    try {
      while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (hasCode(rpc, address, DefaultBlockParameter.valueOf(BigInteger.valueOf(mid)))) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    } catch (L1UnavailableException e) {
      LOG.warning(() -> "L1: cannot find the deployment block (" + e.getMessage() + "); reading deposit events from block 0");
      return 0;
    }
  }

  /**
   * Reads a private key file: the key as hex (64 digits, an optional 0x, surrounding whitespace
   * ignored). The message of a bad file never contains its content.
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no such key
   */
  public static Credentials readKeyFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the L1 key file " + file + ": " + e.getMessage(), e);
    }
    String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("the L1 key file " + file + " must hold one private key as 64 hex digits (optionally 0x-prefixed)");
    }
    if (new BigInteger(hex, 16).signum() == 0) {
      throw new IllegalArgumentException("the L1 key file " + file + " holds the zero key");
    }
    return Credentials.create(hex);
  }

  /** {@code 0x} + 40 hex digits, lower-cased. */
  public static String checkAddress(String address) {
    Objects.requireNonNull(address, "contract");
    if (!address.matches("0[xX][0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException("an L1 address is 0x and 40 hex digits, got " + address);
    }
    return "0x" + address.substring(2).toLowerCase(Locale.ROOT);
  }

  /** The chain the contract is on. */
  public long chainId() {
    return chainId;
  }

  /** The address that signs and pays for {@code commitBatch}. */
  public String signer() {
    return settings.signer().getAddress();
  }

  @Override
  public L1State state() {
    return reads.state(rpc.blockNumber());
  }

  /**
   * Read at the head less {@code confirmations − 1} blocks, and never at the head itself (so one
   * block deeper at one confirmation): an RPC node answers for the head from live state, which a
   * block being mined changes between two calls, and anvil did, giving a batch count from after a
   * commit with the root from before it. Never before the block the node reads the contract's logs
   * from (its deployment): no getter answers there.
   */
  @Override
  public L1State confirmedState() {
    return reads.state(Math.max(deployedAt, rpc.blockNumber() - Math.max(1, settings.confirmations() - 1)));
  }

  /** One {@code eth_call} instead of {@link #state}'s four: the publisher asks this often. */
  @Override
  public long batchCount() {
    return reads.batchCount(rpc.blockNumber());
  }

  /**
   * Request 0, the operator's deposit of 0 wei into the account (operator key hash, deployer):
   * its owner and id hash are those of the operator's account.
   */
  public L1Deposit operatorDeposit() {
    return operatorDeposit;
  }

  @Override
  public long priorityDeadline() {
    return priorityDeadline;
  }

  @Override
  public long blockNumber() {
    return rpc.blockNumber();
  }

  @Override
  public byte[] queueHash(long index) {
    return reads.queueHash(index, rpc.blockNumber());
  }

  @Override
  public long requestBlock(long index) {
    return reads.requestBlock(index, rpc.blockNumber());
  }

  @Override
  public List<PriorityRequest> requests(long from, int max) {
    if (from < 0 || max < 1) {
      throw new IllegalArgumentException("requests from " + from + ", at most " + max);
    }
    // Only requests with enough confirmations: one that a reorganisation drops must not be fed.
    return requestLog.page(from, max, rpc.blockNumber() - (settings.confirmations() - 1));
  }

  @Override
  public void commitBatch(byte[] pubdata, Fr newRoot, byte[] proof) {
    L1Data data;
    long n;
    try {
      data = L1Data.decode(slots, mode, pubdata);
      n = data.onChain().header().batchNumber(); // the decoder knows the header's layout (v3: after an 8-byte rollup id)
    } catch (IllegalArgumentException e) {
      throw new L1RevertedException("MalformedPubdata(): " + e.getMessage());
    }
    L1State s = state();
    if (s.batchCount() > n) {
      sender.checkCommitted(n, newRoot);
      return;
    }
    byte[] solidity = encoder.solidityProof(proof, new PublicInputs(s.stateRoot(), newRoot, n, data.hash()));
    String calldata = reads.at(0).commitBatch(pubdata, newRoot.toBigInteger(), solidity).encodeFunctionCall();
    sender.commit(n, newRoot, calldata);
  }

  @Override
  public void close() {
    rpc.close();
  }

  @Override
  public String toString() {
    return "Web3jRollupContract[" + settings + "]";
  }
}
