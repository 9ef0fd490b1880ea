package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.l1.RevertReason;
import io.zkrollup.aggregator.l1.Web3jRollupContract;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.EstimatingGasProvider;
import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.sdk.Account;
import io.zkrollup.sdk.AccountKey;
import io.zkrollup.sdk.AccountState;
import io.zkrollup.sdk.AccountView;
import io.zkrollup.sdk.Accepted;
import io.zkrollup.sdk.DeadlineExceededException;
import io.zkrollup.sdk.KeyFile;
import io.zkrollup.sdk.NodeStatus;
import io.zkrollup.sdk.NodeUnavailableException;
import io.zkrollup.sdk.ResourceExhaustedException;
import io.zkrollup.sdk.RollupClient;
import io.zkrollup.sdk.RollupException;
import io.zkrollup.sdk.TransactionRejectedException;
import io.zkrollup.sdk.TransactionStage;
import io.zkrollup.sdk.TransactionStatus;
import io.zkrollup.sdk.Wallet;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup wallet <command>}: what a person does with the rollup, from a terminal: make a
 * key, deposit ETH on L1, find the key's accounts, transfer and withdraw on L2, follow a
 * transaction, claim on L1. Everything on L2 goes through the client SDK ({@link RollupClient},
 * {@link Wallet}), as an exchange's program would; L1 goes through the contract's web3j binding.
 * Account keys come from a key file ({@link KeyFile}), L1 keys from an L1 key file; the endpoints
 * from options or from a {@code --config} file ({@link WalletConfig}).
 */
@Command(
    name = "wallet",
    description = "Use the rollup as a person: new-key, deposit, accounts, account, transfer, withdraw, status, claim, l1-balance.",
    subcommands = {
      WalletCommand.NewKey.class,
      WalletCommand.Deposit.class,
      WalletCommand.Accounts.class,
      WalletCommand.AccountCommand.class,
      WalletCommand.TransferCommand.class,
      WalletCommand.Withdraw.class,
      WalletCommand.Status.class,
      WalletCommand.Claim.class,
      WalletCommand.L1Balance.class
    })
final class WalletCommand {

  private static final BigInteger WEI_PER_ETH = BigInteger.TEN.pow(18);

  /** Rollup.sol's id of ETH (protocol v3, token 0); ERC-20 tokens are 1 … 65,535 in listing order. */
  private static final BigInteger ETH_TOKEN = BigInteger.ZERO;

  /** How long {@code --wait} waits for a transaction's batch. */
  private static final Duration WAIT = Duration.ofMinutes(30);

  private WalletCommand() {}

  /**
   * Defaults for the wallet's endpoints from the properties file of the command's {@code --config}:
   * keys {@code node}, {@code l1-rpc} and {@code l1-contract}, and nothing else (the file {@code
   * zkrollup deploy --config-out} writes works, and its operator's {@code l1-key-file} is not taken
   * for a user's). Options on the command line win. Picocli asks for defaults after it has parsed
   * the command line, so the provider reads the {@code --config} given there.
   */
  static final class WalletConfig implements IDefaultValueProvider {
    private static final Set<String> ENDPOINTS = Set.of("--node", "--l1-rpc", "--l1-contract");

    @Override
    public String defaultValue(ArgSpec arg) {
      if (!(arg instanceof OptionSpec option) || !ENDPOINTS.contains(option.longestName())) {
        return null;
      }
      OptionSpec config = arg.command().findOption("--config");
      Path file = config == null ? null : config.getValue();
      if (file == null) {
        return null;
      }
      Properties props = new Properties();
      try (Reader in = Files.newBufferedReader(file)) {
        props.load(in);
      } catch (IOException e) {
        throw new ParameterException(arg.command().commandLine(), "--config: cannot read " + file + ": " + e.getMessage());
      }
      String value = props.getProperty(option.longestName().substring(2));
      return value == null ? null : value.strip();
    }
  }

