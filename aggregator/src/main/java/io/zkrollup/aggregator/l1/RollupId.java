package io.zkrollup.aggregator.l1;

import java.math.BigInteger;
import java.net.URI;
import java.util.OptionalLong;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/**
 * A deployment's rollup id: the 64-bit value every signed message (its {@code e1}) and every batch
 * header names (protocol v3). Rollup.sol derives it at deployment from the chain id and its own
 * address, {@code uint64(bytes8(keccak256(abi.encode(block.chainid, address(this)))))}, so nobody
 * chooses it and two deployments (on one chain, or the same deployer and nonce on two chains) get
 * different ids unless 64 bits collide: a signature made for one is refused by the other
 * (docs/protocol.md, "Rollup id"; docs/decisions.md, "Replay protection across deployments").
 * Java holds the uint64 in a long: ids of 2^63 and above are negative longs, printed with {@link
 * Long#toUnsignedString(long)}.
 *
 * <p>A node on L1 takes the id from the contract ({@link #read}); {@link #derive} is the formula,
 * for tests and for predicting the id of a contract before it exists.
 */
public final class RollupId {

  private RollupId() {}

  /**
   * The id Rollup.sol derives on chain {@code chainId} at address {@code contract}.
   *
   * @param contract 0x and 40 hex digits
   * @return the id's 64 bits
   */
  public static long derive(long chainId, String contract) {
    if (chainId < 0) {
      throw new IllegalArgumentException("a chain id is ≥ 0, got " + chainId);
    }
    // abi.encode(uint256, address): two 32-byte words, each value right-aligned.
    byte[] encoded = new byte[64];
    byte[] chain = Numeric.toBytesPadded(BigInteger.valueOf(chainId), 32);
    System.arraycopy(chain, 0, encoded, 0, 32);
    byte[] address = Numeric.hexStringToByteArray(Web3jRollupContract.checkAddress(contract));
    System.arraycopy(address, 0, encoded, 64 - address.length, address.length);
    byte[] h = Hash.sha3(encoded);
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = (id << 8) | (h[i] & 0xffL);
    }
    return id;
  }

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
      return reads.read("rollupId", reads.at(l1.blockNumber()).rollupId()).longValue();
    }
  }
}
