package io.zkrollup.aggregator.l1;

import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The priority queue as Rollup.sol's {@code Deposit} and {@code ForcedWithdrawalRequested} events
 * tell it: {@code eth_getLogs} over block ranges of bounded size from the deployment block on,
 * decoded by the generated binding, cached until asked for. A deposit's id hash is recomputed from
 * its key hash and owner (the rolling hash covers only the id hash). A page is handed out only if
 * it reproduces the contract's {@code queueHash} at the same block ({@link PriorityQueue#matches}):
 * a wrong or incomplete RPC answer never reaches the node's journal; it is refused, logged, and
 * the logs are fetched afresh on the next call.
 */
final class RequestLog {

  private static final Logger LOG = Logger.getLogger(RequestLog.class.getName());

  /** The topics the filter asks for (either). */
  static final String DEPOSIT_TOPIC = EventEncoder.encode(Rollup.DEPOSIT_EVENT);

  static final String FORCED_WITHDRAWAL_TOPIC = EventEncoder.encode(Rollup.FORCEDWITHDRAWALREQUESTED_EVENT);

  private final L1Rpc rpc;
  private final RollupReads reads;
  private final String address;
  private final long deploymentBlock;
  private final long blockRange;
  private final Poseidon2 poseidon2 = new Poseidon2();

  /** Requests fetched from logs and not yet asked for, by queue index. */
  private final TreeMap<Long, PriorityRequest> cache = new TreeMap<>();
  /** The last block whose request logs are in {@link #cache}. */
  private long scannedTo;

  RequestLog(L1Rpc rpc, RollupReads reads, String address, long deploymentBlock, long blockRange) {
    this.rpc = rpc;
    this.reads = reads;
    this.address = address;
    this.deploymentBlock = deploymentBlock;
    this.blockRange = blockRange;
    this.scannedTo = deploymentBlock - 1;
  }

  /** Up to {@code max} requests from index {@code from} on, as the contract holds them at block {@code head}. */
  synchronized List<PriorityRequest> page(long from, int max, long head) {
    if (head < deploymentBlock) {
      return List.of();
    }
    long end = Math.min(reads.requestCount(head), from + max);
    if (from >= end) {
      return List.of();
    }
    cache.headMap(from).clear();
    while (!covers(from, end) && scannedTo < head) {
      long to = Math.min(head, scannedTo + blockRange);
      for (PriorityRequest r : logs(scannedTo + 1, to)) {
        if (r.index() >= from) {
          cache.put(r.index(), r);
        }
      }
      scannedTo = to;
    }
    List<PriorityRequest> page = new ArrayList<>(cache.subMap(from, end).values());
    if (!PriorityQueue.matches(from, end, page, reads.queueHash(from, head), reads.queueHash(end, head))) {
      LOG.severe(() -> "L1: the request logs the RPC returned for requests " + from + ".." + (end - 1) + " do not reproduce the contract's queueHash; refused, fetching again");
      cache.clear();
      scannedTo = deploymentBlock - 1;
      return List.of();
    }
    return page;
  }

  private boolean covers(long from, long end) {
    return cache.subMap(from, end).size() == end - from;
  }

  @SuppressWarnings("rawtypes") // web3j's EthLog returns raw LogResults
  private List<PriorityRequest> logs(long fromBlock, long toBlock) {
    EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)), DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), address);
    filter.addOptionalTopics(DEPOSIT_TOPIC, FORCED_WITHDRAWAL_TOPIC);
    List<EthLog.LogResult> logs = rpc.call("eth_getLogs " + fromBlock + ".." + toBlock, () -> L1Rpc.check(rpc.web3().ethGetLogs(filter).send()).getLogs());
    List<PriorityRequest> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : logs) {
      if (!(r.get() instanceof Log log) || log.isRemoved() || !address.equalsIgnoreCase(log.getAddress()) || log.getTopics().isEmpty()) {
        continue;
      }
      // Anything that does not decode, or decodes out of range, is left out: the queue-hash check then refuses the page.
      try {
        decode(log).ifPresent(out::add);
      } catch (RuntimeException malformed) {
        continue;
      }
    }
    return out;
  }

  private Optional<PriorityRequest> decode(Log log) {
    String topic = log.getTopics().get(0);
    if (DEPOSIT_TOPIC.equalsIgnoreCase(topic)) {
      Rollup.DepositEventResponse e = Rollup.getDepositEventFromLog(log);
      BigInteger keyHash = new BigInteger(1, e.keyHash);
      BigInteger idHash = new BigInteger(1, e.idHash);
      if (e.index.bitLength() > 63 || keyHash.compareTo(Fr.MODULUS) >= 0 || idHash.compareTo(Fr.MODULUS) >= 0) {
        return Optional.empty();
      }
      L1Address owner = L1Address.fromHex(e.owner);
      long token = e.token.longValueExact();
      if (!AccountId.idHash(poseidon2, Fr.of(keyHash), owner, token).equals(Fr.of(idHash))) {
        return Optional.empty(); // the contract computed it; a log that disagrees was not the contract's
      }
      return Optional.of(new L1Deposit(e.index.longValueExact(), Fr.of(keyHash), owner, token, Fr.of(idHash), e.amount, L1Address.fromHex(e.depositor)));
    }
    if (FORCED_WITHDRAWAL_TOPIC.equalsIgnoreCase(topic)) {
      Rollup.ForcedWithdrawalRequestedEventResponse e = Rollup.getForcedWithdrawalRequestedEventFromLog(log);
      if (e.index.bitLength() > 63) {
        return Optional.empty();
      }
      return Optional.of(new L1ForcedWithdrawal(e.index.longValueExact(), e.account.longValueExact(), e.token.longValueExact(), L1Address.fromHex(e.requester), e.amount));
    }
    return Optional.empty();
  }
}
