package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.batch.BatchUpdate;
import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.grpc.CoordinatorServer;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.api.v1.GetNodeStatusResponse;
import io.zkrollup.api.v1.GetTransactionStatusRequest;
import io.zkrollup.api.v1.SubmitTransactionsRequest;
import io.zkrollup.api.v1.SubmitTransactionsResponse;
import io.zkrollup.api.v1.TransactionStage;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.testing.SharedTestKeys;
import io.zkrollup.sdk.Accepted;
import io.zkrollup.sdk.AccountKey;
import io.zkrollup.sdk.RollupClient;
import io.zkrollup.sdk.Wallet;
import io.zkrollup.sdk.examples.ExchangePayoutExample;
import io.zkrollup.sdk.examples.ExchangePayoutExample.Payout;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The product end to end on anvil, with ETH and two ERC-20 tokens (issue 20's "done when"): Rollup.sol
 * with the verifier of the shared B = 12, D = 4 Groth16 keys, a node ({@link L1Endpoint.Ethereum})
 * with no local workers and two {@code zkrollup.jar worker} processes proving every batch.
 *
 * <ul>
 *   <li>The governor lists an OpenZeppelin token (1) and a token that burns 1 % of every transfer (2);
 *       users deposit ETH and both tokens; the fee-on-transfer deposit is credited with what the
 *       contract received. Wallets transfer ETH and token 2 through the SDK.
 *   <li>The node restarts once after some batches are published: no deposit is fed twice and no batch
 *       published twice. Its L1 RPC goes away for a few seconds while withdrawals are proven.
 *   <li>An exchange pays out {@value #DEFAULT_PAYOUTS} users (100 with {@code -De2e.payouts=100}, the
 *       run docs/operations.md reports) in token 1 in one atomic list through the SDK ({@link
 *       ExchangePayoutExample}); ETH and token-2 withdrawals go alongside, one to a contract whose
 *       receive() re-enters {@code claim()}.
 *   <li>Once every batch is on L1: its count and root are the node's; for each token the contract
 *       holds exactly the node's L2 balances plus what is pending on L1; every user claims exactly its
 *       withdrawal, once.
 *   <li>The operator stops for good; a deposit ages past the deadline; exodus; two users exit their
 *       token balances with {@code zkrollup exit exit-account} and get the right token.
 * </ul>
 */
class AnvilEndToEndIT {

  /** The payouts in the exchange's list in the suite (three to a batch); docs/operations.md reports the run with 100. */
  static final int DEFAULT_PAYOUTS = 6;

  private static final int PAYOUTS = Integer.getInteger("e2e.payouts", DEFAULT_PAYOUTS);
  private static final int SLOTS = 12;
  private static final int DEPTH = 4;
  /** Blocks a priority request may wait; anvil mines past it for exodus. */
  private static final long DEADLINE = 1_000;

  private static final Duration PATIENCE = Duration.ofMinutes(Math.max(4, PAYOUTS / 8));
  private static final BigInteger ETH = BigInteger.TEN.pow(18);
  private static final BigInteger ETH_DEPOSIT = new BigInteger("500000000000000000"); // 0.5 ETH
  private static final BigInteger EXCHANGE_FUNDS = BigInteger.valueOf(1_000_000_000L);
  private static final BigInteger PAYOUT = BigInteger.valueOf(1_234_567);
  private static final BigInteger USER_TOKEN_1 = BigInteger.valueOf(50_000);
  private static final BigInteger FEE_TOKEN_DEPOSIT = BigInteger.valueOf(1_000);
  private static final BigInteger FEE_TOKEN_DEPOSIT_2 = BigInteger.valueOf(500);
  private static final BigInteger ETH_FEE = BigInteger.ONE;
  private static final BigInteger TOKEN_1_FEE = BigInteger.TWO;
  private static final BigInteger TOKEN_2_FEE = BigInteger.valueOf(3);
  private static final BigInteger LATE_DEPOSIT = BigInteger.valueOf(5);
  private static final BigInteger ATTACKER_WITHDRAWN = BigInteger.valueOf(1_000_000_007);

  /** Account indices: the token listings queue the operator's fee accounts first, then the deposits in order. */
  private static final long ALICE = 3; // ETH, wallet 1

  private static final long BOB = 4; // ETH, wallet 2
  private static final long EXCHANGE = 5; // token 1, wallet 3
  private static final long CAROL = 6; // token 1, wallet 4
  private static final long DAVE = 7; // token 2, wallet 5
  private static final long ERIN = 8; // token 2, wallet 6

  @TempDir Path dir;
  private final List<Process> workers = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final List<Long> published = new CopyOnWriteArrayList<>();
  private L1Chain chain;
  private TestNode node;
  private CoordinatorServer server;
  private RpcProxy proxy;

  @AfterEach
  void stop() throws Exception {
    stopWorkers();
    if (server != null) {
      server.close();
    }
    if (node != null) {
      node.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void ethAndTwoTokensFromDepositToClaimAndExitThroughRollupSolWithARestart() throws Exception {
    try {
      run();
    } catch (Throwable t) {
      printLogs();
      throw t;
    }
  }

  private void run() throws Exception {
    Path keys = SharedTestKeys.of(ProofSystem.GROTH16, SLOTS, DEPTH, DataAvailability.ROLLUP);
    chain = L1Chain.start(dir.resolve("l1"));
    Fr operatorKeyHash = keyHash(0);
    String rollup = chain.deployRollup(chain.deployVerifier(keys), SLOTS, DEPTH, DataAvailability.ROLLUP, DEADLINE, L1Chain.emptyRoot(DEPTH), operatorKeyHash);
    Rollup reader = chain.reader(rollup);

    // Two tokens: OpenZeppelin's ERC20, and one that burns 1 % of every transfer.
    Map<String, String> code = chain.compileAll(chain.contracts.dir().resolve("test/TestTokens.sol"), "TestToken", "FeeOnTransferToken");
    String usd = chain.deployBytecode(code.get("TestToken"), new Utf8String("Test USD"), new Utf8String("TUSD"));
    String burner = chain.deployBytecode(code.get("FeeOnTransferToken"));
    assertThat(chain.listToken(rollup, usd)).isEqualTo(1);
    assertThat(chain.listToken(rollup, burner)).isEqualTo(2);
    Map<Long, String> tokenAddress = Map.of(1L, usd, 2L, burner);

    // The node's own L1 account signs the commits; its key only in a file.
    Credentials operator = L1Chain.key(0x0b);
    Path operatorKey = ExitTool.keyFile(dir, operator);
    List<Credentials> users = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      users.add(L1Chain.key(0x10 + i)); // users.get(i - 1) owns wallet i's account
    }
    List<Credentials> owners = List.of(L1Chain.key(0x21), L1Chain.key(0x22), L1Chain.key(0x23));
    Credentials exchangeL1 = L1Chain.key(0x24);
    for (Credentials c : concat(List.of(operator, exchangeL1), users, owners)) {
      chain.setBalance(c.getAddress(), ETH.multiply(BigInteger.TEN));
    }

    int coordinatorPort;
    try (ServerSocket s = new ServerSocket(0)) {
      coordinatorPort = s.getLocalPort();
    }
    TestNode.Options o =
        TestNode.Options.defaults()
            .withSealAfter(1_000) // deposits arrive a few hundred ms apart: two to a batch
            .withFee(ETH_FEE.longValueExact())
            .withMaxList(Math.max(128, PAYOUTS))
            .withProver(ProofSystem.GROTH16, keys, SLOTS, DEPTH)
            .withAccounts(0)
            .withWorkers(0, new JobCoordinator.Settings(5_000, 500, 3, 2_000));
    NodeConfig c = TestNode.configFor(dir.resolve("node"), o).toBuilder().tokenFees(Map.of(1, TOKEN_1_FEE, 2, TOKEN_2_FEE)).build();
    // The node reaches anvil through a proxy that the test takes down for a while.
    proxy = new RpcProxy(URI.create(chain.url()).getPort());
    L1Endpoint.Ethereum l1 = new L1Endpoint.Ethereum(URI.create(proxy.url()), rollup, operatorKey, OptionalLong.of(chain.anvil.chainId()), 100, 1).acceptingDevelopmentKeys();
    node = TestNode.start(TestNode.onL1(c, l1), 7);
    serve(coordinatorPort);
    startWorker("w1");
    startWorker("w2");
    {
      RollupClient sdk = sdk();
      long rollupId = chain.rollupId(rollup);
      assertThat(sdk.nodeStatus().rollupId()).as("the node reads the id Rollup.sol derived").isEqualTo(rollupId);

      // ---- Deposits: ETH (Alice, Bob), token 1 (the exchange, Carol), token 2 (Dave, Erin).
      chain.deposit(users.get(0), rollup, keyHash(1), ETH_DEPOSIT);
      chain.deposit(users.get(1), rollup, keyHash(2), ETH_DEPOSIT);
      chain.depositToken(users.get(2), rollup, usd, 1, keyHash(3), EXCHANGE_FUNDS);
      chain.depositToken(users.get(3), rollup, usd, 1, keyHash(4), USER_TOKEN_1);
      Rollup.DepositEventResponse burnt = chain.depositToken(users.get(4), rollup, burner, 2, keyHash(5), FEE_TOKEN_DEPOSIT);
      assertThat(burnt.amount).as("credited with what the contract received").isEqualTo(BigInteger.valueOf(990));
      chain.depositToken(users.get(5), rollup, burner, 2, keyHash(6), FEE_TOKEN_DEPOSIT_2);
      await(() -> node.node.pendingAccount(ERIN).isPresent(), "the last deposit to reach the node");
      assertThat(node.node.pendingAccount(1).orElseThrow()).as("token 1's fee account").extracting(AccountLeaf::keyHash, AccountLeaf::token).containsExactly(operatorKeyHash, 1L);
      assertThat(node.node.pendingAccount(2).orElseThrow().token()).isEqualTo(2);
      assertThat(account(ALICE)).extracting(AccountLeaf::token, AccountLeaf::balance).containsExactly(0L, ETH_DEPOSIT);
      assertThat(account(EXCHANGE)).extracting(AccountLeaf::token, AccountLeaf::balance).containsExactly(1L, EXCHANGE_FUNDS);
      assertThat(account(DAVE)).extracting(AccountLeaf::token, AccountLeaf::balance).containsExactly(2L, BigInteger.valueOf(990));
      assertThat(account(ERIN).balance()).isEqualTo(BigInteger.valueOf(495));

      // ---- Transfers in ETH and in the fee-on-transfer token (no fee inside L2).
      Wallet alice = wallet(1, ALICE, 0, rollupId);
      Wallet dave = wallet(5, DAVE, 2, rollupId);
      sdk.submit(alice.transfer(BOB, BigInteger.valueOf(3_000), ETH_FEE, 0));
      sdk.submit(dave.transfer(ERIN, BigInteger.valueOf(300), TOKEN_2_FEE, 0));

      // ---- Restart once L1 has some batches (the transfers' batches may still be unproven).
      await(() -> node.node.publishedBatches() >= 3, "three batches on L1");
      long before = reader.batchCount().send().longValueExact();
      server.close();
      node.stop();
      assertThat(reader.batchCount().send().longValueExact()).as("nothing is committed while the node is down").isGreaterThanOrEqualTo(before);
      node.open();
      sdk = sdk();
      serve(coordinatorPort);
      // A deposit after the restart is fed once, and none from before is fed again.
      chain.deposit(users.get(1), rollup, keyHash(2), LATE_DEPOSIT);
      BigInteger bob = ETH_DEPOSIT.add(BigInteger.valueOf(3_000)).add(LATE_DEPOSIT);
      await(() -> account(BOB).balance().equals(bob), "the deposit after the restart to reach Bob");
      assertThat(account(ALICE).balance()).as("no deposit fed twice").isEqualTo(ETH_DEPOSIT.subtract(BigInteger.valueOf(3_001)));
      assertThat(node.node.pendingAccount(ERIN + 1)).as("no account made by a deposit fed twice").isEmpty();

      // ---- The exchange pays out its users in token 1: one atomic list, through the SDK.
      List<Payout> payouts = new ArrayList<>();
      for (int i = 0; i < PAYOUTS; i++) {
        payouts.add(new Payout(payee(i), PAYOUT.add(BigInteger.valueOf(i))));
      }
      List<Accepted> paid = ExchangePayoutExample.payOut(sdk, AccountKey.fromSeed(TestNode.seed(3)), 1, payouts);
      assertThat(paid).hasSize(PAYOUTS);
      // ETH withdrawals as one list of two wallets' signatures: to two owners, and to a contract
      // whose receive() re-enters claim().
      String attacker = chain.deploy(chain.contracts.dir().resolve("test/ReentrantClaimer.sol"), "ReentrantClaimer", new Address(rollup));
      Wallet bobWallet = wallet(2, BOB, 0, rollupId);
      List<BigInteger> ethOut = List.of(new BigInteger("123456789012345"), new BigInteger("200000000000000001"));
      SubmitTransactionsResponse eth =
          node.stub()
              .submitTransactions(
                  SubmitTransactionsRequest.newBuilder()
                      .addTransactions(alice.withdrawal(l1(owners.get(0)), ethOut.get(0), ETH_FEE, 1))
                      .addTransactions(bobWallet.withdrawal(l1(owners.get(1)), ethOut.get(1), ETH_FEE, 0))
                      .addTransactions(alice.withdrawal(L1Address.of(Numeric.hexStringToByteArray(attacker)), ATTACKER_WITHDRAWN, ETH_FEE, 2))
                      .build());
      assertThat(eth.getAcceptedCount()).isEqualTo(3);

      // L1 goes away for a few seconds while the withdrawals are proven: the node's L1 calls
      // retry, status queries do not touch L1, and publishing goes on once it is back.
      proxy.down();
      long t0 = System.nanoTime();
      assertThat(sdk.status(paid.get(0).txHash()).orElseThrow().stage()).isNotEqualTo(io.zkrollup.sdk.TransactionStage.PUBLISHED);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("transaction status answers without asking L1").isLessThan(Duration.ofSeconds(1));
      Thread.sleep(3_000);
      proxy.up();

      // A withdrawal of the fee-on-transfer token, the last transaction of the run: once it is on L1, every batch before it is.
      Wallet erin = wallet(6, ERIN, 2, rollupId);
      BigInteger erinOut = BigInteger.valueOf(400);
      Accepted last = sdk.submit(erin.withdrawal(l1(owners.get(2)), erinOut, TOKEN_2_FEE, 0));

      RollupClient after = sdk;
      await(
          () -> {
            GetNodeStatusResponse s = node.status();
            return s.getJournalEntries() > 0
                && s.getBuiltBatches() == s.getSealedBatches()
                && node.node.publishedBatches() == s.getSealedBatches()
                && sdkStage(after, last.txHash()) == io.zkrollup.sdk.TransactionStage.PUBLISHED;
          },
          "every batch to be committed on L1");
      GetNodeStatusResponse status = node.status();
      long batches = status.getSealedBatches();

      // ---- L1 follows the node: batch count and root.
      assertThat(reader.batchCount().send().longValueExact()).isEqualTo(batches).isEqualTo(node.node.publishedBatches());
      assertThat(Numeric.toBytesPadded(reader.stateRoot().send(), 32)).as("L1's root is the node's after the same batches").isEqualTo(status.getStateRoot().toByteArray());
      // The operator's account at deployment, two token listings, six deposits and the late one.
      assertThat(reader.requestsConsumed().send()).isEqualTo(reader.requestCount().send()).isEqualTo(BigInteger.valueOf(10));
      assertThat(node.node.publishFailure()).isEmpty();
      for (Accepted a : paid) {
        assertThat(sdk.status(a.txHash()).orElseThrow().stage()).isEqualTo(io.zkrollup.sdk.TransactionStage.PUBLISHED);
      }
      for (var a : eth.getAcceptedList()) {
        assertThat(node.stub().getTransactionStatus(GetTransactionStatusRequest.newBuilder().setTxHash(a.getTxHash()).build()).getStage()).isEqualTo(TransactionStage.PUBLISHED);
      }
      // Nothing published twice: one BatchCommitted per batch, in order, from the operator, none reverted.
      List<Long> committed = new ArrayList<>();
      for (Log log : chain.logs(rollup, Rollup.BATCHCOMMITTED_EVENT)) {
        committed.add(Rollup.getBatchCommittedEventFromLog(log).batchNumber.longValueExact());
        assertThat(chain.receipt(log.getTransactionHash()).getFrom()).isEqualToIgnoringCase(operator.getAddress());
      }
      assertThat(committed).containsExactlyElementsOf(LongStream.range(0, batches).boxed().toList());
      assertThat(chain.nonce(operator.getAddress())).as("the operator sent one transaction per batch, none reverted or repeated").isEqualTo(batches);
      assertThat(published).as("announced PUBLISHED once per batch across the restart").containsExactlyElementsOf(LongStream.range(0, batches).boxed().toList());
      assertThat(batches).as("%d payouts of 4 slots in batches of %d", PAYOUTS, SLOTS).isGreaterThanOrEqualTo(PAYOUTS / 3);

      // ---- L1 balances are the node's: per token, held = L2 balances + pending withdrawals.
      Map<Long, BigInteger> l2 = l2Balances();
      Map<String, BigInteger> pending0 = Map.of(owners.get(0).getAddress(), ethOut.get(0), owners.get(1).getAddress(), ethOut.get(1), attacker, ATTACKER_WITHDRAWN);
      Map<String, BigInteger> pending1 = new HashMap<>();
      for (Payout p : payouts) {
        pending1.put(p.to().toString(), p.amount());
      }
      Map<String, BigInteger> pending2 = Map.of(owners.get(2).getAddress(), erinOut);
      List<Map<String, BigInteger>> pending = List.of(pending0, pending1, pending2);
      for (long t = 0; t <= 2; t++) {
        BigInteger owed = BigInteger.ZERO;
        for (Map.Entry<String, BigInteger> e : pending.get((int) t).entrySet()) {
          assertThat(reader.pendingWithdrawal(BigInteger.valueOf(t), e.getKey()).send()).as("token %d pending for %s", t, e.getKey()).isEqualTo(e.getValue());
          owed = owed.add(e.getValue());
        }
        BigInteger held = t == 0 ? chain.balance(rollup) : chain.tokenBalance(tokenAddress.get(t), rollup);
        assertThat(held).as("token %d: the contract holds the L2 balances and the pending withdrawals", t).isEqualTo(l2.get(t).add(owed));
      }
      assertThat(account(1).balance()).as("token-1 fees of %d payouts", PAYOUTS).isEqualTo(TOKEN_1_FEE.multiply(BigInteger.valueOf(PAYOUTS)));
      assertThat(account(2).balance()).as("token-2 fees: a transfer and a withdrawal").isEqualTo(TOKEN_2_FEE.multiply(BigInteger.TWO));
      assertThat(account(EXCHANGE).nonce()).isEqualTo(PAYOUTS);

      // ---- Claims: each owner gets exactly its withdrawal, once; the exchange claims for its users.
      BigInteger usdHeld = chain.tokenBalance(usd, rollup);
      for (Payout p : payouts) {
        TransactionReceipt r = chain.rollup(rollup, exchangeL1).claimFor(BigInteger.ONE, p.to().toString()).send();
        assertThat(r.isStatusOK()).as("claimFor %s", r).isTrue();
        assertThat(chain.tokenBalance(usd, p.to().toString())).isEqualTo(p.amount());
        usdHeld = usdHeld.subtract(p.amount());
      }
      assertThat(chain.tokenBalance(usd, rollup)).isEqualTo(usdHeld);
      String claimAgain = reader.claimFor(BigInteger.ONE, payee(0).toString()).encodeFunctionCall();
      assertThat(chain.revertOf(exchangeL1, rollup, BigInteger.ZERO, claimAgain)).as("a second claim").contains("NothingToClaim()");
      for (int i = 0; i < 2; i++) {
        String owner = owners.get(i).getAddress();
        BigInteger was = chain.balance(owner);
        TransactionReceipt claim = chain.claim(owners.get(i), rollup);
        assertThat(claim.isStatusOK()).as("claim %s", claim).isTrue();
        assertThat(chain.balance(owner)).isEqualTo(was.add(ethOut.get(i)).subtract(L1Chain.fee(claim)));
        assertThat(chain.revertOf(owners.get(i), rollup, BigInteger.ZERO, reader.claim(BigInteger.ZERO).encodeFunctionCall())).contains("NothingToClaim()");
      }
      // Token 2 burns 1 % on the way out too: the owner gets 99 %, the contract pays out exactly the withdrawal.
      BigInteger burnerHeld = chain.tokenBalance(burner, rollup);
      assertThat(chain.rollup(rollup, owners.get(2)).claim(BigInteger.TWO).send().isStatusOK()).isTrue();
      assertThat(chain.tokenBalance(burner, owners.get(2).getAddress())).isEqualTo(erinOut.subtract(erinOut.divide(BigInteger.valueOf(100))));
      assertThat(chain.tokenBalance(burner, rollup)).isEqualTo(burnerHeld.subtract(erinOut));
      // The re-entrant claimer is paid once: its inner claim() reverts, the outer one pays.
      BigInteger ethHeld = chain.balance(rollup);
      TransactionReceipt attack = chain.send(users.get(0), attacker, BigInteger.ZERO, L1Chain.encode("attack"), L1Chain.GAS_LIMIT);
      assertThat(attack.isStatusOK()).as("attack %s", attack).isTrue();
      assertThat(chain.balance(attacker)).isEqualTo(ATTACKER_WITHDRAWN);
      assertThat(chain.read(attacker, "received")).as("ETH arrived once").isEqualTo(BigInteger.ONE);
      assertThat(chain.read(attacker, "reentryReverted")).as("the re-entrant claim reverted").isEqualTo(BigInteger.ONE);
      assertThat(chain.balance(rollup)).isEqualTo(ethHeld.subtract(ATTACKER_WITHDRAWN));

      // ---- Exodus: the operator stops for good; a deposit it never processes ages past the deadline.
      Map<Long, AccountLeaf> verified = new HashMap<>();
      for (long i : List.of(CAROL, ERIN)) {
        verified.put(i, account(i));
      }
      assertThat(Fr.of(reader.stateRoot().send())).isEqualTo(node.node.batch(batches - 1).orElseThrow().newRoot());
    }
    stopWorkers();
    server.close();
    server = null;
    node.close();
    node = null;
    chain.deposit(users.get(0), rollup, keyHash(1), LATE_DEPOSIT);
    chain.anvil.call("anvil_mine", Numeric.toHexStringWithPrefix(BigInteger.valueOf(DEADLINE + 1)));
    String[] l1Args = {"--l1-rpc", chain.url(), "--l1-contract", rollup};
    ExitTool.Run exodus = ExitTool.run(dir, owners.get(0), "activate-exodus", l1Args);
    assertThat(exodus.status()).as(exodus.err()).isZero();
    assertThat(reader.exodus().send()).isTrue();
    // Carol (token 1) and Erin (token 2) leave with nothing but the RPC and the contract's address.
    for (int wallet : List.of(4, 6)) {
      Credentials user = users.get(wallet - 1);
      long token = wallet == 4 ? 1 : 2;
      BigInteger expected = wallet == 4 ? USER_TOKEN_1 : BigInteger.valueOf(495 + 300).subtract(erinOutPaid());
      ExitTool.Run exit = ExitTool.run(dir, user, "exit-account", l1Args);
      assertThat(exit.status()).as(exit.err()).isZero();
      assertThat(reader.pendingWithdrawal(BigInteger.valueOf(token), user.getAddress()).send()).as("wallet %d exits its token-%d balance", wallet, token).isEqualTo(expected);
      assertThat(reader.pendingWithdrawal(BigInteger.ZERO, user.getAddress()).send()).as("and no ETH").isZero();
      BigInteger was = chain.tokenBalance(tokenAddress.get(token), user.getAddress());
      assertThat(chain.rollup(rollup, user).claim(BigInteger.valueOf(token)).send().isStatusOK()).isTrue();
      BigInteger received = token == 2 ? expected.subtract(expected.divide(BigInteger.valueOf(100))) : expected;
      assertThat(chain.tokenBalance(tokenAddress.get(token), user.getAddress())).as("wallet %d is paid in token %d", wallet, token).isEqualTo(was.add(received));
    }
  }

  /** Erin's token-2 withdrawal and its fee, out of her balance. */
  private static BigInteger erinOutPaid() {
    return BigInteger.valueOf(400).add(TOKEN_2_FEE);
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    Await.until(PATIENCE, done, what);
  }

  private static io.zkrollup.sdk.TransactionStage sdkStage(RollupClient sdk, Fr txHash) {
    return sdk.status(txHash).map(s -> s.stage()).orElse(null);
  }

  private static Fr keyHash(int wallet) {
    return GenesisFile.keyHash(TestNode.POSEIDON2, TestNode.wallet(wallet).publicKey());
  }

  private static Wallet wallet(int seed, long account, long token, long rollupId) {
    return Wallet.fromSeed(TestNode.seed(seed), account, rollupId, token);
  }

  private static L1Address l1(Credentials c) {
    return L1Address.of(Numeric.hexStringToByteArray(c.getAddress()));
  }

  /** The exchange's i-th user on L1 (an address without a key: the exchange claims for it). */
  private static L1Address payee(int i) {
    return L1Address.of(ByteBuffer.allocate(L1Address.BYTES).putInt(16, 0x7000 + i).array());
  }

  @SafeVarargs
  private static List<Credentials> concat(List<Credentials>... lists) {
    List<Credentials> all = new ArrayList<>();
    for (List<Credentials> l : lists) {
      all.addAll(l);
    }
    return all;
  }

  /** The SDK on the test node's channel (a new one after each restart: the node's port changes). */
  private RollupClient sdk() {
    return RollupClient.builder().channel(node.channel).build();
  }

  private AccountLeaf account(long index) {
    return node.node.pendingAccount(index).orElseThrow();
  }

  /** The node's L2 balances summed per token (every account of the D = 4 tree). */
  private Map<Long, BigInteger> l2Balances() {
    Map<Long, BigInteger> sums = new HashMap<>(Map.of(0L, BigInteger.ZERO, 1L, BigInteger.ZERO, 2L, BigInteger.ZERO));
    for (long i = 0; i < 1L << DEPTH; i++) {
      node.node.pendingAccount(i).ifPresent(a -> sums.merge(a.token(), a.balance(), BigInteger::add));
    }
    return sums;
  }

  /** Follows PUBLISHED updates and serves the coordinator on {@code coordinatorPort}. */
  private void serve(int coordinatorPort) {
    node.node.subscribe(u -> {
      if (u.stage() == BatchUpdate.Stage.PUBLISHED) {
        published.add(u.batch().number());
      }
    });
    server = CoordinatorServer.start(node.node.coordinator().orElseThrow(), "127.0.0.1", coordinatorPort, Optional.empty());
  }

  private void startWorker(String id) throws IOException {
    Path jar = Path.of(System.getProperty("zkrollup.jar", "target/zkrollup.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
    Path tmp = Files.createDirectories(dir.resolve("tmp-" + id));
    Path log = dir.resolve(id + ".log");
    Path keys = SharedTestKeys.of(ProofSystem.GROTH16, SLOTS, DEPTH, DataAvailability.ROLLUP);
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp, "-jar", jar.toString(),
            "worker", "--coordinator", "localhost:" + server.port(), "--keys", keys.toString(), "--worker-id", id, "--lease-wait-ms", "1000", "--drain-timeout-s", "5");
    workers.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    logs.add(log);
  }

  private void stopWorkers() throws InterruptedException {
    for (Process p : workers) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    workers.clear();
  }

  private void printLogs() throws IOException {
    for (Path log : logs) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      System.out.println("---- " + log.getFileName() + " (last lines)\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
    }
  }
}
