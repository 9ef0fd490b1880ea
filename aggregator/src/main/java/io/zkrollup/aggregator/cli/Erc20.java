package io.zkrollup.aggregator.cli;

import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.Contract;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * The three ERC-20 functions the wallet needs of a listed token: {@code balanceOf} (l1-balance),
 * {@code allowance} and {@code approve} (a token deposit lets Rollup.sol take the amount with
 * {@code transferFrom}). Hand-written rather than generated: the build compiles only our own
 * contracts' bindings, and these three signatures are fixed by the standard.
 */
final class Erc20 extends Contract {

  private Erc20(String address, Web3j web3, TransactionManager transactions, ContractGasProvider gas) {
    super("", address, web3, transactions, gas);
  }

  /** The token at {@code address}, its transactions sent through {@code transactions}. */
  static Erc20 load(String address, Web3j web3, TransactionManager transactions, ContractGasProvider gas) {
    return new Erc20(address, web3, transactions, gas);
  }

  /** {@code balanceOf(owner)}. */
  RemoteFunctionCall<BigInteger> balanceOf(String owner) {
    return executeRemoteCallSingleValueReturn(new Function("balanceOf", List.<Type>of(new Address(owner)), List.of(new TypeReference<Uint256>() {})), BigInteger.class);
  }

  /** {@code allowance(owner, spender)}. */
  RemoteFunctionCall<BigInteger> allowance(String owner, String spender) {
    return executeRemoteCallSingleValueReturn(
        new Function("allowance", List.<Type>of(new Address(owner), new Address(spender)), List.of(new TypeReference<Uint256>() {})), BigInteger.class);
  }

  /** {@code approve(spender, amount)}. */
  RemoteFunctionCall<TransactionReceipt> approve(String spender, BigInteger amount) {
    return executeRemoteCallTransaction(new Function("approve", List.<Type>of(new Address(spender), new Uint256(amount)), List.of()));
  }
}
