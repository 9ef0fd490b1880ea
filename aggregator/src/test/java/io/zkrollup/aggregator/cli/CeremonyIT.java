package io.zkrollup.aggregator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.aggregator.l1.dev.ContractsDir;
import io.zkrollup.aggregator.l1.dev.EstimatingGasProvider;
import io.zkrollup.aggregator.l1.dev.LocalAnvil;
import io.zkrollup.aggregator.testing.ClusterTestKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * Keys nobody can forge with (issue 18): three parties run a Groth16 ceremony for B=5, D=4 as
 * separate {@code zkrollup.jar} processes that share only the ceremony directory, the coordinator
 * seals both phases with beacons and writes the keys, {@code ceremony verify} accepts the
 * transcript with those keys and lists every contributor's receipt, and the keys commit a real
 * batch on Rollup.sol: {@code zkrollup deploy} deploys the verifier exported from them to anvil
 * and a node process proves with them (in its worker) until its first deposit's batch is on L1.
 *
 * <p>Then {@code ceremony verify} refuses a tampered contribution, a contribution dropped from the
 * middle (renumbered, with the log rewritten to match: only the cryptography can tell), a reordered
 * pair, a beacon other than the announced one, a phase-2 beacon changed after the keys were made,
 * and keys from a development setup. The package's Go tests (native/ceremony) refuse each of these
 * on a small circuit in every variant, with and without the log rewritten.
 *
 * <p>It takes minutes: gnark's phase-1 update is single-threaded, and computing the phase-2 start
 * from the SRS (seal-phase1, and verify again) dominates (docs/benchmarks.md, "Ceremony").
 */
class CeremonyIT {

  private static final String BEACON1 = "0x" + "5eed".repeat(16);
  private static final String BEACON2 = "0x" + "b10c".repeat(16);
  private static final List<String> PARTIES = List.of("alice", "bob", "carol");

  @TempDir Path dir;

  /** One {@code java -jar zkrollup.jar ARGS} process: its status and its output (stdout and stderr). */
  record Run(int status, String out) {}