  /** The properties file the endpoints may come from. */
  static final class ConfigOption {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "Take --node, --l1-rpc and --l1-contract from this properties file (keys node, l1-rpc, l1-contract; the file zkrollup deploy --config-out writes will do). Options given here win.")
    Path file;
  }

  /** The node to talk to. */
  static final class NodeOption {
    @Option(names = "--node", defaultValue = "127.0.0.1:50051", paramLabel = "HOST:PORT", description = "The node's RollupService (default ${DEFAULT-VALUE}).")
    String target;

    RollupClient client() {
      return RollupClient.connect(target);
    }
  }

  /** An account key, from its key file. */
  static final class KeyFileOption {
    @Option(names = "--key-file", required = true, paramLabel = "FILE", description = "The account key's seed (zkrollup wallet new-key writes one).")
    Path file;

    AccountKey key(CommandSpec spec) {
      return readKey(spec, file);
    }
  }

  private static AccountKey readKey(CommandSpec spec, Path file) {
    try {
      return KeyFile.read(file);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The Rollup contract on L1. */
  static final class ContractOption {
    @Option(names = "--l1-contract", required = true, paramLabel = "0xADDR", description = "The Rollup contract's address (zkrollup deploy prints it).")
    String address;
  }

  // ------------------------------------------------------------------ keys

  /** {@code wallet new-key}: a new account key in a new key file. */
  @Command(
      name = "new-key",
      description = "Make a new account key: its seed goes to a new key file readable by you only (an existing file is never overwritten); prints the public key and the key hash a deposit names.")
  static final class NewKey implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--key-file", required = true, paramLabel = "FILE", description = "The key file to make.")
    Path file;

    @Override
    public Integer call() {
      AccountKey key = AccountKey.generate();
      try {
        KeyFile.write(file, key);
      } catch (FileAlreadyExistsException e) {
        spec.commandLine().getErr().println("refused: " + file + " exists; new-key never overwrites a key file");
        return 2;
      } catch (IOException e) {
        spec.commandLine().getErr().println("failed: cannot write " + file + ": " + e.getMessage());
        return 1;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf("key file    %s (the seed; keep it secret)%n", file.toAbsolutePath());
      out.printf("public key  %s%n", HexFormat.of().formatHex(key.publicKey().toBytes()));
      out.printf("key hash    %s%n", key.keyHash());
      out.flush();
      return 0;
    }
  }

  // ------------------------------------------------------------------ L1

  /** {@code wallet deposit}: sends ETH, or a listed ERC-20 token, to the rollup account of a key and an L1 owner. */
  @Command(
      name = "deposit",
      defaultValueProvider = WalletConfig.class,
      description =
          "Deposit on L1 into the rollup account of a key, an owner and a token (ETH, or --token ID): the node places it at that account, or a new one. The owner (default: the L1"
              + " key's address) alone may force a withdrawal from the account or exit it. A token deposit first approves the rollup for the amount.")
  static final class Deposit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin L1Options l1;
    @Mixin ContractOption contract;
    @Mixin KeyFileOption key;

    @Option(names = "--amount", required = true, paramLabel = "AMOUNT", description = "Wei, or ETH with the suffix eth (1.5eth); with --token, the token's smallest units.")
    String amount;

    @Option(names = "--owner", paramLabel = "0xADDR", description = "The account's L1 owner (default: the address of --l1-key-file's key).")
    String owner;

    @Option(names = "--token", paramLabel = "ID", description = "The listed ERC-20 token to deposit (zkrollup token ids lists them; default: ETH, token 0).")
    Integer token;

    @Override
    public Integer call() throws Exception {
      l1.require(spec);
      int id = tokenId(spec, token);
      BigInteger units = id == AccountLeaf.ETH ? wei(spec, amount) : units(spec, amount);
      Fr keyHash = key.key(spec).keyHash();
      String ownerAddress;
      try {
        ownerAddress = owner != null ? L1Address.fromHex(owner).toString() : credentials(spec, l1).getAddress();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--owner: " + e.getMessage());
      }
      return onL1(spec, l1.rpc.toString(), () -> withSession(spec, l1, contract, session -> {
        Rollup rollup = session.rollup();
        PrintWriter out = spec.commandLine().getOut();
        RemoteFunctionCall<TransactionReceipt> call;
        String what;
        BigInteger value;
        if (id == AccountLeaf.ETH) {
          call = rollup.deposit(keyHash.toBytes(), ownerAddress, units);
          what = "deposit of " + eth(units) + " ETH";
          value = units;
        } else {
          String erc20 = listedAddress(rollup, id);
          if (erc20 == null) {
            return refused(spec, "token " + id + " is not listed on " + contract.address + " (zkrollup token ids lists those that are)");
          }
          Erc20 t = session.erc20(erc20);
          BigInteger held = t.balanceOf(session.from()).send();
          if (held.compareTo(units) < 0) {
            // Checked here: the token's own revert (not one of Rollup.sol's errors) would come back as bare data.
            return refused(spec, session.from() + " holds " + held + " of token " + id + " (" + erc20 + "), less than " + units);
          }
          // Rollup.sol takes the amount with transferFrom: it needs an allowance first.
          if (t.allowance(session.from(), rollup.getContractAddress()).send().compareTo(units) < 0) {
            String approve = t.approve(rollup.getContractAddress(), units).encodeFunctionCall();
            Optional<String> no = session.refusal(erc20, approve, BigInteger.ZERO);
            if (no.isPresent()) {
              return refused(spec, "token " + id + " (" + erc20 + ") would revert approve(" + units + ") with " + no.get());
            }
            TransactionReceipt a = t.approve(rollup.getContractAddress(), units).send();
            out.printf("approved    %s of token %d (%s) for the rollup (transaction %s, gas %,d)%n", units, id, erc20, a.getTransactionHash(), a.getGasUsed());
          }
          call = rollup.depositToken(BigInteger.valueOf(id), units, keyHash.toBytes(), ownerAddress);
          what = "depositToken of " + units + " of token " + id;
          value = BigInteger.ZERO;
        }
        Optional<String> no = session.refusal(rollup.getContractAddress(), call.encodeFunctionCall(), value);
        if (no.isPresent()) {
          return refused(spec, "Rollup.sol would revert the " + what + " with " + no.get());
        }
        TransactionReceipt r = call.send();
        var event = Rollup.getDepositEvents(r).get(0);
        if (id == AccountLeaf.ETH) {
          out.printf("deposited   %s ETH for key hash %s, owner %s%n", eth(event.amount), keyHash, event.owner);
        } else {
          // A token that takes a fee on transfer delivers less: L2 gets what the rollup received.
          String kept = event.amount.equals(units) ? "" : " (sent " + units + "; the token kept the difference)";
          out.printf("deposited   %s of token %d for key hash %s, owner %s%s%n", event.amount, id, keyHash, event.owner, kept);
        }
        out.printf("account id  0x%s%n", org.web3j.utils.Numeric.toHexStringNoPrefixZeroPadded(new BigInteger(1, event.idHash), 64));
        out.printf("queue entry %d (transaction %s, block %s, gas %,d)%n", event.index, r.getTransactionHash(), r.getBlockNumber(), r.getGasUsed());
        return 0;
      }));
    }
  }

  /** {@code wallet claim}: takes out what committed withdrawals credited to the caller, in one token. */
  @Command(
      name = "claim",
      defaultValueProvider = WalletConfig.class,
      description = "Claim on L1 what committed withdrawals (and exits, refunds) credited to the L1 key's address, in ETH or --token ID.")
  static final class Claim implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin L1Options l1;
    @Mixin ContractOption contract;

    @Option(names = "--token", paramLabel = "ID", description = "The token to claim (default: ETH, token 0); each token is claimed on its own.")
    Integer token;

    @Override
    public Integer call() throws Exception {
      l1.require(spec);
      int id = tokenId(spec, token);
      String me = credentials(spec, l1).getAddress();
      return onL1(spec, l1.rpc.toString(), () -> withSession(spec, l1, contract, session -> {
        Rollup rollup = session.rollup();
        BigInteger token = BigInteger.valueOf(id);
        if (rollup.pendingWithdrawal(token, me).send().signum() == 0) {
          return refused(spec, "nothing to claim of " + tokenName(id) + " for " + me + " (no committed withdrawal credits it, or it claimed already)");
        }
        // A token whose transfer fails makes the claim revert (and the amount stays pending): say so by name.
        Optional<String> no = session.refusal(rollup.getContractAddress(), rollup.claim(token).encodeFunctionCall(), BigInteger.ZERO);
        if (no.isPresent()) {
          return refused(spec, "Rollup.sol would revert claim(" + id + ") with " + no.get());
        }
        TransactionReceipt r = rollup.claim(token).send();
        var claimed = Rollup.getClaimedEvents(r).get(0);
        spec.commandLine().getOut().printf("claimed     %s to %s (transaction %s, gas %,d)%n", amountIn(id, claimed.amount), claimed.to, r.getTransactionHash(), r.getGasUsed());
        return 0;
      }));
    }
  }

  /** {@code wallet l1-balance}: an address's ETH and listed tokens on L1, and what it may claim of each. */
  @Command(
      name = "l1-balance",
      defaultValueProvider = WalletConfig.class,
      description = "Show an L1 address's balance and claimable withdrawals of ETH and of every listed token.")
  static final class L1Balance implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin ContractOption contract;

    @Option(names = "--l1-rpc", required = true, paramLabel = "URL", description = "Ethereum JSON-RPC URL of the L1.")
    java.net.URI rpc;

    @Option(names = "--address", required = true, paramLabel = "0xADDR", description = "The L1 address.")
    String address;

    @Override
    public Integer call() throws Exception {
      try {
        L1Address.fromHex(address);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--address: " + e.getMessage());
      }
      return onL1(spec, rpc.toString(), () -> {
        Web3j web3 = Web3j.build(new HttpService(rpc.toString()));
        try {
          long chain = web3.ethChainId().send().getChainId().longValueExact();
          ReadonlyTransactionManager reader = new ReadonlyTransactionManager(web3, address);
          EstimatingGasProvider gas = new EstimatingGasProvider(web3, chain);
          Rollup rollup = Rollup.load(contract.address, web3, reader, gas);
          BigInteger balance = web3.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
          PrintWriter out = spec.commandLine().getOut();
          out.printf("L1 balance  %s ETH%n", eth(balance));
          out.printf("claimable   %s ETH%n", eth(rollup.pendingWithdrawal(ETH_TOKEN, address).send()));
          int listed = rollup.listedTokens().send().intValueExact();
          for (int id = 1; id <= listed; id++) {
            String erc20 = rollup.tokenAddress(BigInteger.valueOf(id)).send();
            BigInteger held = Erc20.load(erc20, web3, reader, gas).balanceOf(address).send();
            BigInteger claimable = rollup.pendingWithdrawal(BigInteger.valueOf(id), address).send();
            out.printf("token %-5d %s: L1 balance %s, claimable %s%n", id, erc20, held, claimable);
          }
          return 0;
        } finally {
          web3.shutdown();
        }
      });
    }
  }

  // ------------------------------------------------------------------ L2, through the SDK

  /** {@code wallet accounts}: every account of a key. */
  @Command(
      name = "accounts",
      defaultValueProvider = WalletConfig.class,
      description = "List every L2 account of the key file's key (one per L1 owner that deposited to it), with balance, nonce and owner.")
  static final class Accounts implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin NodeOption node;
    @Mixin KeyFileOption key;

    @Override
    public Integer call() {
      AccountKey k = key.key(spec);
      return withNode(spec, node, client -> {
        List<Account> accounts = client.findAccounts(k.publicKey());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("key hash    %s%n", k.keyHash());
        if (accounts.isEmpty()) {
          out.println("accounts    none (no deposit for this key has reached the node)");
        }
        for (Account a : accounts) {
          AccountState s = a.state();
          out.printf("account     %d: %s, nonce %d, owner %s%n", a.index(), amount(s.balance(), s.token()), s.nonce(), s.owner());
        }
        return 0;
      });
    }
  }

  /** {@code wallet account}: an account, by index or by the key that owns it. */
  @Command(
      name = "account",
      defaultValueProvider = WalletConfig.class,
      description = "Show an account on L2: by --index, or the account of --key-file's key (its lowest; wallet accounts lists them all).")
  static final class AccountCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin NodeOption node;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The account key's seed: show the account its key holds.")
    Path keyFile;

    @Option(names = "--index", paramLabel = "N", description = "Show account N.")
    Long index;

    @Override
    public Integer call() {
      if ((keyFile == null) == (index == null)) {
        throw new ParameterException(spec.commandLine(), "give --key-file or --index");
      }
      Optional<AccountKey> key = keyFile == null ? Optional.empty() : Optional.of(readKey(spec, keyFile));
      return withNode(spec, node, client -> {
        long at;
        if (key.isPresent()) {
          List<Account> accounts = client.findAccounts(key.get().keyHash());
          if (accounts.isEmpty()) {
            return refused(spec, "NOT_FOUND: no account holds key hash " + key.get().keyHash() + " (no deposit for this key has reached the node)");
          }
          at = accounts.get(0).index();
        } else {
          at = index;
        }
        Optional<AccountView> found = client.account(at);
        if (found.isEmpty()) {
          return refused(spec, "NOT_FOUND: account " + at + " does not exist");
        }
        AccountView a = found.get();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("account     %d%n", a.index());
        a.pending().ifPresent(s -> out.printf("balance     %s (nonce %d, every accepted transaction applied)%n", amount(s.balance(), s.token()), s.nonce()));
        a.sealed().ifPresent(s -> out.printf("sealed      %s (nonce %d, in the state tree after %d batches)%n", amount(s.balance(), s.token()), s.nonce(), a.sealedBatches()));
        AccountState shown = a.pending().or(a::sealed).orElseThrow();
        out.printf("key hash    %s%n", shown.keyHash());
        out.printf("owner       %s (the L1 address that may force a withdrawal or exit)%n", shown.owner());
        return 0;
      });
    }
  }

  /** What transfer and withdraw share: the key and its account, the fee, the nonce, waiting. */
  abstract static class SignedOpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin NodeOption node;
    @Mixin KeyFileOption key;

    @Option(names = "--from", paramLabel = "N", description = "The key's account to sign for (default: its lowest; wallet accounts lists them).")
    Long from;

    @Option(names = "--max-fee", paramLabel = "WEI", description = "The most fee you sign for (default: the node's batch fee).")
    BigInteger maxFee;

    @Option(names = "--nonce", paramLabel = "N", description = "The nonce (default: the account's next, as the node has it).")
    Long nonce;

    @Option(names = "--wait", description = "Wait until the transaction's batch is on L1 (or sealed, for a node that does not prove).")
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
    public Integer call() {
      AccountKey k = key.key(spec);
      BigInteger wei = wei();
      return withNode(spec, node, client -> {
        NodeStatus status = client.nodeStatus();
        List<Account> accounts = client.findAccounts(k.keyHash());
        Optional<Account> signer = accounts.stream().filter(a -> from == null || a.index() == from).findFirst();
        if (signer.isEmpty()) {
          return refused(
              spec,
              "NOT_FOUND: "
                  + (from == null ? "no account holds key hash " + k.keyHash() + " (no deposit for this key has reached the node)" : "account " + from + " is not an account of key hash " + k.keyHash()));
        }
        // The account's token is signed (protocol v3), and its ops pay that token's fee.
        long token = signer.get().state().token();
        Wallet wallet = new Wallet(k, signer.get().index(), status.rollupId(), token);
        BigInteger fee = maxFee != null ? maxFee : status.feeOf(token).orElse(status.fee());
        long n = nonce != null ? nonce : signer.get().state().nonce();
        SignedTransaction tx;
        try {
          tx = sign(wallet, fee, n);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Accepted accepted = client.submit(tx);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("accepted    %s from account %d (nonce %d, max fee %s wei)%n", describe(), wallet.account(), n, fee);
        out.printf("tx hash     %s%n", accepted.txHash());
        out.flush();
        if (await) {
          awaitStage(client, accepted.txHash(), status, out);
        }
        return 0;
      });
    }
  }

  /** {@code wallet transfer}. */
  @Command(
      name = "transfer",
      defaultValueProvider = WalletConfig.class,
      description = "Transfer on L2 from the key file's account to another account (the amount must be a float16 value: 3–4 significant digits).")
  static final class TransferCommand extends SignedOpCommand {
    @Option(names = "--to", required = true, paramLabel = "N", description = "The receiving account's index (zkrollup wallet accounts shows them).")
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
  @Command(
      name = "withdraw",
      defaultValueProvider = WalletConfig.class,
      description = "Withdraw from the key file's account to an L1 address: once its batch is on L1, the address claims it (wallet claim).")
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
  @Command(
      name = "status",
      defaultValueProvider = WalletConfig.class,
      description = "Show where a transaction is: pending, sealed, proven or published on L1.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;
    @Mixin NodeOption node;

    @Option(names = "--tx", required = true, paramLabel = "0xHASH", description = "The transaction hash (transfer and withdraw print it).")
    String tx;

    @Option(names = "--wait", description = "Wait until its batch is on L1 (or sealed, for a node that does not prove).")
    boolean await;

    @Override
    public Integer call() {
      Fr hash;
      try {
        hash = Fr.fromHex(tx);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--tx: " + e.getMessage());
      }
      return withNode(spec, node, client -> {
        PrintWriter out = spec.commandLine().getOut();
        if (await) {
          awaitStage(client, hash, client.nodeStatus(), out);
          return 0;
        }
        Optional<TransactionStatus> s = client.status(hash);
        if (s.isEmpty()) {
          return refused(spec, "NOT_FOUND: the node has accepted no transaction with hash " + hash);
        }
        out.println(stage(s.get()));
        return 0;
      });
    }
  }

  // ------------------------------------------------------------------ shared

  @FunctionalInterface
  private interface NodeCall {
    int call(RollupClient client) throws InterruptedException;
  }

  /**
   * Runs {@code call} with a client of the node. Whatever the node or the transport answers
   * instead of a result is printed as one line naming the status code and the node's reason, and
   * the command exits 2.
   */
  private static int withNode(CommandSpec spec, NodeOption node, NodeCall call) {
    try (RollupClient client = node.client()) {
      return call.call(client);
    } catch (RollupException e) {
      spec.commandLine().getErr().println(oneLine(node.target, e));
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      spec.commandLine().getErr().println("interrupted");
      return 130;
    }
  }

  /** One line for a failed call to the node at {@code target}. */
  static String oneLine(String target, RollupException e) {
    if (e instanceof TransactionRejectedException r) {
      return "refused: " + r.code() + " " + r.reason() + ": " + r.getMessage();
    }
    if (e instanceof NodeUnavailableException u) {
      return u.halted() ? "refused: UNAVAILABLE NODE_HALTED: " + u.getMessage() : "unavailable: no node answers at " + target + " (" + u.getMessage() + ")";
    }
    if (e instanceof ResourceExhaustedException b) {
      return "refused: RESOURCE_EXHAUSTED" + (b.busy() ? " BUSY: " + b.getMessage() + "; retry in a moment" : ": " + b.getMessage());
    }
    if (e instanceof DeadlineExceededException) {
      return "no answer: DEADLINE_EXCEEDED: " + e.getMessage() + " (a transaction sent may or may not be accepted: ask wallet status --tx)";
    }
    return "failed: " + e.code() + ": " + e.getMessage();
  }

  private static int refused(CommandSpec spec, String what) {
    spec.commandLine().getErr().println("refused: " + what);
    return 2;
  }

  /**
   * Waits for the transaction's batch to be on L1 (PUBLISHED), or SEALED for a node that does not
   * prove, printing each new stage.
   */
  private static void awaitStage(RollupClient client, Fr hash, NodeStatus node, PrintWriter out) throws InterruptedException {
    TransactionStage target = node.proving() ? TransactionStage.PUBLISHED : TransactionStage.SEALED;
    client.awaitStage(hash, target, WAIT, s -> {
      out.println(stage(s));
      out.flush();
    });
  }

  private static String stage(TransactionStatus s) {
    return "stage       " + s.stage() + (s.batch().isPresent() ? " (batch " + s.batch().getAsLong() + ")" : "");
  }

  @FunctionalInterface
  interface L1Call {
    int call() throws Exception;
  }

  /**
   * Runs an L1 call; a failure of the RPC or the contract is printed as one line naming the RPC and
   * the error, and the command exits 2 (a usage error stays picocli's).
   */
  static int onL1(CommandSpec spec, String rpc, L1Call call) throws InterruptedException {
    try {
      return call.call();
    } catch (ParameterException | InterruptedException e) {
      throw e;
    } catch (Exception e) {
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      spec.commandLine().getErr().println("failed: L1 at " + rpc + ": " + why.lines().findFirst().orElse(why));
      return 2;
    }
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
    return withSession(spec, l1, contract, session -> call.call(session.rollup()));
  }

  @FunctionalInterface
  interface SessionCall {
    int call(L1Session session) throws Exception;
  }

  /**
   * What an L1 sub-command that sends needs: the RPC, the Rollup contract and the key that signs
   * (the same manager signs ERC-20 approvals, so their nonces follow each other).
   *
   * @param from the address of the signing key
   */
  record L1Session(Web3j web3, Rollup rollup, TransactionManager transactions, ContractGasProvider gas, String from) {

    /** The ERC-20 token at {@code address}, its transactions signed like the rollup's. */
    Erc20 erc20(String address) {
      return Erc20.load(address, web3, transactions, gas);
    }

    /**
     * The contract's reason, by its custom error's name, if sending {@code data} with {@code value}
     * wei to {@code to} would revert now (an eth_call from {@link #from}); empty if it would pass.
     * Checked before sending, so a refusal costs no gas and reads as one line.
     */
    Optional<String> refusal(String to, String data, BigInteger value) throws IOException {
      EthCall answer = web3.ethCall(Transaction.createFunctionCallTransaction(from, null, null, null, to, value, data), DefaultBlockParameterName.LATEST).send();
      return RevertReason.of(answer);
    }
  }

  /** Runs {@code call} with an {@link L1Session} of the L1 key file's key. */
  static int withSession(CommandSpec spec, L1Options l1, ContractOption contract, SessionCall call) throws Exception {
    Web3j web3 = Web3j.build(new HttpService(l1.rpc.toString()));
    try {
      long chain = web3.ethChainId().send().getChainId().longValueExact();
      if (l1.chainId != null && l1.chainId != chain) {
        throw new ParameterException(spec.commandLine(), "--l1-rpc serves chain " + chain + ", not " + l1.chainId);
      }
      Credentials signer = credentials(spec, l1);
      TransactionManager transactions = new RawTransactionManager(web3, signer, chain, new PollingTransactionReceiptProcessor(web3, 500, 240));
      ContractGasProvider gas = new EstimatingGasProvider(web3, chain);
      return call.call(new L1Session(web3, Rollup.load(contract.address, web3, transactions, gas), transactions, gas, signer.getAddress()));
    } finally {
      web3.shutdown();
    }
  }

  /** {@code --token}'s id (ETH, 0, when absent); ids are 16-bit. */
  static int tokenId(CommandSpec spec, Integer token) {
    if (token == null) {
      return (int) AccountLeaf.ETH;
    }
    if (token < 0 || token > 0xFFFF) {
      throw new ParameterException(spec.commandLine(), "--token must be a token id, 0 (ETH) … 65535, got " + token);
    }
    return token;
  }

  /** The ERC-20 contract listed as token {@code id}, or null if none is. */
  private static String listedAddress(Rollup rollup, int id) throws Exception {
    String a = rollup.tokenAddress(BigInteger.valueOf(id)).send();
    return a == null || new BigInteger(1, org.web3j.utils.Numeric.hexStringToByteArray(a)).signum() == 0 ? null : a;
  }

  private static String tokenName(int id) {
    return id == AccountLeaf.ETH ? "ETH" : "token " + id;
  }

  /** {@code amount} of token {@code id}: ETH in ETH, a token in its smallest units. */
  private static String amountIn(int id, BigInteger amount) {
    return id == AccountLeaf.ETH ? eth(amount) + " ETH" : amount + " of token " + id;
  }

  /** A token amount: a positive integer of the token's smallest unit (decimals are the token's business). */
  static BigInteger units(CommandSpec spec, String amount) {
    try {
      BigInteger units = new BigInteger(amount.strip());
      if (units.signum() <= 0) {
        throw new NumberFormatException("not positive");
      }
      return units;
    } catch (NumberFormatException e) {
      throw new ParameterException(spec.commandLine(), "--amount of a token must be a positive integer of its smallest unit, got '" + amount + "'");
    }
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

  /** An L2 balance: ETH in ether, a token in its smallest unit with its id (the node does not know its decimals). */
  static String amount(BigInteger balance, long token) {
    return token == 0 ? eth(balance) + " ETH" : balance + " of token " + token;
  }
}
