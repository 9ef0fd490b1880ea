package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.ContractsDir;
import io.zkrollup.aggregator.l1.dev.EstimatingGasProvider;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.aggregator.l1.dev.RollupDeployer;
import io.zkrollup.aggregator.l1.dev.RollupDeployment;
import io.zkrollup.aggregator.l1.dev.SolidityCompiler;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.Verifier;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * A {@link LocalAnvil} with the rollup's contracts for a test: the verifier of a key directory and
 * Rollup.sol deployed with {@link RollupDeployer} from anvil's first dev account, the calls L1
 * users make (deposit, claim) through the generated binding, and the reads the assertions need.
 */
final class L1Chain implements AutoCloseable {

  static final BigInteger GAS_LIMIT = BigInteger.valueOf(3_000_000);
  private static final BigInteger DEPLOY_GAS_LIMIT = BigInteger.valueOf(10_000_000);

  final ContractsDir contracts;
  final LocalAnvil anvil;
  final RollupDeployer deployer;
  private final SolidityCompiler compiler;
  private final Path dir;

  private L1Chain(ContractsDir contracts, LocalAnvil anvil, Path dir) {
    this.contracts = contracts;
    this.anvil = anvil;
    this.dir = dir;
    this.compiler = new SolidityCompiler(contracts);
    this.deployer = new RollupDeployer(anvil.web3(), LocalAnvil.devAccount(0), anvil.chainId());
  }

  /** Starts anvil; {@code dir} holds its log and the compiler's output. */
  static L1Chain start(Path dir) throws IOException, InterruptedException {
    ContractsDir contracts = ContractsDir.locate(); // fails first, and clearly, without node_modules
    Files.createDirectories(dir);
    return new L1Chain(contracts, LocalAnvil.start(contracts, dir.resolve("anvil.log")), dir);
  }

  /** Starts anvil with chain id {@code chainId} (the same dev accounts, on another chain). */
  static L1Chain start(Path dir, long chainId) throws IOException, InterruptedException {
    ContractsDir contracts = ContractsDir.locate();
    Files.createDirectories(dir);
    return new L1Chain(contracts, LocalAnvil.start(contracts, dir.resolve("anvil.log"), chainId), dir);
  }

  /** The state root of an empty tree of depth {@code depth}: a new contract's genesis root. */
  static Fr emptyRoot(int depth) {
    return RollupDeployer.genesisRoot(depth);
  }

  /** A deterministic test key: {@code n} repeated over 32 bytes (never a real account). */
  static Credentials key(int n) {
    return Credentials.create(String.format("%02x", n).repeat(32));
  }

  String url() {
    return anvil.url().toString();
  }

  /** Deploys the verifier of {@code keys} (for PLONK, behind its adapter) and Rollup.sol, as {@code zkrollup deploy} does. */
  RollupDeployment deployAll(Verifier keys, Fr operatorKeyHash) throws Exception {
    return deployer.deploy(keys, compiler, dir.resolve("deploy-" + keys.system().label()), anvil.url(), operatorKeyHash);
  }

  /** Exports, compiles and deploys the verifier of {@code keyDir}; its address. */
  String deployVerifier(Path keyDir) throws Exception {
    Path sol = dir.resolve("Verifier-" + keyDir.getFileName() + ".sol");
    try (GnarkProver keys = GnarkProver.load(LibZkProver.load(), keyDir)) {
      Files.writeString(sol, keys.exportSolidity(), StandardCharsets.UTF_8);
    }
    return deployer.deployVerifier(CompileCache.compile(contracts, dir.resolve("build"), "Verifier", sol).bytecode());
  }

  /** Deploys Rollup.sol in rollup mode through its binding, with the default priority deadline; its address. */
  String deployRollup(String verifier, int slots, int depth, Fr genesisRoot, Fr operatorKeyHash) throws Exception {
    return deployRollup(verifier, slots, depth, DataAvailability.ROLLUP, genesisRoot, operatorKeyHash);
  }

  /** Deploys Rollup.sol in {@code mode} through its binding, with the default priority deadline; its address. */
  String deployRollup(String verifier, int slots, int depth, DataAvailability mode, Fr genesisRoot, Fr operatorKeyHash) throws Exception {
    return deployRollup(verifier, slots, depth, mode, RollupDeployer.DEFAULT_PRIORITY_DEADLINE_BLOCKS, genesisRoot, operatorKeyHash);
  }

  /** Deploys Rollup.sol through its binding from dev account 0 (which owns the operator's account and is the token governor); its address. */
  String deployRollup(String verifier, int slots, int depth, DataAvailability mode, long priorityDeadline, Fr genesisRoot, Fr operatorKeyHash) throws Exception {
    return deployer.deployRollup(verifier, slots, depth, mode, priorityDeadline, genesisRoot, operatorKeyHash).getContractAddress();
  }

