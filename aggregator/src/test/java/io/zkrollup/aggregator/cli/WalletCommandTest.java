package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.testing.TestNode;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.sdk.AccountKey;
import io.zkrollup.sdk.KeyFile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wallet's L2 commands against a node without L1 or prover, in process: keys, the accounts of
 * a key, transfers and withdrawals, status, the one-line refusals, and endpoints from --config. (The
 * whole walk-through with L1 is WalkThroughIT.)
 */
class WalletCommandTest {

  @TempDir static Path dir;
  static TestNode t;
  static String node;
  /** Wallet 1's key, which holds account 1 (genesis owner) and account 9 (another owner). */
  static Path aliceKey;
  static final L1Address OTHER_OWNER = L1Address.fromHex("0x00000000000000000000000000000000000b0b02");

  @BeforeAll
  static void start() throws Exception {
    NodeConfig base = TestNode.configFor(dir.resolve("node"), TestNode.Options.defaults());
    List<Deposit> genesis = new ArrayList<>(base.genesis());
    genesis.add(new Deposit(9, TestNode.wallet(1).keyHash(), OTHER_OWNER, BigInteger.valueOf(5000)));
    t = TestNode.start(base.toBuilder().genesis(genesis).build(), 8);
    node = "127.0.0.1:" + t.runtime.apiPort();
    aliceKey = dir.resolve("alice.key");
    KeyFile.write(aliceKey, AccountKey.fromSeed(TestNode.seed(1)));
    // The genesis deposits are journaled as the node starts: wait until the second account of the key is there.
    long end = System.nanoTime() + 20_000_000_000L;
    while (!CliRun.of("wallet", "accounts", "--node", node, "--key-file", aliceKey.toString()).out().contains("account     9")) {
      assertThat(System.nanoTime()).as("the genesis reaches the ledger").isLessThan(end);
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  private static CliRun ok(String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.status()).as("%s%nstdout: %s%nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  private static String printed(String out, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + " +(\\S+)").matcher(out);
    assertThat(m.find()).as("%s in:%n%s", label, out).isTrue();
    return m.group(1);
  }

  @Test
  void newKeyWritesAKeyFileAndNeverOverwritesOne() throws Exception {
    Path file = dir.resolve("keys/new.key");
    CliRun r = ok("wallet", "new-key", "--key-file", file.toString());
    AccountKey key = KeyFile.read(file);
    assertThat(printed(r.out(), "public key")).isEqualTo(java.util.HexFormat.of().formatHex(key.publicKey().toBytes()));
    assertThat(printed(r.out(), "key hash")).isEqualTo(key.keyHash().toString());
    String before = Files.readString(file);

    CliRun again = CliRun.of("wallet", "new-key", "--key-file", file.toString());
    assertThat(again.status()).isEqualTo(2);
    assertThat(again.err().strip()).isEqualTo("refused: " + file + " exists; new-key never overwrites a key file");
    assertThat(Files.readString(file)).isEqualTo(before);

    // A key without deposits: no accounts, and no account to sign for.
    assertThat(ok("wallet", "accounts", "--node", node, "--key-file", file.toString()).out()).contains("accounts    none");
    CliRun noAccount = CliRun.of("wallet", "transfer", "--node", node, "--key-file", file.toString(), "--to", "2", "--amount", "10");
    assertThat(noAccount.status()).isEqualTo(2);
    assertThat(noAccount.err()).startsWith("refused: NOT_FOUND: no account holds key hash " + key.keyHash());
  }

  @Test
  void accountsListsEveryAccountOfTheKey() {
    CliRun r = ok("wallet", "accounts", "--node", node, "--key-file", aliceKey.toString());
    assertThat(r.out())
        .contains("key hash    " + TestNode.wallet(1).keyHash())
        .containsPattern("account     1: 0\\.\\d+ ETH, nonce \\d+, owner " + TestNode.OWNER)
        .containsPattern("account     9: 0\\.\\d+ ETH, nonce \\d+, owner " + OTHER_OWNER);
    assertThat(r.out().indexOf("account     1:")).isLessThan(r.out().indexOf("account     9:"));

    CliRun account = ok("wallet", "account", "--node", node, "--key-file", aliceKey.toString());
    assertThat(account.out()).contains("account     1\n").contains("owner       " + TestNode.OWNER);
    assertThat(ok("wallet", "account", "--node", node, "--index", "9").out()).contains("owner       " + OTHER_OWNER);
    CliRun missing = CliRun.of("wallet", "account", "--node", node, "--index", "200");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).startsWith("refused: NOT_FOUND: account 200 does not exist");
  }

  @Test
  void transferStatusAndWithdrawFromTheKeysSecondAccount() {
    CliRun transfer = ok("wallet", "transfer", "--node", node, "--key-file", aliceKey.toString(), "--to", "2", "--amount", "100", "--wait");
    assertThat(transfer.out()).contains("accepted    transfer of 0.0000000000000001 ETH to account 2 from account 1 (nonce ").contains("stage       SEALED (batch ");
    String hash = printed(transfer.out(), "tx hash");
    assertThat(ok("wallet", "status", "--node", node, "--tx", hash).out()).startsWith("stage       SEALED (batch ");

    CliRun withdraw = ok("wallet", "withdraw", "--node", node, "--key-file", aliceKey.toString(), "--from", "9", "--to-l1", OTHER_OWNER.toString(), "--amount", "1234");
    assertThat(withdraw.out()).contains("from account 9 (nonce 0, max fee 1 wei)");
    CliRun notMine = CliRun.of("wallet", "withdraw", "--node", node, "--key-file", aliceKey.toString(), "--from", "2", "--to-l1", OTHER_OWNER.toString(), "--amount", "1");
    assertThat(notMine.status()).isEqualTo(2);
    assertThat(notMine.err()).startsWith("refused: NOT_FOUND: account 2 is not an account of key hash");
  }

  @Test
  void aRefusalIsOneLineWithTheStatusAndTheNodesReason() {
    CliRun overdraft = CliRun.of("wallet", "transfer", "--node", node, "--key-file", aliceKey.toString(), "--to", "2", "--amount", "1eth");
    assertThat(overdraft.status()).isEqualTo(2);
    assertThat(overdraft.err()).startsWith("refused: FAILED_PRECONDITION INSUFFICIENT_BALANCE: account 1 has ").hasLineCount(1);
    CliRun gap = CliRun.of("wallet", "transfer", "--node", node, "--key-file", aliceKey.toString(), "--to", "2", "--amount", "10", "--nonce", "1000");
    assertThat(gap.err()).startsWith("refused: FAILED_PRECONDITION NONCE_GAP: ").hasLineCount(1);
    CliRun unknown = CliRun.of("wallet", "status", "--node", node, "--tx", "0x1234");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("refused: NOT_FOUND: the node has accepted no transaction with hash 0x" + "0".repeat(60) + "1234\n");

    CliRun noNode = CliRun.of("wallet", "accounts", "--node", "127.0.0.1:1", "--key-file", aliceKey.toString());
    assertThat(noNode.status()).isEqualTo(2);
    assertThat(noNode.err()).startsWith("unavailable: no node answers at 127.0.0.1:1 (").hasLineCount(1);
  }

  @Test
  void endpointsComeFromAConfigFileAndTheCommandLineWins() throws Exception {
    Path config = dir.resolve("wallet.properties");
    // As zkrollup deploy writes it, plus the node: only node, l1-rpc and l1-contract are taken (never the operator's l1-key-file).
    Files.writeString(
        config,
        "node = " + node + "\nl1-rpc = http://127.0.0.1:1\nl1-contract = 0x00000000000000000000000000000000000000cc\nl1-key-file = /nonexistent/operator-l1.key\nslots = 8\n");
    assertThat(ok("wallet", "accounts", "--config", config.toString(), "--key-file", aliceKey.toString()).out()).contains("account     9:");
    CliRun overridden = CliRun.of("wallet", "accounts", "--config", config.toString(), "--node", "127.0.0.1:1", "--key-file", aliceKey.toString());
    assertThat(overridden.err()).startsWith("unavailable: no node answers at 127.0.0.1:1");

    // The L1 endpoints too: l1-balance needs --l1-rpc and --l1-contract, and gets them from the file (an RPC that is not there: one line).
    CliRun l1 = CliRun.of("wallet", "l1-balance", "--config", config.toString(), "--address", OTHER_OWNER.toString());
    assertThat(l1.status()).as(l1.err()).isEqualTo(2);
    assertThat(l1.err()).startsWith("failed: L1 at http://127.0.0.1:1: ").hasLineCount(1);
    // The operator's L1 key in the file is not a user's: claim still asks for --l1-key-file.
    CliRun claim = CliRun.of("wallet", "claim", "--config", config.toString());
    assertThat(claim.status()).isEqualTo(2);
    assertThat(claim.err()).contains("--l1-rpc and --l1-key-file are required");

    CliRun missing = CliRun.of("wallet", "accounts", "--config", dir.resolve("missing.properties").toString(), "--key-file", aliceKey.toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("--config: cannot read");
  }
}
