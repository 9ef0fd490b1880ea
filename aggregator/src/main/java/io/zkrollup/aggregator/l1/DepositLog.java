package io.zkrollup.aggregator.l1;

import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The deposit queue as Rollup.sol's {@code Deposit} events tell it: {@code eth_getLogs} over block
 * ranges of bounded size from the deployment block on, decoded by the generated binding, cached
 * until asked for. A page is handed out only if it reproduces the contract's {@code queueHash} at
 * the same block ({@link DepositQueue#matches}): a wrong or incomplete RPC answer never reaches the
 * node's journal; it is refused, logged, and the logs are fetched afresh on the next call.
 */
final class DepositLog {

  private static final Logger LOG = Logger.getLogger(DepositLog.class.getName());

  /** {@code Deposit(uint64,bytes32,uint112)}: the topic the filter asks for. */
  static final String DEPOSIT_TOPIC = EventEncoder.encode(Rollup.DEPOSIT_EVENT);

  private final L1Rpc rpc;
  private final RollupReads reads;
  private final String address;
  private final long deploymentBlock;
  private final long blockRange;

  /** Deposits fetched from logs and not yet asked for, by queue index. */
  private final TreeMap<Long, L1Deposit> cache = new TreeMap<>();
  /** The last block whose Deposit logs are in {@link #cache}. */
  private long scannedTo;

  DepositLog(L1Rpc rpc, RollupReads reads, String address, long deploymentBlock, long blockRange) {
    this.rpc = rpc;
    this.reads = reads;
    this.address = address;
    this.deploymentBlock = deploymentBlock;
    this.blockRange = blockRange;
    this.scannedTo = deploymentBlock - 1;
  }

  /** Up to {@code max} deposits from index {@code from} on, as the contract holds them at block {@code head}. */
  synchronized List<L1Deposit> page(long from, int max, long head) {
    if (head < deploymentBlock) {
      return List.of();
    }
    long end = Math.min(reads.depositCount(head), from + max);
    if (from >= end) {
      return List.of();
    }
    cache.headMap(from).clear();
    while (!covers(from, end) && scannedTo < head) {
      long to = Math.min(head, scannedTo + blockRange);
      for (L1Deposit d : logs(scannedTo + 1, to)) {
        if (d.index() >= from) {
          cache.put(d.index(), d);
        }
      }
      scannedTo = to;
    }
    List<L1Deposit> page = new ArrayList<>(cache.subMap(from, end).values());
    if (!DepositQueue.matches(from, end, page, reads.queueHash(from, head), reads.queueHash(end, head))) {
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

  @SuppressWarnings("rawtypes") // web3j's EthLog returns raw LogResults
  private List<L1Deposit> logs(long fromBlock, long toBlock) {
    EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)), DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), address);
    filter.addSingleTopic(DEPOSIT_TOPIC);
    List<EthLog.LogResult> logs = rpc.call("eth_getLogs " + fromBlock + ".." + toBlock, () -> L1Rpc.check(rpc.web3().ethGetLogs(filter).send()).getLogs());
    List<L1Deposit> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : logs) {
      if (!(r.get() instanceof Log log) || log.isRemoved() || !address.equalsIgnoreCase(log.getAddress())) {
        continue;
      }
      Rollup.DepositEventResponse e;
      try {
        e = Rollup.getDepositEventFromLog(log);
      } catch (RuntimeException malformed) {
        continue; // not Rollup.sol's Deposit event; the queue-hash check says what is missing
      }
      BigInteger keyHash = new BigInteger(1, e.keyHash);
      if (e.index.bitLength() > 63 || keyHash.compareTo(Fr.MODULUS) >= 0) {
        continue;
      }
      out.add(new L1Deposit(e.index.longValueExact(), Fr.of(keyHash), e.amount));
    }
    return out;
  }
}
