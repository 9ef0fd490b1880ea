package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.grpc.NodeServer;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.node.RollupNode;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.hash.Poseidon2;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup node --data-dir DIR --operator-key HEX [options]}: runs a rollup node until
 * SIGTERM or SIGINT. Every option can also come from a properties file given with {@code --config}
 * (keys are the option names without dashes); flags override the file.
 */
@Command(
    name = "node",
    description = {
      "Run a rollup node: RollupService over gRPC, ingestion, journal, sequencer, batch building and an",
      "in-process prover. Restarting on the same --data-dir continues where the node stopped."
    })
final class NodeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with defaults for these options (key = option name without dashes).")
  Path configFile;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Node database and state tree.")
  Path dataDir;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(names = "--port", defaultValue = "50051", description = "gRPC port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--port-file", paramLabel = "FILE", description = "Write the bound port here once serving (for scripts and tests).")
  Path portFile;

  @Option(names = "--rollup-id", defaultValue = "1", description = "Rollup id signed messages name (default ${DEFAULT-VALUE}).")
  long rollupId;

  @Option(names = "--slots", defaultValue = "16", paramLabel = "B", description = "Slots per batch, ≥ 5 (default ${DEFAULT-VALUE}).")
  int slots;

  @Option(names = "--depth", defaultValue = "32", paramLabel = "D", description = "State tree depth, 1..32 (default ${DEFAULT-VALUE}).")
  int depth;

  @Option(names = "--fee", defaultValue = "0", description = "Batch fee every signed op pays (default ${DEFAULT-VALUE}).")
  BigInteger fee;

  @Option(names = "--operator", defaultValue = "0", description = "Account index credited with the fees (default ${DEFAULT-VALUE}).")
  long operator;

  @Option(names = "--operator-key", required = true, paramLabel = "HEX", description = "The operator account's public key (32 bytes, hex).")
  String operatorKey;

  @Option(names = "--genesis", paramLabel = "FILE", description = "Accounts to create at first start: lines '<index> <public key hex> <amount>'.")
  Path genesisFile;

  @Option(names = "--seal-after-ms", defaultValue = "1000", description = "Seal a batch that has waited this long, padding it (default ${DEFAULT-VALUE}).")
  long sealAfterMillis;

  @Option(names = "--ring-size", defaultValue = "4096", description = "Ingestion ring slots, a power of two (default ${DEFAULT-VALUE}).")
  int ringSize;

  @Option(names = "--verifiers", description = "Parallel signature verifiers (default: the number of CPUs).")
  Integer verifiers;

  @Option(names = "--max-list", defaultValue = "1024", description = "Most transactions in one atomic list (default ${DEFAULT-VALUE}).")
  int maxListSize;

  @Option(names = "--sealer-queue", defaultValue = "64", description = "Closed batches that may wait for building (default ${DEFAULT-VALUE}).")
  int sealerQueue;

  @Option(names = "--prover", defaultValue = "groth16", description = "In-process prover: groth16, plonk or none (default ${DEFAULT-VALUE}).")
  String prover;

  @Option(names = "--keys", paramLabel = "DIR", description = "Prover key directory, set up there if missing (default: DATA-DIR/keys-SYSTEM-bB-dD).")
  Path keyDir;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    Poseidon2 poseidon2 = new Poseidon2();
    EdDsaPublicKey opKey = EdDsaPublicKey.fromBytes(HexFormat.of().parseHex(operatorKey.startsWith("0x") ? operatorKey.substring(2) : operatorKey));
    List<Deposit> genesis = genesisFile == null ? List.of() : GenesisFile.read(genesisFile, poseidon2);
    Optional<ProofSystem> system = prover.equals("none") ? Optional.empty() : Optional.of(ProofSystem.parse(prover));
    Path keys = keyDir != null ? keyDir : dataDir.resolve("keys-" + prover + "-b" + slots + "-d" + depth);
    NodeConfig config =
        new NodeConfig(
            dataDir, rollupId, slots, depth, fee, operator, GenesisFile.keyHash(poseidon2, opKey), genesis, sealAfterMillis, ringSize,
            verifiers != null ? verifiers : Runtime.getRuntime().availableProcessors(), maxListSize, sealerQueue, system, keys);
    LibZkProver lib = LibZkProver.load();
    RollupNode node = RollupNode.start(config);
    NodeServer server;
    try {
      server = NodeServer.start(node, host, port, ZkRollupCli.version(), lib.versions());
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  node.close();
                  stopped.countDown();
                },
                "node-shutdown"));
    if (portFile != null) {
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(server.port()), StandardCharsets.US_ASCII);
      Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    out.printf("zkrollup node serving on %s:%d (rollup %d, B=%d, D=%d, prover %s, data %s)%n", host, server.port(), rollupId, slots, depth, prover, dataDir);
    out.flush();
    stopped.await();
    return 0;
  }
}