  /** The rollup id the Rollup at {@code address} derived (its {@code rollupId()}, a uint64: the long holds its 64 bits). */
  long rollupId(String address) throws Exception {
    return reader(address).rollupId().send().longValue();
  }

  /** Compiles {@code source} and deploys its contract {@code name} with constructor {@code args} (a test contract without a binding); its address. */
  String deploy(Path source, String name, Type<?>... args) throws Exception {
    SolidityCompiler.Compiled compiled = CompileCache.compile(contracts, dir.resolve("build"), name, source);
    TransactionReceipt r = send(LocalAnvil.devAccount(0), null, BigInteger.ZERO, compiled.bytecode() + FunctionEncoder.encodeConstructor(List.of(args)), DEPLOY_GAS_LIMIT);
    assertThat(r.isStatusOK()).as("%s deployment %s", name, r).isTrue();
    return r.getContractAddress();
  }

  /**
   * Compiles {@code source} once and returns the creation bytecode of each of its contracts {@code
   * names} (test contracts without a binding, to deploy with {@link #deployBytecode}).
   */
  Map<String, String> compileAll(Path source, String... names) throws IOException {
    Path out = dir.resolve("build-" + source.getFileName());
    CompileCache.compile(contracts, out, names[0], source);
    Map<String, String> bytecodes = new LinkedHashMap<>();
    for (String name : names) {
      bytecodes.put(name, ObjectMapperFactory.getObjectMapper().readTree(out.resolve(name + ".json").toFile()).get("bytecode").asText());
    }
    return bytecodes;
  }

  /** Deploys creation {@code bytecode} (from {@link #compileAll}) with constructor {@code args} from dev account 0; its address. */
  String deployBytecode(String bytecode, Type<?>... args) throws Exception {
    TransactionReceipt r = send(LocalAnvil.devAccount(0), null, BigInteger.ZERO, bytecode + FunctionEncoder.encodeConstructor(List.of(args)), DEPLOY_GAS_LIMIT);
    assertThat(r.isStatusOK()).as("deployment %s", r).isTrue();
    return r.getContractAddress();
  }

  /** The binding of the Rollup at {@code address}, signing with {@code signer}. */
  Rollup rollup(String address, Credentials signer) {
    return Rollup.load(
        address,
        anvil.web3(),
        new RawTransactionManager(anvil.web3(), signer, anvil.chainId(), new PollingTransactionReceiptProcessor(anvil.web3(), 50, 200)),
        new EstimatingGasProvider(anvil.web3(), anvil.chainId()));
  }

  /** The binding of the Rollup at {@code address}, for reads. */
  Rollup reader(String address) {
    return Rollup.load(address, anvil.web3(), new ReadonlyTransactionManager(anvil.web3(), address), new EstimatingGasProvider(anvil.web3(), anvil.chainId()));
  }

  /** Gives {@code address} a balance of {@code wei} (anvil_setBalance). */
  void setBalance(String address, BigInteger wei) throws IOException {
    anvil.setBalance(address, wei);
  }

  /** ABI-encoded call of a test contract without a binding (ReentrantClaimer). */
  static String encode(String name, Type<?>... args) {
    return FunctionEncoder.encode(new Function(name, List.of(args), List.of()));
  }

  /** {@code from} deposits {@code wei} into the rollup account of {@code keyHash} that {@code from} owns, through the binding. */
  TransactionReceipt deposit(Credentials from, String rollup, Fr keyHash, BigInteger wei) throws Exception {
    return deposit(from, rollup, keyHash, from.getAddress(), wei);
  }

  /** {@code from} deposits {@code wei} into the rollup account (keyHash, owner), through the binding. */
  TransactionReceipt deposit(Credentials from, String rollup, Fr keyHash, String owner, BigInteger wei) throws Exception {
    TransactionReceipt r = rollup(rollup, from).deposit(keyHash.toBytes(), owner, wei).send();
    assertThat(r.isStatusOK()).as("deposit %s", r).isTrue();
    return r;
  }

  /** Lists the ERC-20 at {@code token} on {@code rollup} from the token governor (dev account 0); its id. */
  long listToken(String rollup, String token) throws Exception {
    TransactionReceipt r = rollup(rollup, LocalAnvil.devAccount(0)).listToken(token).send();
    assertThat(r.isStatusOK()).as("listToken %s", r).isTrue();
    return Rollup.getTokenListedEvents(r).get(0).id.longValueExact();
  }

