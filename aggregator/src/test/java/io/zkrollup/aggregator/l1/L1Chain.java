package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.cli.ZkRollupCli;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.utils.Numeric;

/**
 * anvil with the rollup's contracts for a test: the gnark verifier of a key directory and
 * Rollup.sol deployed with web3j, and the calls L1 users make (deposit, claim) and the reads the
 * assertions need.
 */
final class L1Chain implements AutoCloseable {

  static final BigInteger GAS_LIMIT = BigInteger.valueOf(3_000_000);
  private static final BigInteger DEPLOY_GAS_LIMIT = BigInteger.valueOf(10_000_000);

  final Contracts contracts;
  final Anvil anvil;
  private final Path dir;

  private L1Chain(Contracts contracts, Anvil anvil, Path dir) {
    this.contracts = contracts;
    this.anvil = anvil;
    this.dir = dir;
  }

  /** Starts anvil; {@code dir} holds its log and the compiler's output. */
  static L1Chain start(Path dir) throws IOException, InterruptedException {
    Contracts contracts = Contracts.locate(); // fails first, and clearly, without node_modules
    Files.createDirectories(dir);
    return new L1Chain(contracts, Anvil.start(contracts.anvil(), dir.resolve("anvil.log"), Duration.ofSeconds(60)), dir);
  }

  /** The state root of an empty tree of depth {@code depth}: a new contract's genesis root. */
  static Fr emptyRoot(int depth) {
    return new StateTree(new InMemoryTreeStore(depth), new Poseidon2(), 1).root();
  }

  /** A deterministic test key: {@code n} repeated over 32 bytes (never a real account). */
  static Credentials key(int n) {
    return Credentials.create(String.format("%02x", n).repeat(32));
  }

  /** Exports, compiles and deploys the verifier of {@code keyDir}; its address. */
  String deployVerifier(Path keyDir) throws Exception {
    Path sol = dir.resolve("Verifier-" + keyDir.getFileName() + ".sol");
    assertThat(ZkRollupCli.commandLine().execute("verifier", "--keys", keyDir.toString(), "--out", sol.toString())).isZero();
    Contracts.Compiled verifier = contracts.compile(dir.resolve("build"), "Verifier", sol);
    TransactionReceipt r = send(Anvil.DEV_ACCOUNT, null, BigInteger.ZERO, verifier.bytecode(), DEPLOY_GAS_LIMIT);
    assertThat(r.isStatusOK()).as("verifier deployment %s", r).isTrue();
    return r.getContractAddress();
  }

  /** Compiles and deploys Rollup.sol in rollup mode; its address. */
  String deployRollup(String verifier, long rollupId, int slots, Fr genesisRoot, Fr operatorKeyHash) throws Exception {
    return deployRollup(verifier, rollupId, slots, DataAvailability.ROLLUP, genesisRoot, operatorKeyHash);
  }

  /** Compiles and deploys Rollup.sol in {@code mode}; its address. */
  String deployRollup(String verifier, long rollupId, int slots, DataAvailability mode, Fr genesisRoot, Fr operatorKeyHash) throws Exception {
    Contracts.Compiled rollup = contracts.compile(dir.resolve("build"), "Rollup", contracts.dir().resolve("src/Rollup.sol"));
    String args =
        FunctionEncoder.encodeConstructor(
            List.of(new Address(verifier), new Uint32(rollupId), new Uint16(slots), new Bool(mode == DataAvailability.VALIDIUM), new Uint256(genesisRoot.toBigInteger()), new Bytes32(operatorKeyHash.toBytes())));
    TransactionReceipt r = send(Anvil.DEV_ACCOUNT, null, BigInteger.ZERO, rollup.bytecode() + args, DEPLOY_GAS_LIMIT);
    assertThat(r.isStatusOK()).as("Rollup deployment %s", r).isTrue();
    return r.getContractAddress();
  }

