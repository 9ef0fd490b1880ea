package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.testing.TestNode;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The operator CLI, run in process against the real native library. */
class ZkRollupCliTest {

  // Poseidon2 compress(1, 2) and hash(1, 2), from native/testdata (gnark-crypto).
  private static final String COMPRESS_1_2 = "0x02e7529d93e1a7ae526147c2ee72588aee90e6a7c3e361de6daa6be045c6f530";
  private static final String HASH_1_2 = "0x09d2e656ec5144af0711a5528a3af6ebc908d9050b3455edf3b5d0218820875c";

  @Test
  void infoPrintsVersionsAndHashesThroughTheBridge() {
    CliRun r = CliRun.of("info");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("gnark         v0.16.3")
        .contains("gnark-crypto  v0.21.0")
        .contains("compress(1, 2) = " + COMPRESS_1_2)
        .contains("hash(1, 2)     = " + HASH_1_2);
  }

  @Test
  void everyCommandAnswersHelpWithItsUsage() {
    // Walk the whole tree, so a command added later is covered too; `node --help` used to complain
    // about its required options and `keygen --help` about an unknown option.
    java.util.List<java.util.List<String>> paths = new java.util.ArrayList<>();
    collect(ZkRollupCli.commandLine(), new java.util.ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(20);
    for (java.util.List<String> path : paths) {
      java.util.List<String> args = new java.util.ArrayList<>(path);
      args.add("--help");
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertThat(r.status()).as("%s: %s", args, r.err()).isZero();
      assertThat(r.out()).as("%s", args).startsWith("Usage: zkrollup" + (path.isEmpty() ? "" : " " + String.join(" ", path)));
      assertThat(r.err()).as("%s", args).isEmpty();
    }
  }

  private static void collect(picocli.CommandLine cli, java.util.List<String> path, java.util.List<java.util.List<String>> into) {
    into.add(java.util.List.copyOf(path));
    for (var sub : cli.getSubcommands().entrySet()) {
      if (sub.getKey().equals(sub.getValue().getCommandName())) { // skip aliases
        path.add(sub.getKey());
        collect(sub.getValue(), path, into);
        path.remove(path.size() - 1);
      }
    }
  }

  @Test
  void poseidon2HashesDecimalAndHexValues() {
    assertThat(CliRun.of("poseidon2", "1", "0x2").out().trim()).isEqualTo(HASH_1_2);
    assertThat(CliRun.of("poseidon2", "--compress", "1", "2").out().trim()).isEqualTo(COMPRESS_1_2);
  }

  @Test
  void badValuesAreRefusedWithAClearMessageAndStatus2() {
    CliRun modulus =
        CliRun.of("poseidon2", "21888242871839275222246405745257275088548364400416034343698204186575808495617");
    assertThat(modulus.status()).isEqualTo(2);
    assertThat(modulus.err()).contains("rejected: INVALID_ARGUMENT").contains("not canonical");

    CliRun notANumber = CliRun.of("poseidon2", "12abc");
    assertThat(notANumber.status()).isEqualTo(2);
    assertThat(notANumber.err()).contains("'12abc' is not a decimal or 0x-hex number");

    CliRun compressThree = CliRun.of("poseidon2", "--compress", "1", "2", "3");
    assertThat(compressThree.status()).isEqualTo(2);
    assertThat(compressThree.err()).contains("exactly two values");
  }

  @Test
  void circuitPrintsConstraintsAndWithSetupTheKeySizes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path keys) {
    CliRun r = CliRun.of("circuit", "--slots", "1", "--depth", "2", "--marginal", "--setup", keys.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("constraints +[0-9,]+")
        .containsPattern("per transaction +[0-9,]+")
        .containsPattern("marginal slot +[0-9,]+")
        .containsPattern("setup +[0-9,]+ ms")
        .containsPattern("proving.key +[0-9,]+ bytes")
        .containsPattern("verifying.key +[0-9,]+ bytes")
        .containsPattern("key load +[0-9,]+ ms");
    assertThat(keys.resolve("manifest.json")).exists();

    // The same keys export their L1 verifier.
    java.nio.file.Path sol = keys.resolve("out").resolve("Verifier.sol");
    CliRun verifier = CliRun.of("verifier", "--keys", keys.toString(), "--out", sol.toString());
    assertThat(verifier.status()).as(verifier.err()).isZero();
    assertThat(verifier.out())
        .contains("B=1, D=2, groth16")
        .containsPattern("source +[0-9,]+ bytes")
        .contains("origin             single-party development setup: never for funds");
    assertThat(sol).content().contains("pragma solidity").contains("function verifyProof");
  }

  @Test
  void ceremonyStepsCheckTheirInputAndTheOrderOfTheSteps(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    String dir = tmp.resolve("transcript").toString();
    CliRun init = CliRun.of("ceremony", "init", "--dir", dir, "--slots", "1", "--depth", "1");
    assertThat(init.status()).as(init.err()).isZero();
    assertThat(init.out()).contains("domain N           65,536 (2^16)").containsPattern("circuit sha256 +[0-9a-f]{64}").contains("ceremony contribute --dir DIR --name NAME");

    CliRun again = CliRun.of("ceremony", "init", "--dir", dir, "--slots", "1", "--depth", "1");
    assertThat(again.status()).isEqualTo(2);
    assertThat(again.err()).contains("rejected: INVALID_ARGUMENT").contains("holds a ceremony already");
    CliRun badName = CliRun.of("ceremony", "contribute", "--dir", dir, "--name", "alice smith");
    assertThat(badName.status()).isEqualTo(2);
    assertThat(badName.err()).contains("contributor name \"alice smith\"");
    CliRun early = CliRun.of("ceremony", "seal-phase1", "--dir", dir, "--beacon", "0x" + "ab".repeat(32));
    assertThat(early.status()).isEqualTo(2);
    assertThat(early.err()).contains("phase 1 has no contribution");
    CliRun finalizeFirst = CliRun.of("ceremony", "finalize", "--dir", dir, "--beacon", "ab".repeat(32), "--keys", tmp.resolve("keys").toString());
    assertThat(finalizeFirst.status()).isEqualTo(2);
    assertThat(finalizeFirst.err()).contains("phase 1 is not sealed yet");

    // A ceremony nobody has contributed to yet verifies as far as it goes.
    CliRun verify = CliRun.of("ceremony", "verify", "--dir", dir);
    assertThat(verify.status()).as(verify.err()).isZero();
    assertThat(verify.out()).contains("phase 1            no contributions yet").contains("PASS               phase 1 is open");
    CliRun notACeremony = CliRun.of("ceremony", "verify", "--dir", tmp.toString());
    assertThat(notACeremony.status()).isEqualTo(2);
    assertThat(notACeremony.out()).contains("FAIL").contains("is not a ceremony directory");
  }

  @Test
  void verifierRefusesADirectoryWithoutKeys(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
    CliRun r = CliRun.of("verifier", "--keys", empty.toString(), "--out", empty.resolve("V.sol").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("rejected:");
    assertThat(empty.resolve("V.sol")).doesNotExist();
  }

  @Test
  void circuitRefusesParametersOutOfRange() {
    CliRun r = CliRun.of("circuit", "--slots", "1", "--depth", "33");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("INVALID_ARGUMENT").contains("D must be 1..32");
    CliRun plonkTypo = CliRun.of("circuit", "--slots", "1", "--depth", "4", "--backend", "stark");
    assertThat(plonkTypo.status()).isEqualTo(2);
    assertThat(plonkTypo.err()).contains("unknown proof system 'stark'");
  }

  @Test
  void circuitOfAnAbsurdSizeIsRefusedAndThisJvmGoesOn() {
    // 65,535 slots at D = 32: billions of constraints. The compile runs in a child JVM, which
    // refuses it from the memory it would need instead of exhausting the machine.
    CliRun r = CliRun.of("circuit", "--slots", "65535", "--depth", "32");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("RESOURCE_EXHAUSTED").contains("GiB of memory");
    assertThat(CliRun.of("poseidon2", "1", "2").status()).as("this JVM still runs native code").isZero();
  }

  @Test
  void keygenDerivesTheKeyTheNodeAndWalletsUse() {
    byte[] seed = new byte[32];
    seed[0] = 1;
    seed[31] = 0x5a;
    CliRun r = CliRun.of("keygen", "--seed", HexFormat.of().formatHex(seed));
    assertThat(r.status()).as(r.err()).isZero();
    var wallet = TestNode.wallet(1);
    assertThat(r.out())
        .contains("public key  " + HexFormat.of().formatHex(wallet.publicKey().toBytes()))
        .contains(String.format("key hash    0x%064x", GenesisFile.keyHash(TestNode.POSEIDON2, wallet.publicKey()).toBigInteger()));
    CliRun random = CliRun.of("keygen");
    assertThat(random.status()).isZero();
    assertThat(random.out()).containsPattern("seed        [0-9a-f]{64}").doesNotContain(HexFormat.of().formatHex(seed));
    CliRun bad = CliRun.of("keygen", "--seed", "abcd");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("--seed must be 32 bytes, got 2");
  }
}
