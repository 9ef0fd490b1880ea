package io.zkrollup.aggregator.l1.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.tx.gas.ContractEIP1559GasProvider;

/**
 * EIP-1559 gas for the transactions of deployments and L1 users (the generated binding's deploy,
 * deposit and claim): the limit is the node's estimate plus a margin, the fees follow the latest
 * block (twice the base fee plus the node's suggested tip), as the node's commits do.
 *
 * <p>web3j hands the provider the transaction without its value, so a payable call's estimate
 * (a deposit) reverts; such a call gets {@link #FALLBACK_LIMIT}, of which only what it uses is paid.
 */
public final class EstimatingGasProvider implements ContractEIP1559GasProvider {

  /** The limit when the estimate fails: enough for a deposit or a claim (both well below 100,000). */
  static final BigInteger FALLBACK_LIMIT = BigInteger.valueOf(500_000);

  private final Web3j web3;
  private final long chainId;

  /** Gas for transactions on chain {@code chainId} through {@code web3}. */
  public EstimatingGasProvider(Web3j web3, long chainId) {
    this.web3 = web3;
    this.chainId = chainId;
  }

  @Override
  public long getChainId() {
    return chainId;
  }

  @Override
  public BigInteger getGasLimit(Transaction transaction) {
    try {
      EthEstimateGas r = web3.ethEstimateGas(transaction).send();
      if (r.hasError()) {
        return FALLBACK_LIMIT;
      }
      // 25 % and 20,000 over the estimate: it is exact only for the state it ran on.
      return r.getAmountUsed().multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(4)).add(BigInteger.valueOf(20_000));
    } catch (IOException e) {
      throw new UncheckedIOException("eth_estimateGas: " + e.getMessage(), e);
    }
  }

  @Override
  public BigInteger getGasLimit() {
    return FALLBACK_LIMIT;
  }

  @Override
  public BigInteger getMaxPriorityFeePerGas() {
    try {
      var r = web3.ethMaxPriorityFeePerGas().send();
      return r.hasError() ? BigInteger.valueOf(1_000_000_000L) : r.getMaxPriorityFeePerGas();
    } catch (IOException e) {
      throw new UncheckedIOException("eth_maxPriorityFeePerGas: " + e.getMessage(), e);
    }
  }

  @Override
  public BigInteger getMaxFeePerGas() {
    try {
      BigInteger base = web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getBaseFeePerGas();
      return base.shiftLeft(1).add(getMaxPriorityFeePerGas());
    } catch (IOException e) {
      throw new UncheckedIOException("eth_getBlockByNumber: " + e.getMessage(), e);
    }
  }

  /** The max fee: legacy callers get the same price. */
  @Override
  public BigInteger getGasPrice() {
    return getMaxFeePerGas();
  }
}
