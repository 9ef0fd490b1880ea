package io.zkrollup.aggregator.node;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where a node's rollup contract is: the L1 it takes deposits from and publishes batches to. The
 * contract is always Rollup.sol on an Ethereum JSON-RPC node (for development, a local anvil:
 * {@code zkrollup node --l1-dev}); its rules have no other implementation.
 */
public sealed interface L1Endpoint {

  /**
   * {@code contracts/src/Rollup.sol} deployed on an Ethereum chain, reached over JSON-RPC
   * ({@link io.zkrollup.aggregator.l1.Web3jRollupContract}).
   *
   * @param rpc the JSON-RPC URL (http or https)
   * @param contract the Rollup contract's address (0x + 40 hex digits)
   * @param keyFile a file holding the hex private key that signs {@code commitBatch} (a file, so
   *     the key is never on a command line or in a process list)
   * @param chainId the chain the RPC must serve, or empty to take whatever it serves
   * @param pollMillis how often to look for new deposits, blocks and receipts
   * @param confirmations blocks a commit's receipt and a deposit need, counting their own (≥ 1)
   * @param fromBlock the contract's deployment block (deposit events are read from there), or
   *     empty to find it (a binary search with {@code eth_getCode}, which needs old state)
   * @param acceptDevelopmentKeys whether the node may run on this L1 with keys from a
   *     single-party development setup, which whoever ran it can forge proofs with ({@link
   *     KeyTrust}): for local and test chains only
   */
  record Ethereum(
      URI rpc, String contract, Path keyFile, OptionalLong chainId, long pollMillis, int confirmations, OptionalLong fromBlock, boolean acceptDevelopmentKeys)
      implements L1Endpoint {

    /** Checks the values (the key file is read when the node opens the contract). */
    public Ethereum {
      Objects.requireNonNull(rpc, "rpc");
      Objects.requireNonNull(contract, "contract");
      Objects.requireNonNull(keyFile, "keyFile");
      Objects.requireNonNull(chainId, "chainId");
      Objects.requireNonNull(fromBlock, "fromBlock");
      if (!contract.matches("0[xX][0-9a-fA-F]{40}")) {
        throw new IllegalArgumentException("the rollup contract's address is 0x and 40 hex digits, got " + contract);
      }
      if (pollMillis < 1) {
        throw new IllegalArgumentException("the L1 poll interval must be ≥ 1 ms, got " + pollMillis);
      }
      if (confirmations < 1) {
        throw new IllegalArgumentException("L1 confirmations must be ≥ 1, got " + confirmations);
      }
    }

    /** An endpoint that refuses development keys. */
    public Ethereum(URI rpc, String contract, Path keyFile, OptionalLong chainId, long pollMillis, int confirmations, OptionalLong fromBlock) {
      this(rpc, contract, keyFile, chainId, pollMillis, confirmations, fromBlock, false);
    }

    /** An endpoint whose deployment block is searched for, refusing development keys. */
    public Ethereum(URI rpc, String contract, Path keyFile, OptionalLong chainId, long pollMillis, int confirmations) {
      this(rpc, contract, keyFile, chainId, pollMillis, confirmations, OptionalLong.empty());
    }

    /** This endpoint, on which development keys are accepted (a local or test chain). */
    public Ethereum acceptingDevelopmentKeys() {
      return new Ethereum(rpc, contract, keyFile, chainId, pollMillis, confirmations, fromBlock, true);
    }

    /** Defaults: any chain, 1 s polls, 1 confirmation. */
    public static Ethereum of(URI rpc, String contract, Path keyFile) {
      return new Ethereum(rpc, contract, keyFile, OptionalLong.empty(), 1000, 1);
    }
  }
}
