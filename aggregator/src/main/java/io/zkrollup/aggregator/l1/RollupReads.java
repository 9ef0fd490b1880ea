package io.zkrollup.aggregator.l1;

import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.exceptions.ContractCallException;
import org.web3j.tx.gas.StaticGasProvider;

/**
 * Rollup.sol's getters through the generated {@link Rollup} binding, each read at a block number
 * the caller chooses: values read at one block belong together (a batch committed between two
 * reads cannot mix two states). An I/O failure or an RPC error is retried; a getter that reverts,
 * or returns nothing, means the address does not hold a Rollup contract.
 */
final class RollupReads {

  private final L1Rpc rpc;
  private final String address;
  private final BlockCalls calls;

  RollupReads(L1Rpc rpc, String address, String from) {
    this.rpc = rpc;
    this.address = address;
    this.calls = new BlockCalls(rpc.web3(), from);
  }

  /** The binding, reading at {@code block}. A new one per block: the binding's block is its state. */
  Rollup at(long block) {
    Rollup r = Rollup.load(address, rpc.web3(), calls, new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
    r.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
    return r;
  }

  /** Runs one getter, with retries. */
  <T> T read(String getter, RemoteFunctionCall<T> call) {
    return rpc.call(
        getter,
        () -> {
          try {
            return call.send();
          } catch (L1RevertedException | ContractCallException e) {
            // A getter of Rollup.sol never reverts and always returns a value.
            throw new IllegalStateException(getter + "() of " + address + " failed (" + e.getMessage() + "): not a Rollup contract");
          } catch (IOException | RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IOException(getter + ": " + e.getMessage(), e);
          }
        });
  }

  /** stateRoot, batchCount, requestCount, requestsConsumed and exodus, all at {@code block}. */
  L1State state(long block) {
    Rollup r = at(block);
    return new L1State(
        Fr.of(read("stateRoot", r.stateRoot())),
        read("batchCount", r.batchCount()).longValueExact(),
        read("requestCount", r.requestCount()).longValueExact(),
        read("requestsConsumed", r.requestsConsumed()).longValueExact(),
        read("exodus", r.exodus()));
  }

  long batchCount(long block) {
    return read("batchCount", at(block).batchCount()).longValueExact();
  }

  long requestCount(long block) {
    return read("requestCount", at(block).requestCount()).longValueExact();
  }

  /** The block priority request {@code index} was made in ({@code requestMeta[index].blockNumber}), at {@code block}. */
  long requestBlock(long index, long block) {
    return read("requestMeta", at(block).requestMeta(BigInteger.valueOf(index))).component1().longValueExact();
  }

  /** {@code queueHash[index]} at {@code block}. */
  byte[] queueHash(long index, long block) {
    return read("queueHash", at(block).queueHash(BigInteger.valueOf(index)));
  }

  /**
   * Calls for the binding: {@code eth_call} at the binding's block, a revert as {@link
   * L1RevertedException} named by {@link RevertReason}, any other error answer as an IOException
   * (retried). web3j's own read-only manager reports every error answer as a revert.
   */
  private static final class BlockCalls extends ReadonlyTransactionManager {

    private final Web3j web3;
    private final String from;

    BlockCalls(Web3j web3, String from) {
      super(web3, from);
      this.web3 = web3;
      this.from = from;
    }

    @Override
    public String sendCall(String to, String data, DefaultBlockParameter block) throws IOException {
      EthCall r = web3.ethCall(Transaction.createEthCallTransaction(from, to, data), block).send();
      Optional<String> revert = RevertReason.of(r);
      if (revert.isPresent()) {
        throw new L1RevertedException(revert.get());
      }
      return L1Rpc.check(r).getValue();
    }
  }
}
