package io.zkrollup.aggregator.l1;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.batch.L1Data;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The rollup contract ({@code contracts/src/Rollup.sol}) on an Ethereum node, over JSON-RPC.
 *
 * <ul>
 *   <li>{@link #open} checks that the contract is this node's: its {@code rollupId} and {@code
 *       slots}, deposit 0 (the operator's key hash) and, before the first batch, the genesis root.
 *   <li>{@link #state} reads the contract's getters at one block, so the four values agree.
 *   <li>{@link #deposits} comes from the {@code Deposit} events ({@code eth_getLogs} over bounded
 *       block ranges, cached) up to the confirmed head, and is checked against the contract's
 *       {@code queueHash} rolling hash: an RPC answer that does not reproduce it is refused.
 *   <li>{@link #commitBatch} simulates the call first (a revert is decoded into {@link
 *       L1RevertedException} naming Rollup.sol's custom error, and nothing is sent), then sends a
 *       signed EIP-1559 transaction and waits for its receipt and confirmations. I/O failures and
 *       receipt timeouts are retried with exponential backoff and jitter, a bounded number of
 *       times ({@link L1UnavailableException} then). Before every (re)send it reads {@code
 *       batchCount}: a batch the contract already has counts as committed, so a retry, a
 *       transaction still in flight from before a crash, or a restart never commits it twice.
 * </ul>
 *
 * <p>The signing key should be the node's own: the nonce comes from the node's pending count, and
 * a timed-out transaction is replaced (same nonce, higher fees) rather than duplicated.
 */
public final class Web3jRollupContract implements RollupContract {

  private static final Logger LOG = Logger.getLogger(Web3jRollupContract.class.getName());

  /** {@code Deposit(uint64 index, bytes32 keyHash, uint112 amount)}, none indexed. */
  static final String DEPOSIT_TOPIC = Hash.sha3String("Deposit(uint64,bytes32,uint112)");

  /** Rollup.sol's custom errors by selector: their signatures, for messages. */
  private static final Map<String, String> ERRORS = new HashMap<>();

  static {
    for (String e :
        List.of(
            "DepositAmountOutOfRange(uint256)",
            "DepositCapExceeded(uint256,uint256)",
            "KeyHashNotCanonical(bytes32)",
            "MalformedPubdata()",
            "WrongRollup(uint32,uint32)",
            "BatchOutOfOrder(uint64,uint64)",
            "InvalidProof()",
            "TooManyDeposits(uint64,uint64)",
            "DepositsMismatch()",
            "NothingToClaim()",
            "TransferFailed()")) {
      ERRORS.put(Hash.sha3String(e).substring(2, 10), e);
    }
  }

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
   * Bounded retries of I/O failures: {@code attempts} tries in all, waiting {@code first}, then
   * twice as long each time up to {@code max}, each wait randomised to 50..100 % of itself so that
   * several nodes do not retry in step.
   */
  public record Retry(int attempts, Duration first, Duration max) {

    /** 8 tries, 250 ms doubling up to 15 s (about a minute in all). */
    public static Retry defaults() {
      return new Retry(8, Duration.ofMillis(250), Duration.ofSeconds(15));
    }

    /** Checks the values. */
    public Retry {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(max, "max");
      if (attempts < 1 || first.isNegative() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException("retry needs ≥ 1 attempt and 0 ≤ first ≤ max, got " + attempts + ", " + first + ", " + max);
      }
    }

    long delayMillis(int failures) {
      long d = first.toMillis() << Math.min(failures - 1, 20);
      long capped = Math.min(max.toMillis(), d < 0 ? max.toMillis() : d);
      return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }
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
      Retry retry,
      long logBlockRange,
      OptionalLong fromBlock) {

    /** The defaults: chain detected, 1 s polls, 1 confirmation, 3 min receipts, 10,000-block log ranges. */
    public static Settings of(URI rpc, String contract, Credentials signer) {
      return new Settings(rpc, contract, signer, OptionalLong.empty(), Duration.ofSeconds(1), 1, Duration.ofMinutes(3), Retry.defaults(), 10_000, OptionalLong.empty());
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

    /** These settings with other retries and receipt timeout. */
    public Settings withRetry(Retry r, Duration receipts) {
      return new Settings(rpc, contract, signer, chainId, pollInterval, confirmations, receipts, r, logBlockRange, fromBlock);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
      return "Settings[" + rpc + ", contract " + contract + ", signer " + signer.getAddress() + ", chain " + chainId + ", " + confirmations + " confirmations]";
    }
  }

  private final Settings settings;
  private final Web3j web3;
  private final long chainId;
  private final int slots;
  private final DataAvailability mode;
  private final ProofEncoder encoder;
  private final long deploymentBlock;

  /** Deposits fetched from logs and not yet asked for, by queue index. */
  private final TreeMap<Long, L1Deposit> cache = new TreeMap<>();
  /** The last block whose Deposit logs are in {@link #cache}. */
  private long scannedTo;

  private Web3jRollupContract(
      Settings settings, Web3j web3, long chainId, int slots, DataAvailability mode, ProofEncoder encoder, long deploymentBlock) {
    this.settings = settings;
    this.web3 = web3;
    this.chainId = chainId;
    this.slots = slots;
    this.mode = mode;
    this.encoder = encoder;
    this.deploymentBlock = deploymentBlock;
    this.scannedTo = deploymentBlock - 1;
  }

  /**
   * Connects and checks that the contract at {@code settings.contract()} is this node's rollup.
   *
   * @param genesisRoot the empty tree's root (the contract's root while it has no batch)
   * @param operatorKeyHash the operator's key hash (the contract's deposit 0)
   * @throws IllegalStateException naming what differs, if the chain or the contract is not the
   *     expected one (no contract there, another rollup id, B, operator or genesis root)
   * @throws L1UnavailableException if the node cannot be reached
   */
  public static Web3jRollupContract open(Settings settings, long rollupId, int slots, Fr genesisRoot, Fr operatorKeyHash, ProofEncoder encoder) {
    return open(settings, rollupId, slots, DataAvailability.ROLLUP, genesisRoot, operatorKeyHash, encoder);
  }

  /**
   * Connects and checks that the contract at {@code settings.contract()} is this node's rollup,
   * deployed for data-availability {@code mode} (its {@code validium()} flag).
   *
   * @see #open(Settings, long, int, Fr, Fr, ProofEncoder)
   */
  public static Web3jRollupContract open(
      Settings settings, long rollupId, int slots, DataAvailability mode, Fr genesisRoot, Fr operatorKeyHash, ProofEncoder encoder) {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(mode, "mode");
    Web3j web3 = Web3j.build(new HttpService(settings.rpc().toString()));
    try {
      Web3jRollupContract c = new Web3jRollupContract(settings, web3, 0, slots, mode, encoder, 0);
      long chain = c.retrying("eth_chainId", () -> check(web3.ethChainId().send()).getChainId().longValueExact());
      if (settings.chainId().isPresent() && settings.chainId().getAsLong() != chain) {
        throw new IllegalStateException("the L1 RPC " + settings.rpc() + " serves chain " + chain + ", not the configured chain " + settings.chainId().getAsLong());
      }
      String code = c.retrying("eth_getCode", () -> check(web3.ethGetCode(settings.contract(), DefaultBlockParameterName.LATEST).send()).getCode());
      if (code == null || Numeric.cleanHexPrefix(code).isEmpty()) {
        throw new IllegalStateException("no contract at " + settings.contract() + " on chain " + chain);
      }
      long head = c.blockNumber();
      long contractRollup = c.uint("rollupId", head).longValueExact();
      long contractSlots = c.uint("slots", head).longValueExact();
      if (contractRollup != rollupId || contractSlots != slots) {
        throw new IllegalStateException(
            "the contract at " + settings.contract() + " is rollup " + contractRollup + " with B=" + contractSlots + ", the node is rollup " + rollupId + " with B=" + slots);
      }
      DataAvailability contractMode = c.uint("validium", head).signum() == 0 ? DataAvailability.ROLLUP : DataAvailability.VALIDIUM;
      if (contractMode != mode) {
        throw new IllegalStateException("the contract at " + settings.contract() + " is deployed in " + contractMode.label() + " mode, the node runs in " + mode.label() + " mode");
      }
      byte[] deposit0 = EmbeddedL1.keccak(new byte[32], operatorKeyHash.toBytes(), new byte[14]);
      if (!Arrays.equals(Numeric.toBytesPadded(c.uint("queueHash", head, new Uint64(1)), 32), deposit0)) {
        throw new IllegalStateException("the contract at " + settings.contract() + " was deployed for another operator key (its deposit 0 is not this operator's)");
      }
      if (c.uint("batchCount", head).signum() == 0 && !c.uint("stateRoot", head).equals(genesisRoot.toBigInteger())) {
        throw new IllegalStateException("the contract at " + settings.contract() + " starts from another genesis root (a tree of another depth?)");
      }
      long from = settings.fromBlock().isPresent() ? settings.fromBlock().getAsLong() : c.findDeploymentBlock(head);
      LOG.info(() -> "L1: rollup contract " + settings.contract() + " on chain " + chain + " (deployed at block " + from + "), signer " + settings.signer().getAddress());
      return new Web3jRollupContract(settings, web3, chain, slots, mode, encoder, from);
    } catch (RuntimeException e) {
      web3.shutdown();
      throw e;
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
    BigInteger key = new BigInteger(hex, 16);
    if (key.signum() == 0) {
      throw new IllegalArgumentException("the L1 key file " + file + " holds the zero key");
    }
    return Credentials.create(hex);
  }

  /** {@code 0x} + 40 hex digits, lower-cased. */
  static String checkAddress(String address) {
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

  // ------------------------------------------------------------------ reads

  @Override
  public L1State state() {
    return stateAt(blockNumber());
  }

  /** One {@code eth_call} instead of {@link #state}'s five: the publisher asks this often. */
  @Override
  public long batchCount() {
    return uint("batchCount", blockNumber()).longValueExact();
  }

  private L1State stateAt(long block) {
    return new L1State(
        Fr.of(uint("stateRoot", block)),
        uint("batchCount", block).longValueExact(),
        uint("depositCount", block).longValueExact(),
        uint("depositsConsumed", block).longValueExact());
  }

  @Override
  public synchronized List<L1Deposit> deposits(long from, int max) {
    if (from < 0 || max < 1) {
      throw new IllegalArgumentException("deposits from " + from + ", at most " + max);
    }
    // Only deposits with enough confirmations: one that a reorganisation drops must not be fed.
    long head = blockNumber() - (settings.confirmations() - 1);
    if (head < deploymentBlock) {
      return List.of();
    }
    long end = Math.min(uint("depositCount", head).longValueExact(), from + max);
    if (from >= end) {
      return List.of();
    }
    cache.headMap(from).clear();
    while (!covers(from, end) && scannedTo < head) {
      long to = Math.min(head, scannedTo + settings.logBlockRange());
      for (L1Deposit d : depositLogs(scannedTo + 1, to)) {
        if (d.index() >= from) {
          cache.put(d.index(), d);
        }
      }
      scannedTo = to;
    }
    List<L1Deposit> page = new ArrayList<>(cache.subMap(from, end).values());
    byte[] start = Numeric.toBytesPadded(uint("queueHash", head, new Uint64(from)), 32);
    byte[] expected = Numeric.toBytesPadded(uint("queueHash", head, new Uint64(end)), 32);
    if (!matchesQueue(from, end, page, start, expected)) {
      // A bad or incomplete answer from the RPC: refuse it and fetch the logs afresh next time.
      LOG.severe(() -> "L1: the Deposit logs the RPC returned for deposits " + from + ".." + (end - 1) + " do not reproduce the contract's queueHash; refused, fetching again");
      cache.clear();
      scannedTo = deploymentBlock - 1;
      return List.of();
    }
    return page;
  }

  private boolean covers(long from, long end) {
    return cache.subMap(from, end).size() == end - from;
  }

  /**
   * Whether {@code page} holds deposits {@code from .. end-1} in order and hashes from {@code start}
   * ({@code queueHash[from]}) to {@code expected} ({@code queueHash[end]}).
   */
  static boolean matchesQueue(long from, long end, List<L1Deposit> page, byte[] start, byte[] expected) {
    if (page.size() != end - from) {
      return false;
    }
    byte[] h = start;
    long i = from;
    for (L1Deposit d : page) {
      if (d.index() != i++ || d.amount().signum() < 0 || d.amount().bitLength() > 112) {
        return false;
      }
      h = EmbeddedL1.keccak(h, d.keyHash().toBytes(), Numeric.toBytesPadded(d.amount(), 14));
    }
    return Arrays.equals(h, expected);
  }

  private List<L1Deposit> depositLogs(long fromBlock, long toBlock) {
    EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)), DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), settings.contract());
    filter.addSingleTopic(DEPOSIT_TOPIC);
    List<EthLog.LogResult> logs = retrying("eth_getLogs " + fromBlock + ".." + toBlock, () -> check(web3.ethGetLogs(filter).send()).getLogs());
    List<L1Deposit> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : logs) {
      if (!(r.get() instanceof Log log) || log.isRemoved() || !settings.contract().equalsIgnoreCase(log.getAddress())) {
        continue;
      }
      byte[] data = Numeric.hexStringToByteArray(log.getData());
      if (data.length != 96) {
        continue; // not Rollup.sol's Deposit event; the queue-hash check will say what is missing
      }
      BigInteger index = new BigInteger(1, Arrays.copyOfRange(data, 0, 32));
      BigInteger keyHash = new BigInteger(1, Arrays.copyOfRange(data, 32, 64));
      BigInteger amount = new BigInteger(1, Arrays.copyOfRange(data, 64, 96));
      if (index.bitLength() > 63 || keyHash.compareTo(Fr.MODULUS) >= 0) {
        continue;
      }
      out.add(new L1Deposit(index.longValueExact(), Fr.of(keyHash), amount));
    }
    return out;
  }

  // ------------------------------------------------------------------ commitBatch

  @Override
  public void commitBatch(byte[] pubdata, Fr newRoot, byte[] proof) {
    L1Data data;
    try {
      data = L1Data.decode(slots, mode, pubdata);
    } catch (IllegalArgumentException e) {
      throw new L1RevertedException("MalformedPubdata(): " + e.getMessage());
    }
    long n = ByteBuffer.wrap(pubdata, 4, 8).getLong(); // the header's batch number
    L1State s = state();
    if (s.batchCount() > n) {
      checkCommitted(n, newRoot);
      return;
    }
    byte[] solidity = encoder.solidityProof(proof, new PublicInputs(s.stateRoot(), newRoot, n, data.hash()));
    String calldata =
        FunctionEncoder.encode(new Function("commitBatch", List.<Type>of(new DynamicBytes(pubdata), new Uint256(newRoot.toBigInteger()), new DynamicBytes(solidity)), List.of()));

    List<String> sent = new ArrayList<>();
    BigInteger nonce = null;
    BigInteger[] fees = null;
    int failures = 0;
    Throwable last = null;
    while (true) {
      try {
        // Committed meanwhile (an earlier transaction of ours was mined, or another sender's)?
        if (state().batchCount() > n) {
          checkCommitted(n, newRoot);
          return;
        }
        Optional<TransactionReceipt> mined = receiptOfAny(sent);
        if (mined.isEmpty()) {
          if (simulate(calldata, n)) { // a revert throws here, before any gas is spent
            checkCommitted(n, newRoot);
            return;
          }
          if (sent.isEmpty() && awaitPendingCommit(calldata, n)) {
            checkCommitted(n, newRoot); // a commit sent before a restart got mined
            return;
          }
          BigInteger gasLimit = estimateGas(calldata);
          if (nonce == null) {
            nonce = retrying("eth_getTransactionCount", () -> check(web3.ethGetTransactionCount(signer(), DefaultBlockParameterName.PENDING).send()).getTransactionCount());
            fees = fees();
          } else {
            fees = bumped(fees, fees()); // replaces the timed-out transaction (same nonce)
          }
          String hash = send(RawTransaction.createTransaction(chainId, nonce, gasLimit, settings.contract(), BigInteger.ZERO, calldata, fees[0], fees[1]));
          sent.add(hash);
          final BigInteger nonceUsed = nonce;
          LOG.info(() -> "L1: commitBatch(" + n + ") sent as " + hash + " (nonce " + nonceUsed + ")");
          mined = awaitReceipt(sent);
        }
        if (mined.isPresent()) {
          TransactionReceipt r = mined.get();
          if (awaitConfirmations(r)) {
            if (r.isStatusOK()) {
              LOG.info(() -> "L1: batch " + n + " committed in block " + r.getBlockNumber() + ", gas " + r.getGasUsed());
              return;
            }
            if (state().batchCount() > n) {
              checkCommitted(n, newRoot); // ours lost a race with an earlier one of ours: fine
              return;
            }
            if (simulate(calldata, n)) { // throws the contract's reason if it still reverts
              checkCommitted(n, newRoot);
              return;
            }
            // Mined and reverted, yet the call passes now (out of gas, a state that moved): send
            // afresh, with a new nonce, counting it as a failed attempt.
            last = new IOException("commitBatch(" + n + ") was mined and reverted (" + r.getTransactionHash() + "), though a simulation passes now");
            sent.clear();
            nonce = null;
          } else {
            last = new IOException("the receipt of " + r.getTransactionHash() + " went away (a reorganisation)");
          }
        } else {
          last = new IOException("no receipt for " + sent.get(sent.size() - 1) + " within " + settings.receiptTimeout());
        }
      } catch (TransientException e) {
        last = e.getCause();
        if (String.valueOf(last.getMessage()).toLowerCase(Locale.ROOT).contains("nonce too low")) {
          nonce = null; // the nonce was used (by a transaction not in `sent`): ask again
        }
      }
      failures++;
      if (failures >= settings.retry().attempts()) {
        throw new L1UnavailableException("commitBatch(" + n + ") not confirmed after " + failures + " attempts: " + last.getMessage(), last);
      }
      final Throwable why = last;
      final int attempt = failures;
      LOG.warning(() -> "L1: commitBatch(" + n + "), attempt " + attempt + ": " + why.getMessage() + "; trying again");
      sleep(settings.retry().delayMillis(failures));
    }
  }

  /** L1 has batch {@code n}: it must be this one (a batch n of other data would fork the rollup). */
  private void checkCommitted(long n, Fr newRoot) {
    long head = blockNumber();
    L1State s = stateAt(head);
    if (s.batchCount() == n + 1 && !s.stateRoot().equals(newRoot)) {
      throw new L1RevertedException("L1 holds another batch " + n + " (root " + s.stateRoot() + ", this one " + newRoot + ")");
    }
    LOG.info(() -> "L1: batch " + n + " is committed already");
  }

  /**
   * eth_call of the transaction: throws the decoded revert if it would revert, unless it reverts
   * because batch {@code n} is in by now (then true).
   */
  private boolean simulate(String calldata, long n) {
    EthCall r =
        retrying("eth_call commitBatch", () -> web3.ethCall(Transaction.createEthCallTransaction(signer(), settings.contract(), calldata), DefaultBlockParameterName.LATEST).send());
    Optional<String> revert = revertOf(r);
    if (revert.isPresent()) {
      if (state().batchCount() > n) {
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
      EthCall r =
          retrying("eth_call commitBatch (pending)", () -> web3.ethCall(Transaction.createEthCallTransaction(signer(), settings.contract(), calldata), DefaultBlockParameterName.PENDING).send());
      Optional<String> revert = revertOf(r);
      if (revert.isEmpty()) {
        return false;
      }
      if (state().batchCount() > n) {
        return true;
      }
      if (!logged) {
        LOG.info(() -> "L1: a pending transaction commits batch " + n + " first (" + revert.get() + "); waiting for it");
        logged = true;
      }
      sleep(settings.pollInterval().toMillis());
    }
    return false; // not mined in time: send ours (if the other one is mined first, ours reverts harmlessly)
  }

  private BigInteger estimateGas(String calldata) {
    return retrying(
        "eth_estimateGas",
        () -> {
          var r = web3.ethEstimateGas(Transaction.createFunctionCallTransaction(signer(), null, null, null, settings.contract(), calldata)).send();
          if (r.hasError() && revertOf(asCall(r)).isPresent()) {
            // The simulation passed a moment ago: the state moved (a commit got in); go round again.
            throw new TransientException(new IOException("eth_estimateGas reverted: " + r.getError().getMessage()));
          }
          if (r.hasError()) {
            throw new IOException("eth_estimateGas: " + r.getError().getMessage());
          }
          // A margin: the estimate is exact for the state it ran on, and the verifier's
          // precompile calls have gas-dependent edges.
          return r.getAmountUsed().multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(4)).add(BigInteger.valueOf(20_000));
        });
  }

  /** {maxPriorityFeePerGas, maxFeePerGas} for the next block: twice the base fee plus the tip. */
  private BigInteger[] fees() {
    BigInteger base =
        retrying("eth_getBlockByNumber", () -> check(web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()).getBlock().getBaseFeePerGas());
    BigInteger tip;
    try {
      tip = retrying("eth_maxPriorityFeePerGas", () -> check(web3.ethMaxPriorityFeePerGas().send()).getMaxPriorityFeePerGas());
    } catch (L1UnavailableException e) {
      tip = BigInteger.valueOf(1_000_000_000L);
    }
    return new BigInteger[] {tip, base.shiftLeft(1).add(tip)};
  }

  /** Fees for a replacement: at least 12.5 % above the old ones (what nodes require), or the market's. */
  private static BigInteger[] bumped(BigInteger[] old, BigInteger[] now) {
    BigInteger tip = old[0].multiply(BigInteger.valueOf(9)).divide(BigInteger.valueOf(8)).add(BigInteger.ONE).max(now[0]);
    BigInteger max = old[1].multiply(BigInteger.valueOf(9)).divide(BigInteger.valueOf(8)).add(BigInteger.ONE).max(now[1]);
    return new BigInteger[] {tip, max.max(tip)};
  }

  private String send(RawTransaction tx) {
    String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, settings.signer()));
    String hash = Hash.sha3(signed);
    retrying(
        "eth_sendRawTransaction",
        () -> {
          EthSendTransaction r = web3.ethSendRawTransaction(signed).send();
          if (r.hasError()) {
            String m = r.getError().getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("already known") || m.contains("already imported")) {
              return hash; // a retry of a send that got through
            }
            // "nonce too low" (the first transaction was mined meanwhile), "underpriced", …:
            // the next round re-reads batchCount and the receipts before anything else.
            throw new TransientException(new IOException("eth_sendRawTransaction: " + r.getError().getMessage()));
          }
          return hash;
        });
    return hash;
  }

  private Optional<TransactionReceipt> receiptOfAny(List<String> hashes) {
    for (String h : hashes) {
      Optional<TransactionReceipt> r = retrying("eth_getTransactionReceipt", () -> check(web3.ethGetTransactionReceipt(h).send()).getTransactionReceipt());
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
      sleep(settings.pollInterval().toMillis());
    }
  }

  /** Waits until the receipt's block has {@code confirmations} blocks; false if it went away. */
  private boolean awaitConfirmations(TransactionReceipt r) {
    BigInteger block = r.getBlockNumber();
    long needed = block.longValueExact() + settings.confirmations() - 1;
    while (blockNumber() < needed) {
      sleep(settings.pollInterval().toMillis());
    }
    if (settings.confirmations() == 1) {
      return true;
    }
    Optional<TransactionReceipt> again = receiptOfAny(List.of(r.getTransactionHash()));
    return again.isPresent() && again.get().getBlockHash().equals(r.getBlockHash());
  }

  // ------------------------------------------------------------------ RPC plumbing

  /** The revert of a call, decoded: Rollup.sol's custom error with its arguments, or Error(string). */
  static Optional<String> revertOf(EthCall r) {
    String data = null;
    if (r.hasError()) {
      data = r.getError().getData();
      if (data == null || !data.replace("\"", "").startsWith("0x")) {
        Matcher m = Pattern.compile("0x[0-9a-fA-F]{8,}").matcher(r.getError().getMessage());
        data = m.find() ? m.group() : null;
      }
      if (data == null) {
        String message = r.getError().getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("revert") ? Optional.of(message) : Optional.empty();
      }
    } else if (r.isReverted()) {
      return Optional.of(String.valueOf(r.getRevertReason()));
    } else {
      return Optional.empty();
    }
    return Optional.of(decodeError(data.replace("\"", "")));
  }

  /** {@code Name(arg, …)} for a custom error's revert data, or the raw data for an unknown one. */
  static String decodeError(String hexData) {
    String hex = Numeric.cleanHexPrefix(hexData);
    if (hex.length() < 8) {
      return "revert 0x" + hex;
    }
    String signature = ERRORS.get(hex.substring(0, 8).toLowerCase(Locale.ROOT));
    if (signature == null) {
      if (hex.startsWith("08c379a0")) {
        try {
          byte[] b = Numeric.hexStringToByteArray(hex.substring(8));
          int len = new BigInteger(1, Arrays.copyOfRange(b, 32, 64)).intValueExact();
          return "Error(" + new String(Arrays.copyOfRange(b, 64, 64 + len), StandardCharsets.UTF_8) + ")";
        } catch (RuntimeException e) {
          return "revert 0x" + hex;
        }
      }
      return "revert 0x" + hex;
    }
    String name = signature.substring(0, signature.indexOf('('));
    String[] types = signature.substring(name.length() + 1, signature.length() - 1).split(",");
    List<String> args = new ArrayList<>();
    for (int i = 0; i < types.length && !types[i].isEmpty(); i++) {
      int at = 8 + 64 * i;
      if (hex.length() < at + 64) {
        break;
      }
      String word = hex.substring(at, at + 64);
      args.add(types[i].startsWith("bytes") ? "0x" + word : new BigInteger(word, 16).toString());
    }
    return name + "(" + String.join(", ", args) + ")";
  }

  private static EthCall asCall(Response<?> r) {
    EthCall c = new EthCall();
    c.setError(r.getError());
    return c;
  }

  private long blockNumber() {
    return retrying("eth_blockNumber", () -> check(web3.ethBlockNumber().send()).getBlockNumber().longValueExact());
  }

  private BigInteger uint(String getter, long block, Type<?>... args) {
    String data = FunctionEncoder.encode(new Function(getter, List.of(args), List.of()));
    return retrying(
        getter,
        () -> {
          EthCall r =
              web3.ethCall(Transaction.createEthCallTransaction(signer(), settings.contract(), data), DefaultBlockParameter.valueOf(BigInteger.valueOf(block))).send();
          Optional<String> revert = revertOf(r);
          if (revert.isPresent()) {
            // A getter of Rollup.sol never reverts: this is not the rollup contract.
            throw new IllegalStateException(getter + "() of " + settings.contract() + " reverted (" + revert.get() + "): not a Rollup contract");
          }
          check(r);
          String v = r.getValue();
          if (v == null || Numeric.cleanHexPrefix(v).length() != 64) {
            throw new IOException(getter + "() answered " + v + ", not one 32-byte word");
          }
          return Numeric.toBigInt(v);
        });
  }

  /** The first block with code at the contract's address (binary search with eth_getCode). */
  private long findDeploymentBlock(long head) {
    long lo = 0;
    long hi = head;
    try {
      while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        String code =
            retrying("eth_getCode", () -> check(web3.ethGetCode(settings.contract(), DefaultBlockParameter.valueOf(BigInteger.valueOf(mid))).send()).getCode());
        if (code != null && !Numeric.cleanHexPrefix(code).isEmpty()) {
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

  /** A JSON-RPC error answer as an IOException (retried): a node that is behind, a rate limit, …. */
  private static <R extends Response<?>> R check(R r) throws IOException {
    if (r.hasError()) {
      throw new IOException("RPC error " + r.getError().getCode() + ": " + r.getError().getMessage());
    }
    return r;
  }

  @FunctionalInterface
  private interface RpcCall<T> {
    T call() throws IOException;
  }

  /** An I/O failure inside a step of {@link #commitBatch}: the step is retried from the start. */
  private static final class TransientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TransientException(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }

  private <T> T retrying(String what, RpcCall<T> call) {
    Retry retry = settings.retry();
    for (int failures = 1; ; failures++) {
      Exception failure;
      try {
        return call.call();
      } catch (IOException | ClientConnectionException e) {
        if ((e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) || Thread.currentThread().isInterrupted()) {
          throw new L1UnavailableException(what + " interrupted", e); // closing: no retries
        }
        failure = e;
      }
      if (failures >= retry.attempts()) {
        throw new L1UnavailableException(what + " failed " + failures + " times against " + settings.rpc() + ": " + failure.getMessage(), failure);
      }
      final int f = failures;
      LOG.fine(() -> "L1: " + what + " failed (" + f + "): " + failure.getMessage());
      sleep(retry.delayMillis(failures));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new L1UnavailableException("interrupted", e);
    }
  }

  @Override
  public void close() {
    web3.shutdown();
  }

  @Override
  public String toString() {
    return "Web3jRollupContract[" + settings + "]";
  }
}