  /**
   * {@code from} mints {@code amount} of the test token at {@code token} ({@code contracts/test/TestTokens.sol}),
   * approves the rollup for it and deposits it into the account (keyHash, {@code from}) of token id {@code id}; the Deposit event.
   */
  Rollup.DepositEventResponse depositToken(Credentials from, String rollup, String token, long id, Fr keyHash, BigInteger amount) throws Exception {
    for (String call : List.of(encode("mint", new Address(from.getAddress()), new Uint256(amount)), encode("approve", new Address(rollup), new Uint256(amount)))) {
      TransactionReceipt r = send(from, token, BigInteger.ZERO, call, GAS_LIMIT);
      assertThat(r.isStatusOK()).as("%s %s", call.substring(0, 10), r).isTrue();
    }
    TransactionReceipt r = rollup(rollup, from).depositToken(BigInteger.valueOf(id), amount, keyHash.toBytes(), from.getAddress()).send();
    assertThat(r.isStatusOK()).as("depositToken %s", r).isTrue();
    return Rollup.getDepositEvents(r).get(0);
  }

  /** The ERC-20 balance of {@code holder} at {@code token}. */
  BigInteger tokenBalance(String token, String holder) throws IOException {
    return read(token, "balanceOf", new Address(holder));
  }

  /** {@code from} claims its pending ETH withdrawals from {@code rollup}, through the binding. */
  TransactionReceipt claim(Credentials from, String rollup) throws Exception {
    return rollup(rollup, from).claim(BigInteger.ZERO).send();
  }

  /** A uint getter of a contract without a binding (ReentrantClaimer). */
  BigInteger read(String contract, String getter, Type<?>... args) throws IOException {
    EthCall r = anvil.web3().ethCall(Transaction.createEthCallTransaction(LocalAnvil.devAccount(0).getAddress(), contract, encode(getter, args)), DefaultBlockParameterName.LATEST).send();
    assertThat(r.hasError()).as("%s: %s", getter, r.getError() == null ? "" : r.getError().getMessage()).isFalse();
    return Numeric.toBigInt(r.getValue());
  }

  /** What {@code data} from {@code from} would revert with (named by {@link RevertReason}), or empty if it would not. */
  Optional<String> revertOf(Credentials from, String to, BigInteger value, String data) throws IOException {
    EthCall r =
        anvil.web3().ethCall(Transaction.createFunctionCallTransaction(from.getAddress(), null, null, GAS_LIMIT, to, value, data), DefaultBlockParameterName.LATEST).send();
    return RevertReason.of(r);
  }

  BigInteger balance(String address) throws IOException {
    return anvil.web3().ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
  }

  long nonce(String address) throws IOException {
    return anvil.web3().ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send().getTransactionCount().longValueExact();
  }

  /** The logs of {@code event} that {@code contract} emitted, in chain order. */
  List<Log> logs(String contract, Event event) throws IOException {
    EthFilter f = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, contract);
    f.addSingleTopic(EventEncoder.encode(event));
    EthLog r = anvil.web3().ethGetLogs(f).send();
    assertThat(r.hasError()).as("eth_getLogs").isFalse();
    List<Log> out = new ArrayList<>();
    for (EthLog.LogResult<?> l : r.getLogs()) {
      out.add((Log) l.get());
    }
    return out;
  }

  TransactionReceipt receipt(String txHash) throws IOException {
    return anvil.web3().ethGetTransactionReceipt(txHash).send().getTransactionReceipt().orElseThrow();
  }

  /** Signs and sends a legacy transaction and waits for its receipt (anvil mines at once). */
  TransactionReceipt send(Credentials from, String to, BigInteger value, String data, BigInteger gasLimit) throws Exception {
    RawTransactionManager tx = new RawTransactionManager(anvil.web3(), from, anvil.chainId());
    BigInteger nonce = anvil.web3().ethGetTransactionCount(from.getAddress(), DefaultBlockParameterName.PENDING).send().getTransactionCount();
    BigInteger gasPrice = anvil.web3().ethGasPrice().send().getGasPrice();
    RawTransaction raw =
        to == null
            ? RawTransaction.createContractTransaction(nonce, gasPrice, gasLimit, value, data)
            : RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to, value, data);
    return anvil.mined(tx.signAndSend(raw));
  }

  /** What a mined transaction cost its sender: gasUsed × effectiveGasPrice. */
  static BigInteger fee(TransactionReceipt r) {
    return r.getGasUsed().multiply(Numeric.toBigInt(r.getEffectiveGasPrice()));
  }

  @Override
  public void close() {
    anvil.close();
  }
}
