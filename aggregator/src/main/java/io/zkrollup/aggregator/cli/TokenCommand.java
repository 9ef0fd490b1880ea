package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.EstimatingGasProvider;
import io.zkrollup.circuits.tx.L1Address;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup token}: the rollup's ERC-20 tokens on L1 (docs/protocol.md, "Rollup.sol (v3)").
 * {@code list} is the token governor's one act: it gives an ERC-20 contract the next id, for good
 * (every listed token's deposits enter the priority queue the operator must serve). {@code ids}
 * shows what is listed, which users need for {@code wallet deposit --token}; {@code min-deposit} is
 * the governor's price on deposit spam.
 */
@Command(
    name = "token",
    description = "The rollup's ERC-20 tokens on L1: list one or set a token's minimum deposit (the token governor only), show the ids of those listed.",
    subcommands = {TokenCommand.ListToken.class, TokenCommand.MinDeposit.class, TokenCommand.Ids.class})
final class TokenCommand {

  private TokenCommand() {}

  /** {@code token list}: the governor lists an ERC-20 contract under the next id. */
  @Command(
      name = "list",
      defaultValueProvider = WalletCommand.WalletConfig.class,
      description =
          "List an ERC-20 contract under the next token id (signed with the token governor's --l1-key-file); prints the id. For good: the operator must then serve its deposits."
              + " Do not list tokens that change balances on their own (rebasing).")
  static final class ListToken implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WalletCommand.ConfigOption config;
    @Mixin L1Options l1;
    @Mixin WalletCommand.ContractOption contract;

    @Option(names = "--token", required = true, paramLabel = "0xADDR", description = "The ERC-20 contract's address.")
    String token;

    @Override
    public Integer call() throws Exception {
      l1.require(spec);
      String erc20;
      try {
        erc20 = L1Address.fromHex(token).toString();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--token: " + e.getMessage());
      }
      return WalletCommand.onL1(spec, l1.rpc.toString(), () -> WalletCommand.withSession(spec, l1, contract, session -> {
        Rollup rollup = session.rollup();
        // Simulated first: NotTokenGovernor, TokenAlreadyListed, NotAContract, Exodus come back by name, at no gas.
        Optional<String> no = session.refusal(rollup.getContractAddress(), rollup.listToken(erc20).encodeFunctionCall(), BigInteger.ZERO);
        if (no.isPresent()) {
          spec.commandLine().getErr().println("refused: Rollup.sol would revert listToken(" + erc20 + ") with " + no.get());
          return 2;
        }
        TransactionReceipt r = rollup.listToken(erc20).send();
        var listed = Rollup.getTokenListedEvents(r).get(0);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("token id    %s%n", listed.id);
        out.printf("listed      %s (transaction %s, block %s, gas %,d)%n", listed.token, r.getTransactionHash(), r.getBlockNumber(), r.getGasUsed());
        return 0;
      }));
    }
  }

  /** {@code token min-deposit}: the governor sets the smallest deposit of a token. */
  @Command(
      name = "min-deposit",
      defaultValueProvider = WalletCommand.WalletConfig.class,
      description =
          "Set the smallest deposit of a token (0 is ETH), in its smallest unit, signed with the token governor's --l1-key-file: each deposit costs the operator five"
              + " circuit slots and, for a new account, a leaf (docs/decisions.md, \"Deposit spam\").")
  static final class MinDeposit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WalletCommand.ConfigOption config;
    @Mixin L1Options l1;
    @Mixin WalletCommand.ContractOption contract;

    @Option(names = "--token", required = true, paramLabel = "ID", description = "The token's id (0: ETH).")
    int token;

    @Option(names = "--amount", required = true, paramLabel = "UNITS", description = "The minimum, in the token's smallest unit (wei for ETH); 0 lifts it.")
    BigInteger amount;

    @Override
    public Integer call() throws Exception {
      l1.require(spec);
      if (token < 0 || token > 0xffff || amount.signum() < 0 || amount.bitLength() > 128) {
        throw new ParameterException(spec.commandLine(), "--token must be 0 … 65535 and --amount 0 … 2^128 − 1");
      }
      return WalletCommand.onL1(spec, l1.rpc.toString(), () -> WalletCommand.withSession(spec, l1, contract, session -> {
        Rollup rollup = session.rollup();
        BigInteger id = BigInteger.valueOf(token);
        Optional<String> no = session.refusal(rollup.getContractAddress(), rollup.setMinDeposit(id, amount).encodeFunctionCall(), BigInteger.ZERO);
        if (no.isPresent()) {
          spec.commandLine().getErr().println("refused: Rollup.sol would revert setMinDeposit(" + token + ", " + amount + ") with " + no.get());
          return 2;
        }
        TransactionReceipt r = rollup.setMinDeposit(id, amount).send();
        spec.commandLine().getOut().printf("min deposit %s of token %d (transaction %s, block %s)%n", rollup.minDeposit(id).send(), token, r.getTransactionHash(), r.getBlockNumber());
        return 0;
      }));
    }
  }

  /** {@code token ids}: every listed token, by id. */
  @Command(name = "ids", defaultValueProvider = WalletCommand.WalletConfig.class, description = "Show the rollup's tokens: 0 is ETH, then every listed ERC-20 contract by id.")
  static final class Ids implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WalletCommand.ConfigOption config;
    @Mixin WalletCommand.ContractOption contract;

    @Option(names = "--l1-rpc", required = true, paramLabel = "URL", description = "Ethereum JSON-RPC URL of the L1.")
    URI rpc;

    @Override
    public Integer call() throws Exception {
      return WalletCommand.onL1(spec, rpc.toString(), () -> {
        Web3j web3 = Web3j.build(new HttpService(rpc.toString()));
        try {
          long chain = web3.ethChainId().send().getChainId().longValueExact();
          Rollup rollup = Rollup.load(contract.address, web3, new ReadonlyTransactionManager(web3, contract.address), new EstimatingGasProvider(web3, chain));
          // The contract's views, not its TokenListed events: they are the listing itself, and need
          // no log range (public RPCs cap eth_getLogs). Ids are 1 … listedTokens, never reused.
          int listed = rollup.listedTokens().send().intValueExact();
          PrintWriter out = spec.commandLine().getOut();
          out.printf("token 0     ETH%n");
          for (int id = 1; id <= listed; id++) {
            out.printf("token %-5d %s%n", id, rollup.tokenAddress(BigInteger.valueOf(id)).send());
          }
          out.printf("governor    %s%n", rollup.tokenGovernor().send());
          return 0;
        } finally {
          web3.shutdown();
        }
      });
    }
  }
}
