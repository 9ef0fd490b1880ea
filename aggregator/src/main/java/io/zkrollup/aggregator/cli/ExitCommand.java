package io.zkrollup.aggregator.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zkrollup.aggregator.l1.L1Deposit;
import io.zkrollup.aggregator.l1.L1UnavailableException;
import io.zkrollup.aggregator.l1.RevertReason;
import io.zkrollup.aggregator.l1.StateFromL1;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.api.v1.GetBatchDataRequest;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup exit}: what a user needs when the operator is gone or censors, with nothing but an
 * L1 RPC and the contract's address (docs/operations.md, "Exodus and the exit tool"). Every
 * sub-command rebuilds the whole state from L1 ({@link StateFromL1}: commitBatch calldata and the
 * queue's events; no node, no data directory), then shows balances or sends one of the contract's
 * escape calls: a forced withdrawal, the exodus switch, an exit with the Merkle proof it computes,
 * or a deposit refund. A call the contract would refuse is simulated first and not sent: the
 * refusal is printed with the contract's reason and the exit status is 2.
 */
@Command(
    name = "exit",
    description = {
      "Leave the rollup from L1 alone: rebuild the state from commitBatch calldata and the contract's events (no node, no data directory),",
      "show balances at the last verified root, force a withdrawal, switch on exodus, exit an account with its Merkle proof, refund a deposit."
    },
    subcommands = {
      ExitCommand.Balance.class,
      ExitCommand.ForceWithdraw.class,
      ExitCommand.ActivateExodus.class,
      ExitCommand.ExitAccount.class,
      ExitCommand.Refund.class
    })
final class ExitCommand {

  private ExitCommand() {}

  /** Where validium batches' transfers come from (L1 holds only their hash). */
  static final class BatchDataOption {
    @Option(
        names = "--batch-data",
        paramLabel = "HOST:PORT",
        description = "Validium only: a node's RollupService (GetBatchData) that has the batches' public data; it is checked against what L1 committed.")
    String target;
  }

  /** What every sub-command shares: the L1, the contract and the replay. */
  abstract static class Step implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin L1Options l1;
    @Mixin WalletCommand.ContractOption contract;
    @Mixin BatchDataOption batchData;

    @Override
    public final Integer call() throws Exception {
      if (l1.rpc == null) {
        throw new ParameterException(spec.commandLine(), "--l1-rpc is required");
      }
      if (sends()) {
        me(); // a missing or bad key is a usage error before the replay, not a failure after it
      }
      StateFromL1.Rebuilt state;
      ManagedChannel channel = batchData.target == null ? null : NettyChannelBuilder.forTarget(batchData.target).usePlaintext().build();
      try {
        Optional<StateFromL1.BatchData> source = Optional.ofNullable(channel).map(ExitCommand::fromNode);
        state = StateFromL1.read(l1.rpc, contract.address, source);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      } catch (IllegalStateException | L1UnavailableException | StatusRuntimeException e) {
        spec.commandLine().getErr().println("cannot rebuild the state from L1: " + e.getMessage());
        return 2;
      } finally {
        if (channel != null) {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "L1 state    %d batches, root 0x%064x, %d of %d priority requests processed%s (rebuilt from L1: every root matches)%n",
          state.state().batchCount(), state.state().stateRoot().toBigInteger(), state.state().requestsConsumed(), state.state().requestCount(),
          state.state().exodus() ? ", EXODUS" : "");
      return run(state, out);
    }

    abstract int run(StateFromL1.Rebuilt state, PrintWriter out) throws Exception;

    /** Whether the step sends a transaction (and so needs --l1-key-file). */
    boolean sends() {
      return true;
    }

    /** The address of --l1-key-file's key. */
    L1Address me() {
      if (l1.keyFile == null) {
        throw new ParameterException(spec.commandLine(), "--l1-key-file is required to send a transaction");
      }
      return L1Address.fromHex(WalletCommand.credentials(spec, l1).getAddress());
    }

    /**
     * Simulates {@code call} from the key's address and sends it if the contract would take it;
     * otherwise prints the contract's reason and returns 2.
     */
    int send(Rollup rollup, String what, RemoteFunctionCall<TransactionReceipt> call) throws Exception {
      String from = me().toString();
      Web3j web3 = Web3j.build(new HttpService(l1.rpc.toString()));
      EthCall answer;
      try {
        answer = web3.ethCall(Transaction.createEthCallTransaction(from, rollup.getContractAddress(), call.encodeFunctionCall()), DefaultBlockParameterName.LATEST).send();
      } finally {
        web3.shutdown();
      }
      Optional<String> revert = RevertReason.of(answer);
      if (revert.isPresent()) {
        spec.commandLine().getErr().println("refused: Rollup.sol would revert " + what + " with " + revert.get());
        return 2;
      }
      TransactionReceipt r = call.send();
      spec.commandLine().getOut().printf("sent        %s (transaction %s, block %s, gas %,d)%n", what, r.getTransactionHash(), r.getBlockNumber(), r.getGasUsed());
      return 0;
    }

    /** The account at {@code index} in the rebuilt state, or a usage error. */
    AccountLeaf account(StateFromL1.Rebuilt state, long index) {
      AccountLeaf a = state.accounts().get(index);
      if (a == null) {
        throw new ParameterException(spec.commandLine(), "--account " + index + ": no such account in the last verified state");
      }
      return a;
    }
  }

  private static StateFromL1.BatchData fromNode(ManagedChannel channel) {
    RollupServiceGrpc.RollupServiceBlockingStub stub = RollupServiceGrpc.newBlockingStub(channel);
    return n -> Optional.of(stub.withDeadlineAfter(30, TimeUnit.SECONDS).getBatchData(GetBatchDataRequest.newBuilder().setBatchNumber(n).build()).getPublicData().toByteArray());
  }

  /** {@code exit balance}: the accounts an owner has at the last verified root, and its unprocessed deposits. */
  @Command(name = "balance", description = "Show the accounts an L1 owner has at the last verified root (default: the --l1-key-file key's address), and its unprocessed deposits.")
  static final class Balance extends Step {
    @Option(names = "--owner", paramLabel = "0xADDR", description = "The owner (default: the address of --l1-key-file's key).")
    String owner;

    @Override
    boolean sends() {
      return false;
    }

    @Override
    int run(StateFromL1.Rebuilt state, PrintWriter out) {
      L1Address who;
      try {
        who = owner != null ? L1Address.fromHex(owner) : me();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--owner: " + e.getMessage());
      }
      SortedMap<Long, AccountLeaf> mine = state.ownedBy(who);
      if (mine.isEmpty()) {
        out.printf("owner       %s has no account at the last verified root%n", who);
      }
      // One account holds one token (protocol v3): list them token by token, ETH first.
      List<Map.Entry<Long, AccountLeaf>> byToken = new ArrayList<>(mine.entrySet());
      byToken.sort(Comparator.comparingLong((Map.Entry<Long, AccountLeaf> e) -> e.getValue().token()).thenComparingLong(Map.Entry::getKey));
      for (Map.Entry<Long, AccountLeaf> e : byToken) {
        AccountLeaf a = e.getValue();
        if (a.token() == AccountLeaf.ETH) {
          out.printf("account %d   balance %s wei (%s ETH), nonce %d, owner %s%n", e.getKey(), a.balance(), WalletCommand.eth(a.balance()), a.nonce(), who);
        } else {
          out.printf("account %d   balance %s of token %d, nonce %d, owner %s%n", e.getKey(), a.balance(), a.token(), a.nonce(), who);
        }
      }
      for (L1Deposit d : state.unconsumedDeposits()) {
        if (d.depositor().equals(who)) {
          out.printf("unprocessed deposit %d of %s (refundable in exodus)%n", d.index(), amountOf(d.amount(), d.token()));
        }
      }
      return 0;
    }
  }

  /** {@code amount} in {@code token}'s units as the exit tool prints it: wei for ETH, else "N of token ID". */
  static String amountOf(BigInteger amount, long token) {
    return token == AccountLeaf.ETH ? amount + " wei" : amount + " of token " + token;
  }

  /** {@code exit force-withdraw}: asks L1 to make the operator pay out (some of) an account. */
  @Command(
      name = "force-withdraw",
        description = "Ask L1 to withdraw from an account you own to your L1 address; the operator must process it before the deadline, else anyone may switch on exodus.")
  static final class ForceWithdraw extends Step {
    @Option(names = "--account", required = true, paramLabel = "N", description = "The account's index.")
    long index;

    @Option(
        names = "--amount",
        paramLabel = "AMOUNT",
        description = "Wei, or ETH with the suffix eth; for a token account the token's smallest units (default: the whole balance at the last verified root).")
    String amount;

    @Option(
        names = "--token",
        paramLabel = "ID",
        description = "The token you expect the account to hold (default: the account's; an account holds one token, and a request for another is processed as refused).")
    Long token;

    @Override
    int run(StateFromL1.Rebuilt state, PrintWriter out) throws Exception {
      AccountLeaf a = account(state, index);
      L1Address me = me();
      if (!a.owner().equals(me.owner())) {
        // The contract takes it, and the circuit processes it as refused: tell the user now.
        spec.commandLine().getErr().println("refused: account " + index + " is owned by " + L1Address.of(a.owner()) + ", not " + me + "; a forced withdrawal by anyone else is processed as refused");
        return 2;
      }
      if (token != null && token != a.token()) {
        spec.commandLine().getErr().println("refused: account " + index + " holds token " + a.token() + ", not " + token + "; a forced withdrawal of another token is processed as refused");
        return 2;
      }
      // The account's token is the one asked for: the circuit pays a forced withdrawal only in the
      // token the account holds, so the index alone says which.
      BigInteger wei = amount != null ? WalletCommand.wei(spec, amount) : a.balance();
      out.printf("account %d   token %d, withdrawing %s%n", index, a.token(), amountOf(wei, a.token()));
      return WalletCommand.withContract(spec, l1, contract, rollup -> send(rollup, "forceWithdraw(" + index + ", " + a.token() + ", " + wei + ")", rollup.forceWithdraw(BigInteger.valueOf(index), BigInteger.valueOf(a.token()), wei)));
    }
  }

  /** {@code exit activate-exodus}: stops the rollup once a request is past its deadline. */
  @Command(name = "activate-exodus", description = "Switch the contract to exodus (anyone may, once the oldest unprocessed priority request is past its deadline).")
  static final class ActivateExodus extends Step {
    @Override
    int run(StateFromL1.Rebuilt state, PrintWriter out) throws Exception {
      return WalletCommand.withContract(spec, l1, contract, rollup -> send(rollup, "activateExodus()", rollup.activateExodus()));
    }
  }

  /** {@code exit exit-account}: takes an account's last verified balance out, with its Merkle proof. */
  @Command(
      name = "exit-account",
        description = "In exodus, credit your L1 address with the balance of an account you own at the last verified root, proven by the Merkle path this tool computes (then: zkrollup wallet claim).")
  static final class ExitAccount extends Step {
    @Option(names = "--account", paramLabel = "N", description = "The account's index (default: every account the key's address owns).")
    Long index;

    @Override
    int run(StateFromL1.Rebuilt state, PrintWriter out) throws Exception {
      L1Address me = me();
      List<Long> accounts = index != null ? List.of(index) : new ArrayList<>(state.ownedBy(me).keySet());
      if (accounts.isEmpty()) {
        spec.commandLine().getErr().println("refused: " + me + " owns no account at the last verified root");
        return 2;
      }
      return WalletCommand.withContract(spec, l1, contract, rollup -> {
        int status = 0;
        for (long i : accounts) {
          AccountLeaf a = account(state, i);
          List<byte[]> siblings = new ArrayList<>();
          for (Fr s : state.siblings(i)) {
            siblings.add(s.toBytes());
          }
          out.printf("account %d   balance %s, nonce %d: exiting with a %d-level proof%n", i, amountOf(a.balance(), a.token()), a.nonce(), siblings.size());
          status = Math.max(status, send(rollup, "exit(" + i + ", token " + a.token() + ")", rollup.exit(BigInteger.valueOf(i), a.keyHash().toBytes(), BigInteger.valueOf(a.token()), a.balance(), BigInteger.valueOf(a.nonce()), siblings)));
        }
        return status;
      });
    }
  }

  /** {@code exit refund}: credits unprocessed deposits back to their depositors. */
  @Command(name = "refund", description = "In exodus, credit a deposit no batch processed back to its depositor (default: every such deposit the key's address made).")
  static final class Refund extends Step {
    @Option(names = "--index", paramLabel = "N", description = "The deposit's place in the priority queue.")
    Long index;

    @Override
    int run(StateFromL1.Rebuilt state, PrintWriter out) throws Exception {
      L1Address me = me();
      List<L1Deposit> deposits = new ArrayList<>();
      for (L1Deposit d : state.unconsumedDeposits()) {
        if (index != null ? d.index() == index : d.depositor().equals(me)) {
          deposits.add(d);
        }
      }
      if (deposits.isEmpty()) {
        spec.commandLine().getErr().println("refused: " + (index != null ? "request " + index + " is not an unprocessed deposit" : me + " made no unprocessed deposit"));
        return 2;
      }
      return WalletCommand.withContract(spec, l1, contract, rollup -> {
        int status = 0;
        for (L1Deposit d : deposits) {
          // The token is the Deposit event's: the contract's refund commitment binds it.
          String what = "refundDeposit(" + d.index() + ") of " + amountOf(d.amount(), d.token()) + " to " + d.depositor();
          status = Math.max(status, send(rollup, what, rollup.refundDeposit(BigInteger.valueOf(d.index()), d.depositor().toString(), BigInteger.valueOf(d.token()), d.amount())));
        }
        return status;
      });
    }
  }
}
