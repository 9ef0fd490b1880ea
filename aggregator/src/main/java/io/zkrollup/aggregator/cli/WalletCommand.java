package io.zkrollup.aggregator.cli;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.zkrollup.aggregator.client.Wallet;
import io.zkrollup.aggregator.grpc.TxStatusCodes;
import io.zkrollup.aggregator.l1.Web3jRollupContract;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.EstimatingGasProvider;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.api.v1.AccountState;
import io.zkrollup.api.v1.GetAccountRequest;
import io.zkrollup.api.v1.GetAccountResponse;
import io.zkrollup.api.v1.GetNodeStatusRequest;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.GetTransactionStatusResponse;
import io.zkrollup.api.v1.RollupServiceGrpc;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup wallet <command>}: what a person does with the rollup, from a terminal: deposit
 * ETH on L1, look up an account, transfer and withdraw on L2, follow a transaction, claim on L1.
 * Account keys come from a key file ({@code zkrollup keygen --out}), L1 keys from an L1 key file.
 */
@Command(
    name = "wallet",
    description = "Use the rollup as a person: deposit, account, transfer, withdraw, status, claim, l1-balance.",
    subcommands = {
      WalletCommand.Deposit.class,
      WalletCommand.Account.class,
      WalletCommand.TransferCommand.class,
      WalletCommand.Withdraw.class,
      WalletCommand.Status.class,
      WalletCommand.Claim.class,
      WalletCommand.L1Balance.class
    })
final class WalletCommand {

  private static final BigInteger WEI_PER_ETH = BigInteger.TEN.pow(18);

  /** Rollup.sol's id of ETH, the token the wallet handles (protocol v3, token 0). */
  private static final BigInteger ETH_TOKEN = BigInteger.ZERO;

  private WalletCommand() {}

  /** The node to talk to. */
  static final class NodeOption {
    @Option(names = "--node", defaultValue = "127.0.0.1:50051", paramLabel = "HOST:PORT", description = "The node's RollupService (default ${DEFAULT-VALUE}).")
    String target;

    ManagedChannel channel() {
      return NettyChannelBuilder.forTarget(target).usePlaintext().build();
    }
  }

  /** An account key, from its key file. */
  static final class KeyFileOption {
    @Option(names = "--key-file", required = true, paramLabel = "FILE", description = "The account key's seed (zkrollup keygen --out FILE).")
    Path file;

    EdDsaPrivateKey key(CommandSpec spec) {
      try {
        return EdDsaPrivateKey.fromSeed(WalletKeyFile.read(file));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }

    Fr keyHash(CommandSpec spec) {
      return GenesisFile.keyHash(new Poseidon2(), key(spec).publicKey());
    }
  }

  /** The Rollup contract on L1. */
  static final class ContractOption {
    @Option(names = "--l1-contract", required = true, paramLabel = "0xADDR", description = "The Rollup contract's address (zkrollup deploy prints it).")
    String address;
  }

  // ------------------------------------------------------------------ L1

  /** {@code wallet deposit}: sends ETH to the rollup account of a key and an L1 owner. */
  @Command(
      name = "deposit",
      description =
          "Deposit ETH on L1 into the rollup account of a key and an owner: the node places it at that account, or a new one. The owner (default: the L1 key's address) alone may force a"
              + " withdrawal from the account or exit it.")
  static final class Deposit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin L1Options l1;
    @Mixin ContractOption contract;
    @Mixin KeyFileOption key;

    @Option(names = "--amount", required = true, paramLabel = "AMOUNT", description = "Wei, or ETH with the suffix eth (1.5eth).")
    String amount;

    @Option(names = "--owner", paramLabel = "0xADDR", description = "The account's L1 owner (default: the address of --l1-key-file's key).")
    String owner;

    @Override
    public Integer call() throws Exception {
      l1.require(spec);
      BigInteger wei = wei(spec, amount);
      Fr keyHash = key.keyHash(spec);
      String ownerAddress;
      try {
        ownerAddress = owner != null ? L1Address.fromHex(owner).toString() : credentials(spec, l1).getAddress();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--owner: " + e.getMessage());
      }
      return withContract(spec, l1, contract, rollup -> {
        TransactionReceipt r = rollup.deposit(keyHash.toBytes(), ownerAddress, wei).send();
        var event = Rollup.getDepositEvents(r).get(0);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("deposited   %s ETH for key hash 0x%064x, owner %s%n", eth(wei), keyHash.toBigInteger(), event.owner);
        out.printf("account id  0x%s%n", org.web3j.utils.Numeric.toHexStringNoPrefixZeroPadded(new BigInteger(1, event.idHash), 64));
        out.printf("queue entry %d (transaction %s, block %s, gas %,d)%n", event.index, r.getTransactionHash(), r.getBlockNumber(), r.getGasUsed());
        return 0;
      });
    }
  }

