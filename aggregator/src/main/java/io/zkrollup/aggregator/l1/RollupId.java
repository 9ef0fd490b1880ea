package io.zkrollup.aggregator.l1;

import java.net.URI;
import java.util.OptionalLong;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/**
 * A deployment's rollup id: the 32-bit value every signed message (its {@code e1}) and every batch
 * header names, which the Rollup contract holds. A node on L1 takes the id from the contract
 * ({@link #read}) rather than from its own configuration, so that it checks signatures for the
 * deployment it commits to.
 */
public final class RollupId {

  private RollupId() {}

  /**
   * Reads {@code rollupId()} of the Rollup contract at {@code contract} (with {@link
   * L1Retries#defaults() retries}), after checking that {@code rpc} serves chain {@code chainId}
   * if one is given.
   *
   * @throws IllegalStateException if the RPC serves another chain, or {@code contract} holds no
   *     Rollup contract
   * @throws L1UnavailableException if the RPC cannot be reached
   */
  public static long read(URI rpc, String contract, OptionalLong chainId) {
    String address = Web3jRollupContract.checkAddress(contract);
    try (L1Rpc l1 = new L1Rpc(rpc, L1Retries.defaults())) {
      long chain = l1.call("eth_chainId", () -> L1Rpc.check(l1.web3().ethChainId().send()).getChainId().longValueExact());
      if (chainId.isPresent() && chainId.getAsLong() != chain) {
        throw new IllegalStateException("the L1 RPC " + rpc + " serves chain " + chain + ", not the configured chain " + chainId.getAsLong());
      }
      String code = l1.call("eth_getCode", () -> L1Rpc.check(l1.web3().ethGetCode(address, DefaultBlockParameterName.LATEST).send()).getCode());
      if (code == null || Numeric.cleanHexPrefix(code).isEmpty()) {
        throw new IllegalStateException("no contract at " + address + " on chain " + chain);
      }
      RollupReads reads = new RollupReads(l1, address, address);
      return reads.read("rollupId", reads.at(l1.blockNumber()).rollupId()).longValueExact();
    }
  }
}