  /** Compiles {@code source} and deploys its contract {@code name} with constructor {@code args}; its address. */
  String deploy(Path source, String name, Type<?>... args) throws Exception {
    Contracts.Compiled compiled = contracts.compile(dir.resolve("build"), name, source);
    TransactionReceipt r = send(Anvil.DEV_ACCOUNT, null, BigInteger.ZERO, compiled.bytecode() + FunctionEncoder.encodeConstructor(List.of(args)), DEPLOY_GAS_LIMIT);
    assertThat(r.isStatusOK()).as("%s deployment %s", name, r).isTrue();
    return r.getContractAddress();
  }

  /** Gives {@code address} a balance of {@code wei} (anvil_setBalance). */
  void setBalance(String address, BigInteger wei) throws IOException {
    Response<?> set =
        new Request<>("anvil_setBalance", List.of(address, Numeric.toHexStringWithPrefix(wei)), new HttpService(anvil.url), VoidResponse.class).send();
    assertThat(set.hasError()).as("anvil_setBalance").isFalse();
  }

  static String encode(String name, Type<?>... args) {
    return FunctionEncoder.encode(new Function(name, List.of(args), List.of()));
  }

  /** {@code from} deposits {@code wei} into the rollup account of {@code keyHash}. */
  TransactionReceipt deposit(Credentials from, String rollup, Fr keyHash, BigInteger wei) throws Exception {
    TransactionReceipt r = send(from, rollup, wei, encode("deposit", new Bytes32(keyHash.toBytes())), GAS_LIMIT);
    assertThat(r.isStatusOK()).as("deposit %s", r).isTrue();
    return r;
  }

  /** A uint getter of {@code contract}. */
  BigInteger read(String contract, String getter, Type<?>... args) throws IOException {
    EthCall r = anvil.web3.ethCall(Transaction.createEthCallTransaction(Anvil.DEV_ACCOUNT.getAddress(), contract, encode(getter, args)), DefaultBlockParameterName.LATEST).send();
    assertThat(r.hasError()).as("%s: %s", getter, r.getError() == null ? "" : r.getError().getMessage()).isFalse();
    return Numeric.toBigInt(r.getValue());
  }

  /** What {@code data} from {@code from} would revert with (decoded), or empty if it would not. */
  Optional<String> revertOf(Credentials from, String to, BigInteger value, String data) throws IOException {
    EthCall r =
        anvil.web3.ethCall(Transaction.createFunctionCallTransaction(from.getAddress(), null, null, GAS_LIMIT, to, value, data), DefaultBlockParameterName.LATEST).send();
    return Web3jRollupContract.revertOf(r);
  }

  BigInteger balance(String address) throws IOException {
    return anvil.web3.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
  }

  long nonce(String address) throws IOException {
    return anvil.web3.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send().getTransactionCount().longValueExact();
  }

  /** The logs of {@code eventSignature} that {@code contract} emitted, in chain order. */
  List<Log> logs(String contract, String eventSignature) throws IOException {
    EthFilter f = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, contract);
    f.addSingleTopic(Hash.sha3String(eventSignature));
    EthLog r = anvil.web3.ethGetLogs(f).send();
    assertThat(r.hasError()).as("eth_getLogs").isFalse();
    List<Log> out = new ArrayList<>();
    for (EthLog.LogResult<?> l : r.getLogs()) {
      out.add((Log) l.get());
    }
    return out;
  }

  TransactionReceipt receipt(String txHash) throws IOException {
    return anvil.web3.ethGetTransactionReceipt(txHash).send().getTransactionReceipt().orElseThrow();
  }

  /** Signs and sends a legacy transaction and waits for its receipt (anvil mines at once). */
  TransactionReceipt send(Credentials from, String to, BigInteger value, String data, BigInteger gasLimit) throws Exception {
    RawTransactionManager tx = new RawTransactionManager(anvil.web3, from, anvil.chainId);
    BigInteger nonce = anvil.web3.ethGetTransactionCount(from.getAddress(), DefaultBlockParameterName.PENDING).send().getTransactionCount();
    BigInteger gasPrice = anvil.web3.ethGasPrice().send().getGasPrice();
    RawTransaction raw =
        to == null
            ? RawTransaction.createContractTransaction(nonce, gasPrice, gasLimit, value, data)
            : RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to, value, data);
    EthSendTransaction sent = tx.signAndSend(raw);
    return anvil.mined(sent);
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