  /** {@code wallet claim}: takes out what committed withdrawals credited to the caller. */
  @Command(name = "claim", description = "Claim on L1 the ETH that committed withdrawals credited to the L1 key's address.")
  static final class Claim implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin L1Options l1;
    @Mixin ContractOption contract;

    @Override
    public Integer call() throws Exception {
      l1.require(spec);
      String me = credentials(spec, l1).getAddress();
      return withContract(spec, l1, contract, rollup -> {
        if (rollup.pendingWithdrawal(ETH_TOKEN, me).send().signum() == 0) {
          spec.commandLine().getErr().println("refused: nothing to claim for " + me + " (no committed withdrawal credits it, or it claimed already)");
          return 2;
        }
        TransactionReceipt r = rollup.claim(ETH_TOKEN).send();
        var claimed = Rollup.getClaimedEvents(r).get(0);
        spec.commandLine().getOut().printf("claimed     %s ETH to %s (transaction %s, gas %,d)%n", eth(claimed.amount), claimed.to, r.getTransactionHash(), r.getGasUsed());
        return 0;
      });
    }
  }

  /** {@code wallet l1-balance}: an address's ETH on L1 and what it may claim. */
  @Command(name = "l1-balance", description = "Show an L1 address's ETH balance and the withdrawals it may claim.")
  static final class L1Balance implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ContractOption contract;

    @Option(names = "--l1-rpc", required = true, paramLabel = "URL", description = "Ethereum JSON-RPC URL of the L1.")
    java.net.URI rpc;

    @Option(names = "--address", required = true, paramLabel = "0xADDR", description = "The L1 address.")
    String address;

    @Override
    public Integer call() throws Exception {
      L1Address.fromHex(address);
      Web3j web3 = Web3j.build(new HttpService(rpc.toString()));
      try {
        long chain = web3.ethChainId().send().getChainId().longValueExact();
        Rollup rollup = Rollup.load(contract.address, web3, new ReadonlyTransactionManager(web3, address), new EstimatingGasProvider(web3, chain));
        BigInteger balance = web3.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("L1 balance  %s ETH%n", eth(balance));
        out.printf("claimable   %s ETH%n", eth(rollup.pendingWithdrawal(ETH_TOKEN, address).send()));
        return 0;
      } finally {
        web3.shutdown();
      }
    }
  }

  // ------------------------------------------------------------------ L2

  /** {@code wallet account}: an account, by index or by the key that owns it. */
  @Command(name = "account", description = "Show an account on L2: by --index, or the account of --key-file's key (where its deposit placed it).")
  static final class Account implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOption node;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The account key's seed: show the account its key owns.")
    Path keyFile;

    @Option(names = "--index", paramLabel = "N", description = "Show account N.")
    Long index;

    @Override
    public Integer call() throws InterruptedException {
      if ((keyFile == null) == (index == null)) {
        throw new ParameterException(spec.commandLine(), "give --key-file or --index");
      }
      GetAccountRequest.Builder req = GetAccountRequest.newBuilder();
      if (index != null) {
        req.setIndex(index.intValue());
      } else {
        KeyFileOption k = new KeyFileOption();
        k.file = keyFile;
        req.setKeyHash(ByteString.copyFrom(k.keyHash(spec).toBytes()));
      }
      return withNode(spec, node, rollup -> {
        GetAccountResponse a = rollup.getAccount(req.build());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("account     %d%n", Integer.toUnsignedLong(a.getIndex()));
        if (a.hasPending()) {
          out.printf("balance     %s ETH (nonce %d, every accepted transaction applied)%n", eth(new BigInteger(a.getPending().getBalance())), a.getPending().getNonce());
        }
        if (a.hasSealed()) {
          out.printf("sealed      %s ETH (nonce %d, in the state tree after %d batches)%n", eth(new BigInteger(a.getSealed().getBalance())), a.getSealed().getNonce(), a.getSealedBatches());
        }
        AccountState shown = a.hasPending() ? a.getPending() : a.getSealed();
        out.printf("key hash    0x%s%n", HexFormat.of().formatHex(shown.getKeyHash().toByteArray()));
        out.printf("owner       0x%s (the L1 address that may force a withdrawal or exit)%n", HexFormat.of().formatHex(shown.getOwner().toByteArray()));
        return 0;
      });
    }
  }

  /** What transfer and withdraw share: the key, the fee, the nonce, waiting. */
  abstract static class SignedOpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOption node;
    @Mixin KeyFileOption key;

    @Option(names = "--max-fee", paramLabel = "WEI", description = "The most fee you sign for (default: the node's batch fee).")
    BigInteger maxFee;

    @Option(names = "--nonce", paramLabel = "N", description = "The nonce (default: the account's next, as the node has it).")
    Long nonce;

    @Option(names = "--wait", description = "Wait until the transaction's batch is on L1 (or proven, for a node without an L1).")
    boolean await;

    @Option(names = "--amount", required = true, paramLabel = "AMOUNT", description = "Wei, or ETH with the suffix eth.")
    String amount;

    /** The amount in wei. */
    BigInteger wei() {
      return WalletCommand.wei(spec, amount);
    }

    abstract SignedTransaction sign(Wallet wallet, BigInteger maxFee, long nonce);

    abstract String describe();

    @Override
    public Integer call() throws InterruptedException {
      EdDsaPrivateKey k = key.key(spec);
      Fr keyHash = GenesisFile.keyHash(new Poseidon2(), k.publicKey());
      return withNode(spec, node, rollup -> {
        GetNodeStatusResponse status = rollup.getNodeStatus(GetNodeStatusRequest.getDefaultInstance());
        GetAccountResponse account = rollup.getAccount(GetAccountRequest.newBuilder().setKeyHash(ByteString.copyFrom(keyHash.toBytes())).build());
        long from = Integer.toUnsignedLong(account.getIndex());
        Wallet wallet = new Wallet(k, from, Integer.toUnsignedLong(status.getRollupId()), new Poseidon2());
        BigInteger fee = maxFee != null ? maxFee : new BigInteger(status.getFee());
        long n = nonce != null ? nonce : account.getPending().getNonce();
        ByteString hash = rollup.submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(sign(wallet, fee, n)).build()).getTxHash();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("accepted    %s from account %d (nonce %d, max fee %s wei)%n", describe(), from, n, fee);
        out.printf("tx hash     0x%s%n", HexFormat.of().formatHex(hash.toByteArray()));
        out.flush();
        if (await) {
          awaitStage(rollup, hash, status.hasProverQueue(), out);
        }
        return 0;
      });
    }
  }

  /** {@code wallet transfer}. */
  @Command(name = "transfer", description = "Transfer on L2 from the key file's account to another account (the amount must be a float16 value: 3–4 significant digits).")
  static final class TransferCommand extends SignedOpCommand {
    @Option(names = "--to", required = true, paramLabel = "N", description = "The receiving account's index (zkrollup wallet account shows it).")
    long to;

    @Override
    SignedTransaction sign(Wallet wallet, BigInteger maxFee, long nonce) {
      return wallet.transfer(to, wei(), maxFee, nonce);
    }

    @Override
    String describe() {
      return "transfer of " + eth(wei()) + " ETH to account " + to;
    }
  }

  /** {@code wallet withdraw}. */
  @Command(name = "withdraw", description = "Withdraw from the key file's account to an L1 address: once its batch is on L1, the address claims it (wallet claim).")
  static final class Withdraw extends SignedOpCommand {
    @Option(names = "--to-l1", required = true, paramLabel = "0xADDR", description = "The L1 address the ETH goes to.")
    String l1Address;

    @Override
    SignedTransaction sign(Wallet wallet, BigInteger maxFee, long nonce) {
      return wallet.withdrawal(L1Address.fromHex(l1Address), wei(), maxFee, nonce);
    }

    @Override
    String describe() {
      return "withdrawal of " + eth(wei()) + " ETH to " + l1Address;
    }
  }

  /** {@code wallet status}. */
  @Command(name = "status", description = "Show where a transaction is: pending, sealed, proven or published on L1.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOption node;

    @Option(names = "--tx", required = true, paramLabel = "0xHASH", description = "The transaction hash (transfer and withdraw print it).")
    String tx;

    @Option(names = "--wait", description = "Wait until its batch is on L1 (or proven, for a node without an L1).")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
      ByteString hash = ByteString.copyFrom(HexFormat.of().parseHex(tx.startsWith("0x") ? tx.substring(2) : tx));
      return withNode(spec, node, rollup -> {
        PrintWriter out = spec.commandLine().getOut();
        if (await) {
          boolean l1 = rollup.getNodeStatus(GetNodeStatusRequest.getDefaultInstance()).hasProverQueue();
          awaitStage(rollup, hash, l1, out);
        } else {
          GetTransactionStatusResponse s = rollup.getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(hash).build());
          out.printf("stage       %s%s%n", s.getStage(), s.getStage() == TransactionStage.PENDING ? "" : " (batch " + s.getBatchNumber() + ")");
        }
        return 0;
      });
    }
  }

  // ------------------------------------------------------------------ shared

  @FunctionalInterface
  private interface NodeCall {
    int call(RollupServiceGrpc.RollupServiceBlockingStub rollup) throws InterruptedException;
  }

  /** Runs {@code call} against the node; a refusal prints the node's reason and exits 2. */
  private static int withNode(CommandSpec spec, NodeOption node, NodeCall call) throws InterruptedException {
    ManagedChannel channel = node.channel();
    try {
      return call.call(RollupServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
    } catch (StatusRuntimeException e) {
      var info = TxStatusCodes.errorInfo(e);
      spec.commandLine().getErr().println("refused: " + e.getStatus().getCode() + (info != null ? " " + info.getReason() : "") + ": " + e.getStatus().getDescription());
      return 2;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Polls the transaction's stage until PUBLISHED (PROVEN if {@code proven} suffices), printing each new stage. */
  private static void awaitStage(RollupServiceGrpc.RollupServiceBlockingStub rollup, ByteString hash, boolean proves, PrintWriter out) throws InterruptedException {
    TransactionStage last = null;
    long end = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while (System.nanoTime() < end) {
      GetTransactionStatusResponse s = rollup.withDeadlineAfter(30, TimeUnit.SECONDS).getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(hash).build());
      if (s.getStage() != last) {
        last = s.getStage();
        out.printf("stage       %s%s%n", last, last == TransactionStage.PENDING ? "" : " (batch " + s.getBatchNumber() + ")");
        out.flush();
      }
      if (last == TransactionStage.PUBLISHED || (!proves && last == TransactionStage.SEALED)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the transaction did not reach L1 within 30 minutes; its stage is " + last);
  }

  static Credentials credentials(CommandSpec spec, L1Options l1) {
    try {
      return Web3jRollupContract.readKeyFile(l1.keyFile);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @FunctionalInterface
  interface ContractCall {
    int call(Rollup rollup) throws Exception;
  }

  /** Runs {@code call} on the Rollup contract, its transactions signed with the L1 key file's key. */
  static int withContract(CommandSpec spec, L1Options l1, ContractOption contract, ContractCall call) throws Exception {
    Web3j web3 = Web3j.build(new HttpService(l1.rpc.toString()));
    try {
      return call.call(signed(spec, web3, l1, contract.address));
    } finally {
      web3.shutdown();
    }
  }

  /** The Rollup contract, its transactions signed with the L1 key file's key. */
  private static Rollup signed(CommandSpec spec, Web3j web3, L1Options l1, String address) throws java.io.IOException {
    long chain = web3.ethChainId().send().getChainId().longValueExact();
    if (l1.chainId != null && l1.chainId != chain) {
      throw new ParameterException(spec.commandLine(), "--l1-rpc serves chain " + chain + ", not " + l1.chainId);
    }
    Credentials signer = credentials(spec, l1);
    return Rollup.load(address, web3, new RawTransactionManager(web3, signer, chain, new PollingTransactionReceiptProcessor(web3, 500, 240)), new EstimatingGasProvider(web3, chain));
  }

  /** "1.5eth" or a wei integer. */
  static BigInteger wei(CommandSpec spec, String amount) {
    try {
      String a = amount.strip().toLowerCase(java.util.Locale.ROOT);
      BigInteger wei = a.endsWith("eth") ? new BigDecimal(a.substring(0, a.length() - 3).strip()).multiply(new BigDecimal(WEI_PER_ETH)).toBigIntegerExact() : new BigInteger(a);
      if (wei.signum() <= 0) {
        throw new NumberFormatException("not positive");
      }
      return wei;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ParameterException(spec.commandLine(), "--amount must be a positive number of wei, or of ETH with the suffix eth (at most 18 decimals), got '" + amount + "'");
    }
  }

  static String eth(BigInteger wei) {
    return new BigDecimal(wei).movePointLeft(18).stripTrailingZeros().toPlainString();
  }
}