  private static Path jar() {
    Path jar = Path.of(System.getProperty("zkrollup.jar", "target/zkrollup.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
    return jar;
  }

  private Run zkrollup(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "run", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // Generous: sealing computes an FFT over curve points, minutes on 2 quiet cores and far more on a busy machine.
    assertThat(p.waitFor(60, TimeUnit.MINUTES)).as("zkrollup %s finishes", String.join(" ", args)).isTrue();
    return new Run(p.exitValue(), Files.readString(log));
  }

  /** Runs a step and expects it to succeed. */
  private String ok(String... args) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Run r = zkrollup(args);
    System.out.printf("CeremonyIT: %-40s %6.1f s%n", args[0] + " " + args[1], (System.nanoTime() - start) / 1e9);
    assertThat(r.status()).as("zkrollup %s%n%s", String.join(" ", args), r.out()).isZero();
    return r.out();
  }

  /** Runs {@code ceremony verify} and expects it to refuse with every phrase in its output. */
  private void refused(Path transcript, List<String> options, String... phrases) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("ceremony", "verify", "--dir", transcript.toString()));
    args.addAll(options);
    Run r = zkrollup(args.toArray(String[]::new));
    assertThat(r.status()).as("verify refuses:%n%s", r.out()).isEqualTo(2);
    assertThat(r.out()).contains("FAIL").contains(phrases);
  }

  private static String printed(String out, String label) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + " +(?:sha256 )?(\\S+)").matcher(out);
    assertThat(m.find()).as("%s in:%n%s", label, out).isTrue();
    return m.group(1);
  }

  @Test
  void threePartiesSealFinalizeVerifyAndCommitOnL1() throws Exception {
    long start = System.nanoTime();
    Path t = dir.resolve("transcript");
    Path keys = dir.resolve("keys");
    String init = ok("ceremony", "init", "--dir", t.toString(), "--slots", "5", "--depth", "4");
    assertThat(init).contains("domain N           131,072 (2^17)");

    // Each party contributes to phase 1, then (after the seal) to phase 2; each keeps its receipt.
    Map<String, String> receipts = new LinkedHashMap<>();
    for (String name : PARTIES) {
      String out = ok("ceremony", "contribute", "--dir", t.toString(), "--name", name);
      assertThat(out).contains("contribution       phase 1, #" + (receipts.size() + 1) + " by " + name);
      receipts.put("1/" + name, printed(out, "receipt"));
    }
    assertThat(ok("ceremony", "seal-phase1", "--dir", t.toString(), "--beacon", BEACON1)).contains("phase 1 sealed     3 contributions verified");
    for (String name : PARTIES) {
      receipts.put("2/" + name, printed(ok("ceremony", "contribute", "--dir", t.toString(), "--name", name), "receipt"));
    }
    String finalized = ok("ceremony", "finalize", "--dir", t.toString(), "--beacon", BEACON2, "--keys", keys.toString());
    String transcript = printed(finalized, "transcript");
    assertThat(finalized).contains("origin             ceremony " + transcript + ", 3 contributors");

    // Anyone recomputes it from the files: every receipt is listed, the keys are the transcript's.
    String verified = ok("ceremony", "verify", "--dir", t.toString(), "--keys", keys.toString(), "--beacon1", BEACON1, "--beacon2", BEACON2);
    assertThat(verified).contains("PASS               finalized").contains("transcript         " + transcript).contains("holds exactly the transcript's keys");
    assertThat(verified).contains(receipts.values());
    System.out.printf("CeremonyIT: the ceremony, its verification and the refusals below took %.0f s so far%n", (System.nanoTime() - start) / 1e9);

    commitsABatchOnL1(keys, transcript);
    refusesWhatIsNotTheTranscript(t, keys);
    System.out.printf("CeremonyIT: %.0f s in all%n", (System.nanoTime() - start) / 1e9);
  }

  /** The ceremony's keys on L1: deploy's verifier checks the node's proof in commitBatch. */
  private void commitsABatchOnL1(Path keys, String transcript) throws Exception {
    try (LocalAnvil anvil = LocalAnvil.start(ContractsDir.locate(), dir.resolve("anvil.log"))) {
      Path l1Key = dir.resolve("operator-l1.key");
      Files.writeString(l1Key, Numeric.toHexStringNoPrefixZeroPadded(LocalAnvil.devAccount(1).getEcKeyPair().getPrivateKey(), 64) + "\n");
      CliRun keygen = CliRun.of("keygen", "--out", dir.resolve("operator.key").toString());
      assertThat(keygen.status()).as(keygen.err()).isZero();
      Path config = dir.resolve("node.properties");
      String deploy =
          ok("deploy", "--keys", keys.toString(), "--l1-rpc", anvil.url().toString(), "--l1-key-file", l1Key.toString(),
              "--operator-key", printed(keygen.out(), "public key"), "--config-out", config.toString(), "--work-dir", dir.resolve("work").toString());
      assertThat(deploy).contains("origin             ceremony " + transcript + ", 3 contributors");
      String rollup = printed(deploy, "rollup");
      Rollup reader = Rollup.load(rollup, anvil.web3(), new ReadonlyTransactionManager(anvil.web3(), rollup), new EstimatingGasProvider(anvil.web3(), anvil.chainId()));

      Path log = dir.resolve("node.log");
      Process node =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar().toString(), "node", "--config", config.toString(),
                      "--data-dir", dir.resolve("node").toString(), "--port", "0", "--local-workers", "1", "--l1-poll-ms", "200", "--seal-after-ms", "200",
                      "--worker-jvm-option", "-Xmx512m"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        // The deployment queued the operator's deposit: its batch is proven with the ceremony's
        // proving key (in the node's worker) and verified by the exported verifier in commitBatch.
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (reader.batchCount().send().signum() == 0) {
          assertThat(node.isAlive()).as("the node runs; its log:%n%s", Files.readString(log)).isTrue();
          assertThat(System.nanoTime()).as("a batch is committed within 3 minutes; the node's log:%n%s", Files.readString(log)).isLessThan(end);
          Thread.sleep(300);
        }
        assertThat(reader.requestsConsumed().send().intValueExact()).isOne();
        assertThat(Files.readString(log)).contains("L1: batch 0 committed");
      } finally {
        node.destroy();
        if (!node.waitFor(30, TimeUnit.SECONDS)) {
          node.destroyForcibly();
        }
      }
    }
  }

  /** Each way a transcript can lie, on a copy of it; every one is refused. */
  private void refusesWhatIsNotTheTranscript(Path t, Path keys) throws Exception {
    // Keys from a single-party setup of the same circuit.
    refused(t, List.of("--keys", ClusterTestKeys.dir().toString()), "single-party development setup, not from this ceremony");
    // A beacon other than the one announced.
    refused(t, List.of("--beacon1", "0x" + "0bad".repeat(16)), "phase 1 was sealed with beacon " + BEACON1.substring(2) + ", not the expected");

    // A flipped byte in bob's phase-2 contribution.
    Path tampered = copy(t, "tampered");
    flip(tampered.resolve("phase2/0002-bob.bin"), 1000);
    refused(tampered, List.of(), "phase 2 contribution 2 (phase2/0002-bob.bin, by bob)", "changed after it was written");

    // Alice's and bob's phase-2 contributions swapped.
    Path reordered = copy(t, "reordered");
    Path a = reordered.resolve("phase2/0001-alice.bin");
    Path b = reordered.resolve("phase2/0002-bob.bin");
    Path swap = reordered.resolve("swap");
    Files.move(a, swap);
    Files.move(b, a);
    Files.move(swap, b);
    refused(reordered, List.of(), "phase 2 contribution 1 (phase2/0001-alice.bin, by alice)", "changed after it was written");

    // The phase-2 beacon changed after the keys were made: another transcript than theirs.
    Path rebeaconed = copy(t, "rebeaconed");
    Files.writeString(rebeaconed.resolve("phase2/beacon.txt"), "0bad".repeat(16) + "\n");
    refused(rebeaconed, List.of("--keys", keys.toString()), "holds keys of another ceremony");

    // Bob's phase-1 contribution dropped: files renumbered and the log rewritten to match, so only
    // the proofs can tell (carol's update was made on bob's file, not alice's).
    Path dropped = copy(t, "dropped");
    Files.delete(dropped.resolve("phase1/0002-bob.bin"));
    refused(dropped, List.of(), "phase 1 contribution 2 is missing");
    Files.move(dropped.resolve("phase1/0003-carol.bin"), dropped.resolve("phase1/0002-carol.bin"));
    ObjectMapper json = new ObjectMapper();
    List<Map<String, Object>> log = json.readValue(dropped.resolve("log.json").toFile(), new TypeReference<>() {});
    log.removeIf(c -> c.get("phase").equals(1) && c.get("name").equals("bob"));
    for (Map<String, Object> c : log) {
      if (c.get("phase").equals(1) && c.get("name").equals("carol")) {
        c.put("index", 2);
        c.put("file", "phase1/0002-carol.bin");
      }
    }
    json.writerWithDefaultPrettyPrinter().writeValue(dropped.resolve("log.json").toFile(), log);
    refused(dropped, List.of(), "phase 1 contribution 2 (phase1/0002-carol.bin, by carol) does not verify against its predecessor");
  }

  private Path copy(Path from, String name) throws IOException {
    Path to = dir.resolve(name);
    try (Stream<Path> files = Files.walk(from)) {
      files.forEach(
          p -> {
            try {
              Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    return to;
  }

  private static void flip(Path file, long offset) throws IOException {
    byte[] data = Files.readAllBytes(file);
    data[(int) offset] ^= 1;
    Files.write(file, data);
  }
}
