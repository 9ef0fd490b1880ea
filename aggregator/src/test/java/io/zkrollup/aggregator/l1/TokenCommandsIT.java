package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.cli.ZkRollupCli;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.statetree.field.Fr;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import picocli.CommandLine;

/**
 * The L1 token commands as a governor and a user run them, on anvil (docs/operations.md): {@code
 * zkrollup token list} and {@code token ids}, {@code wallet deposit --token} (approve, then
 * depositToken), {@code wallet l1-balance} per token and {@code wallet claim --token}; every refusal
 * is one line naming Rollup.sol's custom error, and sends nothing.
 */
class TokenCommandsIT {

  private static final Credentials GOVERNOR = LocalAnvil.devAccount(0);
  private static final Credentials ALICE = LocalAnvil.devAccount(1);

  @TempDir static Path dir;
  private static L1Chain chain;
  private static String rollup;
  private static String token;
  private static Path governorKey;
  private static Path aliceKey;

  @BeforeAll
  static void start() throws Exception {
    chain = L1Chain.start(dir);
    String anyProof = chain.deploy(chain.contracts.dir().resolve("test/AcceptAnyProofVerifier.sol"), "AcceptAnyProofVerifier");
    rollup = chain.deployRollup(anyProof, 32, 4, DataAvailability.ROLLUP, 5, L1Chain.emptyRoot(4), Fr.of(1001));
    Map<String, String> code = chain.compileAll(chain.contracts.dir().resolve("test/TestTokens.sol"), "TestToken");
    token = chain.deployBytecode(code.get("TestToken"), new Utf8String("Test"), new Utf8String("TEST"));
    chain.send(ALICE, token, BigInteger.ZERO, L1Chain.encode("mint", new Address(ALICE.getAddress()), new Uint256(1_000_000)), L1Chain.GAS_LIMIT);
    governorKey = keyFile("governor.key", GOVERNOR);
    aliceKey = keyFile("alice.key", ALICE);
  }

  @AfterAll
  static void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  private static Path keyFile(String name, Credentials c) throws Exception {
    return Files.writeString(dir.resolve(name), Numeric.toHexStringNoPrefixZeroPadded(c.getEcKeyPair().getPrivateKey(), 64));
  }

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = ZkRollupCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private static String[] l1(Path key, String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--l1-rpc", chain.url(), "--l1-contract", rollup, "--l1-key-file", key.toString()}, 0, all, args.length, 6);
    return all;
  }

  @Test
  void theGovernorListsATokenAndAUserDepositsItAndSeesItPerToken() throws Exception {
    Rollup reader = chain.reader(rollup);

    // Only the governor lists; anyone else is refused by name, and nothing is sent.
    long nonce = chain.nonce(ALICE.getAddress());
    Run notGovernor = run(l1(aliceKey, "token", "list", "--token", token));
    assertThat(notGovernor.status()).isEqualTo(2);
    assertThat(notGovernor.err().strip()).isEqualTo("refused: Rollup.sol would revert listToken(" + token.toLowerCase() + ") with NotTokenGovernor(" + ALICE.getAddress().toLowerCase() + ")");
    assertThat(chain.nonce(ALICE.getAddress())).isEqualTo(nonce);

    Run listed = run(l1(governorKey, "token", "list", "--token", token));
    assertThat(listed.status()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("token id    1");
    assertThat(reader.tokenId(token).send()).isEqualTo(BigInteger.ONE);
    Run again = run(l1(governorKey, "token", "list", "--token", token));
    assertThat(again.err()).contains("TokenAlreadyListed(" + token.toLowerCase() + ", 1)");

    // The minimum deposit: the governor's, refused by name for anyone else.
    Run notGovernorMin = run(l1(aliceKey, "token", "min-deposit", "--token", "1", "--amount", "10"));
    assertThat(notGovernorMin.status()).isEqualTo(2);
    assertThat(notGovernorMin.err().strip()).isEqualTo("refused: Rollup.sol would revert setMinDeposit(1, 10) with NotTokenGovernor(" + ALICE.getAddress().toLowerCase() + ")");
    Run min = run(l1(governorKey, "token", "min-deposit", "--token", "1", "--amount", "10"));
    assertThat(min.status()).as(min.err()).isZero();
    assertThat(min.out()).startsWith("min deposit 10 of token 1");
    assertThat(reader.minDeposit(BigInteger.ONE).send()).isEqualTo(BigInteger.TEN);

    Run ids = run("token", "ids", "--l1-rpc", chain.url(), "--l1-contract", rollup);
    assertThat(ids.status()).as(ids.err()).isZero();
    assertThat(ids.out()).contains("token 0     ETH").containsPattern("token 1 +" + token);

    // A deposit of the token: approve, then depositToken of what the contract received.
    Path accountKey = dir.resolve("alice-account.key");
    assertThat(run("wallet", "new-key", "--key-file", accountKey.toString()).status()).isZero();
    Run unlisted = run(l1(aliceKey, "wallet", "deposit", "--key-file", accountKey.toString(), "--token", "2", "--amount", "5"));
    assertThat(unlisted.status()).isEqualTo(2);
    assertThat(unlisted.err()).startsWith("refused: token 2 is not listed");
    Run deposit = run(l1(aliceKey, "wallet", "deposit", "--key-file", accountKey.toString(), "--token", "1", "--amount", "250000"));
    assertThat(deposit.status()).as(deposit.err()).isZero();
    assertThat(deposit.out()).contains("approved    250000 of token 1").contains("deposited   250000 of token 1");
    assertThat(reader.totalDeposited(BigInteger.ONE).send()).isEqualTo(BigInteger.valueOf(250_000));
    Run tooMuch = run(l1(aliceKey, "wallet", "deposit", "--key-file", accountKey.toString(), "--token", "1", "--amount", "2000000"));
    assertThat(tooMuch.status()).isEqualTo(2);
    assertThat(tooMuch.err().strip()).isEqualTo("refused: " + ALICE.getAddress() + " holds 750000 of token 1 (" + token + "), less than 2000000");
    // An ETH deposit is simulated too: the contract's error by name, nothing sent.
    nonce = chain.nonce(ALICE.getAddress());
    Run noOwner = run(l1(aliceKey, "wallet", "deposit", "--key-file", accountKey.toString(), "--amount", "1eth", "--owner", "0x0000000000000000000000000000000000000000"));
    assertThat(noOwner.status()).isEqualTo(2);
    assertThat(noOwner.err().strip()).isEqualTo("refused: Rollup.sol would revert the deposit of 1 ETH with OwnerIsZero()");
    assertThat(chain.nonce(ALICE.getAddress())).isEqualTo(nonce);

    Run balance = run("wallet", "l1-balance", "--l1-rpc", chain.url(), "--l1-contract", rollup, "--address", ALICE.getAddress());
    assertThat(balance.status()).as(balance.err()).isZero();
    assertThat(balance.out()).containsPattern("token 1 +" + token + ": L1 balance 750000, claimable 0");

    // Nothing to claim yet: refused before anything is sent.
    Run claim = run(l1(aliceKey, "wallet", "claim", "--token", "1"));
    assertThat(claim.status()).isEqualTo(2);
    assertThat(claim.err()).startsWith("refused: nothing to claim of token 1 for");
  }
}
