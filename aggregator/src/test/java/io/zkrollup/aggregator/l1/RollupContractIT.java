package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.aggregator.batch.StoredBatch;
import io.zkrollup.aggregator.cli.ZkRollupCli;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.ContractsDir;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.aggregator.l1.dev.RollupDeployer;
import io.zkrollup.aggregator.l1.dev.SolidityCompiler;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.SubmitTransactionRequest;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * {@code contracts/src/Rollup.sol} on anvil takes real batches proven by a real node (Groth16, B=5,
 * D=4) whose deposits it queued itself, in the same order, and refuses every batch or claim that
 * breaks a rule: a proof for other data, a replayed batch, a wrong old root, another rollup id,
 * malformed public data, skipped or reordered deposits, too many deposits, bad deposits, a second
 * claim, a claim by someone else. Each revert is checked by its custom error's selector. Prints the
 * gas of each {@code commitBatch} (docs/benchmarks.md, "L1 gas (anvil)"). Then the node's client,
 * {@link Web3jRollupContract}, against the same contract.
 *
 * <p>The batches are proven once, before any Rollup exists, and committed to several fresh
 * contracts. Their headers name the rollup id Rollup.sol derives from the chain id and its address,
 * so every one of those contracts is deployed at the same address: {@link #deploy} returns the
 * chain to a snapshot taken before the first (the deployer's nonce, hence the address, is the
 * same again) and the node proves for the id {@link RollupId#derive} predicts there.
 */
class RollupContractIT {

  /** The node's genesis balance of each account (TestNode's default), deposited on L1 too. */
  private static final BigInteger BALANCE = BigInteger.valueOf(1_000_000);

  private static final BigInteger WITHDRAWN = BigInteger.valueOf(123_456);
  /** anvil's second dev account (default mnemonic, index 1; public knowledge, test only): the withdrawal's owner. */
  private static final Credentials OWNER = LocalAnvil.devAccount(1);

  private static final BigInteger GAS_LIMIT = BigInteger.valueOf(3_000_000);
  /** anvil's first dev account: deploys, and deposits for the node's accounts. */
  private static final Credentials DEV_ACCOUNT = LocalAnvil.devAccount(0);

  @TempDir static Path dir;
  private static TestNode node;
  private static GnarkProver prover;
  private static LocalAnvil anvil;
  private static RollupDeployer deployer;
  private static String verifierAddress;
  private static long batches;
  /** Where every Rollup of these tests is deployed (but {@link #deployElsewhere}'s), and its rollup id, which the node's batches name. */
  private static String rollupAddress;

  private static long rollupId;
  /** The chain with the verifier and before any Rollup. */
  private static String beforeRollup;

  @BeforeAll
  static void proveBatchesAndStartAnvil() throws Exception {
    ContractsDir contracts = ContractsDir.locate(); // fails first, and clearly, without node_modules
    Path sol = dir.resolve("Verifier.sol");
    assertThat(ZkRollupCli.commandLine().execute("verifier", "--keys", ClusterTestKeys.dir().toString(), "--out", sol.toString())).isZero();
    SolidityCompiler.Compiled verifier = CompileCache.compile(contracts, dir.resolve("build"), "Verifier", sol);
    anvil = LocalAnvil.start(contracts, dir.resolve("anvil.log"));
    deployer = new RollupDeployer(anvil.web3(), DEV_ACCOUNT, anvil.chainId());
    verifierAddress = deployer.deployVerifier(verifier.bytecode());
    // The next contract the deployer creates, and so every Rollup deploy() makes from here.
    rollupAddress = ContractUtils.generateContractAddress(DEV_ACCOUNT.getAddress(), BigInteger.valueOf(nonce(DEV_ACCOUNT.getAddress())));
    rollupId = RollupId.derive(anvil.chainId(), rollupAddress);
    beforeRollup = anvil.snapshot();

    TestNode.Options o =
        TestNode.Options.defaults()
            .withSealAfter(100)
            .withProver(ProofSystem.GROTH16, ClusterTestKeys.dir(), ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH)
            .withAccounts(3);
    // The node has no L1: its batches name the operator's account as the contract's request 0
    // will, owned by the deployer, and the genesis accounts as the deposits below will.
    L1Address deployerAddress = L1Address.fromHex(DEV_ACCOUNT.getAddress());
    node = TestNode.start(TestNode.configFor(dir.resolve("node"), o).toBuilder().operatorOwner(deployerAddress).rollupId(rollupId).build(), 3, o.localWorkers());
    L1Address owner = L1Address.of(Numeric.hexStringToByteArray(OWNER.getAddress()));
    node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(1).transfer(2, BigInteger.valueOf(300), BigInteger.ONE, 0)).build());
    node.stub().submitTransaction(SubmitTransactionRequest.newBuilder().setTransaction(node.wallets.get(3).withdrawal(owner, WITHDRAWN, BigInteger.ONE, 0)).build());
    var s = node.await(st -> st.getSealedBatches() >= 5 && st.getProvenBatches() == st.getSealedBatches() && st.getBuiltBatches() == st.getSealedBatches(), Duration.ofMinutes(4));
    batches = s.getProvenBatches();
    prover = GnarkProver.load(LibZkProver.load(), ClusterTestKeys.dir());
  }

  @AfterAll
  static void stop() {
    if (anvil != null) {
      anvil.close();
    }
    if (prover != null) {
      prover.close();
    }
    if (node != null) {
      node.close();
    }
  }

  // ------------------------------------------------------------------ the node's batches

  private static Fr keyHash(int account) {
    return GenesisFile.keyHash(TestNode.POSEIDON2, node.wallets.get(account).publicKey());
  }

  private static StoredBatch batch(long n) {
    return node.node.batch(n).orElseThrow();
  }

  /** Batch {@code n}'s stored proof as the verifier's 256-byte argument (A ‖ B ‖ C). */
  private static byte[] proof(long n) {
    StoredBatch b = batch(n);
    return prover.solidityProof(new BatchProof(ProofSystem.GROTH16, node.node.proof(n).orElseThrow().proof(), b.publicInputs()));
  }

  // ------------------------------------------------------------------ the contract

  /**
   * Deploys a Rollup (rollup mode) with the node's operator at {@link #rollupAddress}, on the chain
   * as it was before any Rollup (so a contract from before is gone), and queues the given
   * accounts' deposits from dev account 0.
   */
  private static String deploy(Fr genesisRoot, int... accounts) throws Exception {
    anvil.revert(beforeRollup);
    beforeRollup = anvil.snapshot();
    String address = deployRollup(genesisRoot, accounts);
    assertThat(address).as("the address the node's batches are for").isEqualToIgnoringCase(rollupAddress);
    assertThat(reader(address).rollupId().send().longValue()).isEqualTo(rollupId);
    return address;
  }

  /** {@link #deploy} at another address (the deployer sends a transaction first): another rollup id. */
  private static String deployElsewhere(Fr genesisRoot, int... accounts) throws Exception {
    anvil.revert(beforeRollup);
    beforeRollup = anvil.snapshot();
    assertThat(send(DEV_ACCOUNT, DEV_ACCOUNT.getAddress(), BigInteger.ZERO, "0x", GAS_LIMIT).isStatusOK()).isTrue();
    String address = deployRollup(genesisRoot, accounts);
    assertThat(address).isNotEqualToIgnoringCase(rollupAddress);
    return address;
  }

  private static String deployRollup(Fr genesisRoot, int... accounts) throws Exception {
    String address =
        deployer
            .deployRollup(verifierAddress, ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH, DataAvailability.ROLLUP, RollupDeployer.DEFAULT_PRIORITY_DEADLINE_BLOCKS, genesisRoot, keyHash(0))
            .getContractAddress();
    for (int a : accounts) {
      TransactionReceipt d = send(DEV_ACCOUNT, address, BALANCE, deposit(keyHash(a).toBytes()), GAS_LIMIT);
      assertThat(d.isStatusOK()).as("deposit %s", d).isTrue();
    }
    return address;
  }

  /** Calls encoded by the generated binding (the contract's address does not matter for the encoding). */
  private static Rollup calls() {
    return reader("0x0000000000000000000000000000000000000000");
  }

  /** A deposit into the account (keyHash, the node's genesis owner). */
  private static String deposit(byte[] keyHash) {
    return calls().deposit(keyHash, Numeric.toHexString(TestNode.OWNER.toBytes()), BigInteger.ZERO).encodeFunctionCall();
  }

  private static String claim() {
    return calls().claim(BigInteger.ZERO).encodeFunctionCall();
  }

  private static String commitBatch(long n, byte[] proof) {
    StoredBatch b = batch(n);
    return commitBatch(b.publicData(), b.newRoot(), proof);
  }

  private static String commitBatch(byte[] pubdata, Fr newRoot, byte[] proof) {
    return calls().commitBatch(pubdata, newRoot.toBigInteger(), proof).encodeFunctionCall();
  }

  private static TransactionReceipt commit(String rollupAddress, long n) throws Exception {
    TransactionReceipt r = send(DEV_ACCOUNT, rollupAddress, BigInteger.ZERO, commitBatch(n, proof(n)), GAS_LIMIT);
    assertThat(r.isStatusOK()).as("commitBatch(%d) %s", n, r).isTrue();
    return r;
  }

  /** The binding of {@code rollupAddress}, reading. */
  private static Rollup reader(String rollupAddress) {
    return Rollup.load(rollupAddress, anvil.web3(), new ReadonlyTransactionManager(anvil.web3(), DEV_ACCOUNT.getAddress()), new StaticGasProvider(BigInteger.ZERO, BigInteger.ZERO));
  }

  private static BigInteger pending(String rollupAddress, String l1Address) throws Exception {
    return reader(rollupAddress).pendingWithdrawal(BigInteger.ZERO, l1Address).send();
  }

  /** The 4-byte selector of a custom error, as 0x-hex. */
  private static String selector(String signature) {
    return Hash.sha3String(signature).substring(0, 10);
  }

  /**
   * Asserts that {@code data} sent by {@code from} with {@code value} reverts with the custom error
   * {@code error} (checked by its selector in the revert data of an {@code eth_call}), and that a
   * revert changes nothing (the call is not mined; the state getters read the same).
   */
  private static void assertReverts(Credentials from, String to, BigInteger value, String data, String error) throws Exception {
    List<BigInteger> before = state(to);
    EthCall r =
        anvil.web3().ethCall(Transaction.createFunctionCallTransaction(from.getAddress(), null, null, GAS_LIMIT, to, value, data), DefaultBlockParameterName.LATEST).send();
    String revert = r.hasError() ? r.getError().getMessage() + " " + r.getError().getData() : r.isReverted() ? String.valueOf(r.getRevertReason()) : null;
    assertThat(revert).as("%s reverts", error).isNotNull().contains(selector(error));
    assertThat(state(to)).isEqualTo(before);
  }

  private static List<BigInteger> state(String rollupAddress) throws Exception {
    Rollup r = reader(rollupAddress);
    return List.of(r.stateRoot().send(), r.batchCount().send(), r.requestCount().send(), r.requestsConsumed().send());
  }

  private static TransactionReceipt send(Credentials from, String to, BigInteger value, String data, BigInteger gasLimit) throws Exception {
    RawTransactionManager tx = new RawTransactionManager(anvil.web3(), from, anvil.chainId());
    BigInteger nonce = anvil.web3().ethGetTransactionCount(from.getAddress(), DefaultBlockParameterName.PENDING).send().getTransactionCount();
    BigInteger gasPrice = anvil.web3().ethGasPrice().send().getGasPrice();
    RawTransaction raw =
        to == null
            ? RawTransaction.createContractTransaction(nonce, gasPrice, gasLimit, value, data)
            : RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to, value, data);
    return anvil.mined(tx.signAndSend(raw));
  }

  private static BigInteger balance(String address) throws IOException {
    return anvil.web3().ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
  }

  /** The slots' op codes, e.g. "DNNNN" (N no-op or continuation, T transfer, W withdrawal, D deposit). */
  private static String opCodes(byte[] pubdata) {
    StringBuilder s = new StringBuilder();
    for (int slot = 0; slot < ClusterTestKeys.SLOTS; slot++) {
      int code = (pubdata[32 + slot / 4] >> (6 - 2 * (slot % 4))) & 3;
      s.append("NTDW".charAt(code == 1 ? 1 : code == 2 ? 2 : code == 3 ? 3 : 0));
    }
    return s.toString();
  }

  /** EIP-2028 calldata gas: 16 per non-zero byte, 4 per zero byte. */
  private static long calldataGas(byte[] bytes) {
    long g = 0;
    for (byte b : bytes) {
      g += b == 0 ? 4 : 16;
    }
    return g;
  }

  // ------------------------------------------------------------------ tests

  @Test
  void acceptsTheNodesBatchesInOrderAndPaysTheWithdrawalToItsOwnerOnce() throws Exception {
    Fr genesis = batch(0).oldRoot();
    String r = deploy(genesis, 1, 2, 3);
    assertThat(state(r)).containsExactly(genesis.toBigInteger(), BigInteger.ZERO, BigInteger.valueOf(4), BigInteger.ZERO);
    assertThat(balance(r)).isEqualTo(BALANCE.multiply(BigInteger.valueOf(3)));

    StringBuilder gas = new StringBuilder();
    for (long n = 0; n < batches; n++) {
      TransactionReceipt receipt = commit(r, n);
      byte[] pubdata = batch(n).publicData();
      byte[] calldata = Numeric.hexStringToByteArray(commitBatch(n, proof(n)));
      gas.append(
          String.format(
              Locale.ROOT,
              "  batch %d  ops %s  commitBatch gasUsed %,d  (pubdata %d bytes, its calldata gas %,d; whole calldata gas %,d)%n",
              n, opCodes(pubdata), receipt.getGasUsed(), pubdata.length, calldataGas(pubdata), calldataGas(calldata)));
    }
    System.out.printf(Locale.ROOT, "L1 commitBatch gas (anvil, Groth16, B=%d, D=%d):%n%s", ClusterTestKeys.SLOTS, ClusterTestKeys.DEPTH, gas);

    assertThat(reader(r).stateRoot().send()).isEqualTo(batch(batches - 1).newRoot().toBigInteger());
    assertThat(reader(r).batchCount().send()).isEqualTo(BigInteger.valueOf(batches));
    assertThat(reader(r).requestsConsumed().send()).isEqualTo(BigInteger.valueOf(4));
    assertThat(pending(r, OWNER.getAddress())).isEqualTo(WITHDRAWN);

    // Someone else (the depositor) has nothing to claim.
    assertReverts(DEV_ACCOUNT, r, BigInteger.ZERO, claim(), "NothingToClaim()");
    // The owner's claim pays the withdrawal, less the gas it costs.
    BigInteger before = balance(OWNER.getAddress());
    TransactionReceipt claimed = send(OWNER, r, BigInteger.ZERO, claim(), GAS_LIMIT);
    assertThat(claimed.isStatusOK()).as("claim %s", claimed).isTrue();
    BigInteger fee = claimed.getGasUsed().multiply(Numeric.toBigInt(claimed.getEffectiveGasPrice()));
    assertThat(balance(OWNER.getAddress())).isEqualTo(before.add(WITHDRAWN).subtract(fee));
    assertThat(pending(r, OWNER.getAddress())).isZero();
    assertThat(balance(r)).isEqualTo(BALANCE.multiply(BigInteger.valueOf(3)).subtract(WITHDRAWN));
    // A second claim pays nothing.
    assertReverts(OWNER, r, BigInteger.ZERO, claim(), "NothingToClaim()");
    // A replayed batch.
    assertReverts(DEV_ACCOUNT, r, BigInteger.ZERO, commitBatch(batches - 1, proof(batches - 1)), "BatchOutOfOrder(uint64,uint64)");
  }

  @Test
  void refusesAProofOfOtherDataAWrongOldRootAndAnotherRollup() throws Exception {
    Fr genesis = batch(0).oldRoot();
    String r = deploy(genesis, 1, 2, 3);
    commit(r, 0);
    StoredBatch b1 = batch(1);
    assertReverts(DEV_ACCOUNT, r, BigInteger.ZERO, commitBatch(b1.publicData(), b1.newRoot(), proof(2)), "InvalidProof()");
    assertReverts(DEV_ACCOUNT, r, BigInteger.ZERO, commitBatch(b1.publicData(), batch(2).newRoot(), proof(1)), "InvalidProof()");
    byte[] garbage = proof(1);
    garbage[garbage.length / 2] ^= 1;
    assertReverts(DEV_ACCOUNT, r, BigInteger.ZERO, commitBatch(b1.publicData(), b1.newRoot(), garbage), "InvalidProof()");
    assertReverts(DEV_ACCOUNT, r, BigInteger.ZERO, commitBatch(2, proof(2)), "BatchOutOfOrder(uint64,uint64)");
    commit(r, 1);
    // Malformed public data.
    assertReverts(DEV_ACCOUNT, r, BigInteger.ZERO, commitBatch(new byte[7], batch(2).newRoot(), proof(2)), "MalformedPubdata()");

    // A Rollup whose root is not the batch's old root.
    String wrongRoot = deploy(Fr.of(BigInteger.valueOf(42)), 1, 2, 3);
    assertReverts(DEV_ACCOUNT, wrongRoot, BigInteger.ZERO, commitBatch(0, proof(0)), "InvalidProof()");
    // A Rollup at another address derives another id: the batch, proven for the first, is not its.
    String other = deployElsewhere(genesis, 1, 2, 3);
    assertThat(reader(other).rollupId().send().longValue()).isEqualTo(RollupId.derive(anvil.chainId(), other)).isNotEqualTo(rollupId);
    assertReverts(DEV_ACCOUNT, other, BigInteger.ZERO, commitBatch(0, proof(0)), "WrongRollup(uint64,uint64)");
  }

  @Test
  void refusesDepositsSkippedOrReordered() throws Exception {
    Fr genesis = batch(0).oldRoot();
    String reordered = deploy(genesis, 2, 1, 3);
    commit(reordered, 0);
    assertReverts(DEV_ACCOUNT, reordered, BigInteger.ZERO, commitBatch(1, proof(1)), "RequestsMismatch()");

    String skipped = deploy(genesis, 3, 1, 2, 3);
    commit(skipped, 0);
    assertReverts(DEV_ACCOUNT, skipped, BigInteger.ZERO, commitBatch(1, proof(1)), "RequestsMismatch()");

    String missing = deploy(genesis, 1);
    commit(missing, 0);
    commit(missing, 1);
    assertReverts(DEV_ACCOUNT, missing, BigInteger.ZERO, commitBatch(2, proof(2)), "TooManyRequests(uint64,uint64)");
  }

  @Test
  void refusesBadDeposits() throws Exception {
    String r = deploy(batch(0).oldRoot());
    byte[] key = keyHash(1).toBytes();
    assertReverts(DEV_ACCOUNT, r, BigInteger.ZERO, deposit(key), "DepositAmountOutOfRange(uint256)");
    // 2^104 wei is more than a dev account holds: give the depositor enough to offer it.
    anvil.setBalance(DEV_ACCOUNT.getAddress(), BigInteger.ONE.shiftLeft(105));
    assertReverts(DEV_ACCOUNT, r, BigInteger.ONE.shiftLeft(104), deposit(key), "DepositAmountOutOfRange(uint256)");
    assertThat(reader(r).requestCount().send()).isEqualTo(BigInteger.ONE);
    TransactionReceipt largest = send(DEV_ACCOUNT, r, BigInteger.ONE.shiftLeft(104).subtract(BigInteger.ONE), deposit(key), GAS_LIMIT);
    assertThat(largest.isStatusOK()).as("a deposit of 2^104 - 1 wei %s", largest).isTrue();
    byte[] p = Numeric.toBytesPadded(Fr.MODULUS, 32);
    assertReverts(DEV_ACCOUNT, r, BigInteger.ONE, deposit(p), "KeyHashNotCanonical(bytes32)");
    assertThat(reader(r).requestCount().send()).as("the operator's deposit and the largest one").isEqualTo(BigInteger.TWO);
    // Request 0 creates the operator's account, owned by the deployer:
    // queueHash[1] = keccak256(0 ‖ 0x00 ‖ compress(operatorKeyHash, deployer · 2^32) ‖ 0 (13 bytes)).
    L1Address dev = L1Address.fromHex(DEV_ACCOUNT.getAddress());
    L1Deposit operator = new L1Deposit(0, keyHash(0), dev, AccountId.idHash(TestNode.POSEIDON2, keyHash(0), dev), BigInteger.ZERO, dev);
    assertThat(reader(r).queueHash(BigInteger.ONE).send()).isEqualTo(PriorityQueue.next(new byte[32], operator));
  }

  // ------------------------------------------------------------------ the node's client for it

  private static Web3jRollupContract open(String url, String rollupAddress, Credentials signer, long rollupId, Fr operatorKeyHash, L1Retries retry) {
    return open(url, rollupAddress, signer, rollupId, operatorKeyHash, retry, 1);
  }

  private static Web3jRollupContract open(
      String url, String rollupAddress, Credentials signer, long rollupId, Fr operatorKeyHash, L1Retries retry, int confirmations) {
    Web3jRollupContract.Settings s =
        Web3jRollupContract.Settings.of(URI.create(url), rollupAddress, signer)
            .withPollInterval(Duration.ofMillis(50))
            .withRetry(retry, Duration.ofSeconds(30))
            .withConfirmations(confirmations);
    return Web3jRollupContract.open(
        s,
        rollupId,
        ClusterTestKeys.SLOTS,
        ClusterTestKeys.DEPTH,
        batch(0).oldRoot(),
        operatorKeyHash,
        (raw, inputs) -> prover.solidityProof(new BatchProof(ProofSystem.GROTH16, raw, inputs)));
  }

  private static long nonce(String address) throws IOException {
    return anvil.web3().ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send().getTransactionCount().longValueExact();
  }

  @Test
  void web3jRollupContractChecksTheContractCommitsEachBatchOnceAndDecodesReverts() throws Exception {
    String r = deploy(batch(0).oldRoot(), 1, 2, 3);
    Credentials signer = Credentials.create("0b".repeat(32));
    anvil.setBalance(signer.getAddress(), BigInteger.TEN.pow(20));
    L1Retries quick = new L1Retries(4, Duration.ofMillis(100), Duration.ofMillis(400));

    // Not this node's contract: each difference is named, and nothing is sent.
    assertThatThrownBy(() -> open(url(), r, signer, rollupId + 1, keyHash(0), quick)).isInstanceOf(IllegalStateException.class).hasMessageContaining("is rollup " + rollupId);
    assertThatThrownBy(() -> open(url(), r, signer, rollupId, keyHash(1), quick)).isInstanceOf(IllegalStateException.class).hasMessageContaining("operator");
    assertThatThrownBy(() -> open(url(), verifierAddress, signer, rollupId, keyHash(0), quick)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not a Rollup contract");
    assertThatThrownBy(() -> open(url(), "0x00000000000000000000000000000000000000aa", signer, rollupId, keyHash(0), quick)).hasMessageContaining("no contract");

    try (Web3jRollupContract l1 = open(url(), r, signer, rollupId, keyHash(0), quick)) {
      assertThat(l1.state()).isEqualTo(new L1State(batch(0).oldRoot(), 0, 4, 0, false));
      List<PriorityRequest> queue = l1.requests(0, 10);
      assertThat(queue).extracting(PriorityRequest::index).containsExactly(0L, 1L, 2L, 3L);
      assertThat(queue).map(q -> ((L1Deposit) q).keyHash()).containsExactly(keyHash(0), keyHash(1), keyHash(2), keyHash(3));
      assertThat(queue).map(q -> ((L1Deposit) q).amount()).containsExactly(BigInteger.ZERO, BALANCE, BALANCE, BALANCE);
      assertThat(l1.requests(2, 1)).extracting(PriorityRequest::index).containsExactly(2L);
      assertThat(l1.requests(4, 10)).isEmpty();

      // Reverts come back by name, before any gas is spent.
      StoredBatch b0 = batch(0);
      StoredBatch b1 = batch(1);
      byte[] raw0 = node.node.proof(0).orElseThrow().proof();
      byte[] raw1 = node.node.proof(1).orElseThrow().proof();
      assertThatThrownBy(() -> l1.commitBatch(b1.publicData(), b1.newRoot(), raw1)).isInstanceOf(L1RevertedException.class).hasMessage("BatchOutOfOrder(0, 1)");
      assertThatThrownBy(() -> l1.commitBatch(b0.publicData(), b1.newRoot(), raw0)).isInstanceOf(L1RevertedException.class).hasMessage("InvalidProof()");
      assertThatThrownBy(() -> l1.commitBatch(new byte[7], b0.newRoot(), raw0)).isInstanceOf(L1RevertedException.class).hasMessageStartingWith("MalformedPubdata");
      assertThat(nonce(signer.getAddress())).as("no transaction sent for a revert").isZero();

      for (long n = 0; n < batches; n++) {
        StoredBatch b = batch(n);
        l1.commitBatch(b.publicData(), b.newRoot(), node.node.proof(n).orElseThrow().proof());
      }
      assertThat(l1.state()).isEqualTo(new L1State(batch(batches - 1).newRoot(), batches, 4, 4, false));
      assertThat(nonce(signer.getAddress())).as("one transaction per batch").isEqualTo(batches);
      // A batch L1 already has counts as committed and is not sent again (a retry, a restart).
      l1.commitBatch(b0.publicData(), b0.newRoot(), raw0);
      assertThat(nonce(signer.getAddress())).isEqualTo(batches);
    }

    // An L1 node that goes away: calls retry with backoff, succeed once it is back, and give up
    // with L1UnavailableException when it stays away.
    try (RpcProxy proxy = new RpcProxy(anvil.url().getPort());
        Web3jRollupContract l1 = open(proxy.url(), r, signer, rollupId, keyHash(0), quick)) {
      proxy.down();
      long t0 = System.nanoTime();
      assertThatThrownBy(l1::state).isInstanceOf(L1UnavailableException.class).hasMessageContaining("failed 4 times");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("backed off 3 times (50 %% of 100 + 200 + 400 ms at least)").isGreaterThanOrEqualTo(Duration.ofMillis(350));
      Thread back =
          new Thread(
              () -> {
                try {
                  Thread.sleep(250);
                  proxy.up();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      back.start();
      assertThat(l1.state().batchCount()).as("answered once the node is back").isEqualTo(batches);
      back.join();
    }
  }

  private static void anvil(String method, Object... params) throws IOException {
    anvil.call(method, params);
  }

  private static String url() {
    return anvil.url().toString();
  }

  private static long pendingNonce(String address) throws IOException {
    return anvil.web3().ethGetTransactionCount(address, DefaultBlockParameterName.PENDING).send().getTransactionCount().longValueExact();
  }

  @Test
  void aCommitStillInFlightFromBeforeACrashIsNotCommittedTwice() throws Exception {
    String r = deploy(batch(0).oldRoot(), 1, 2, 3);
    Credentials signer = Credentials.create("0c".repeat(32));
    anvil("anvil_setBalance", signer.getAddress(), Numeric.toHexStringWithPrefix(BigInteger.TEN.pow(20)));
    L1Retries quick = new L1Retries(4, Duration.ofMillis(100), Duration.ofMillis(400));
    StoredBatch b0 = batch(0);
    byte[] raw0 = node.node.proof(0).orElseThrow().proof();
    anvil("evm_setAutomine", false); // transactions wait in the pool until evm_mine
    try {
      // The first node process sends commitBatch(0) and "crashes" before it is mined.
      Web3jRollupContract crashed = open(url(), r, signer, rollupId, keyHash(0), quick);
      Thread first = new Thread(() -> crashed.commitBatch(b0.publicData(), b0.newRoot(), raw0));
      first.setDaemon(true);
      first.start();
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (pendingNonce(signer.getAddress()) < 1) {
        assertThat(System.nanoTime()).as("the first commit is sent").isLessThan(end);
        Thread.sleep(20);
      }
      first.interrupt();
      crashed.close();
      first.join(10_000);

      // After the restart the batch is not on L1 yet, but the pool holds its commit: the node
      // waits for that one instead of paying for a duplicate.
      try (Web3jRollupContract restarted = open(url(), r, signer, rollupId, keyHash(0), quick)) {
        Throwable[] failure = {null};
        Thread second =
            new Thread(
                () -> {
                  try {
                    restarted.commitBatch(b0.publicData(), b0.newRoot(), raw0);
                  } catch (Throwable t) {
                    failure[0] = t;
                  }
                });
        second.start();
        Thread.sleep(1500);
        assertThat(second.isAlive()).as("waiting for the pending commit").isTrue();
        assertThat(pendingNonce(signer.getAddress())).as("no second transaction").isEqualTo(1);
        anvil("evm_mine");
        second.join(30_000);
        assertThat(second.isAlive()).isFalse();
        assertThat(failure[0]).as("the commit from before the crash counts").isNull();
        assertThat(restarted.state().batchCount()).isEqualTo(1);
        assertThat(nonce(signer.getAddress())).isEqualTo(1);
        EthLog logs =
            anvil.web3().ethGetLogs(new org.web3j.protocol.core.methods.request.EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, r)
                .addSingleTopic(EventEncoder.encode(Rollup.BATCHCOMMITTED_EVENT))).send();
        assertThat(logs.getLogs()).as("batch 0 committed once").hasSize(1);
      }
    } finally {
      anvil("evm_setAutomine", true);
    }
  }

  @Test
  void withTwoConfirmationsADepositAndACommitCountOnlyOnceABlockIsOnTop() throws Exception {
    String r = deploy(batch(0).oldRoot(), 1, 2, 3); // deposit 3 is in the newest block
    Credentials signer = Credentials.create("0d".repeat(32));
    anvil("anvil_setBalance", signer.getAddress(), Numeric.toHexStringWithPrefix(BigInteger.TEN.pow(20)));
    L1Retries quick = new L1Retries(4, Duration.ofMillis(100), Duration.ofMillis(400));
    try (Web3jRollupContract l1 = open(url(), r, signer, rollupId, keyHash(0), quick, 2)) {
      assertThat(l1.requests(0, 10)).as("deposit 3 has no block on top yet").extracting(PriorityRequest::index).containsExactly(0L, 1L, 2L);
      anvil("evm_mine");
      assertThat(l1.requests(3, 10)).extracting(PriorityRequest::index).containsExactly(3L);

      StoredBatch b0 = batch(0);
      byte[] raw0 = node.node.proof(0).orElseThrow().proof();
      Throwable[] failure = {null};
      Thread commit =
          new Thread(
              () -> {
                try {
                  l1.commitBatch(b0.publicData(), b0.newRoot(), raw0);
                } catch (Throwable t) {
                  failure[0] = t;
                }
              });
      commit.start();
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (l1.state().batchCount() < 1) { // anvil mines the commit at once
        assertThat(System.nanoTime()).as("the commit is mined").isLessThan(end);
        Thread.sleep(20);
      }
      Thread.sleep(500);
      assertThat(commit.isAlive()).as("waiting for a second block").isTrue();
      anvil("evm_mine");
      commit.join(30_000);
      assertThat(commit.isAlive()).isFalse();
      assertThat(failure[0]).isNull();
      assertThat(nonce(signer.getAddress())).isEqualTo(1);
    }
  }
}
