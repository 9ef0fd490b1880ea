package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.coordinator.JobCoordinator;
import io.zkrollup.aggregator.fault.CrashPoint;
import io.zkrollup.aggregator.grpc.ServerTls;
import io.zkrollup.aggregator.l1.RollupId;
import io.zkrollup.aggregator.l1.dev.ContractsDir;
import io.zkrollup.aggregator.l1.dev.DevL1;
import io.zkrollup.aggregator.l1.dev.RollupDeployment;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.KeyTrust;
import io.zkrollup.aggregator.node.L1Endpoint;
import io.zkrollup.aggregator.node.NodeConfig;
import io.zkrollup.aggregator.process.KeySetup;
import io.zkrollup.aggregator.process.LocalWorkers;
import io.zkrollup.aggregator.runtime.NodeRuntime;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkVerifier;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup node --data-dir DIR --operator-key HEX [options]}: runs a rollup node until
 * SIGTERM or SIGINT. Every option can also come from a properties file given with {@code --config}
 * (keys are the option names without dashes); flags override the file.
 */
@Command(
    name = "node",
    description = {
      "Run a rollup node: RollupService over gRPC, ingestion, journal, sequencer, batch building, and the",
      "prover coordinator with local workers and (with --coordinator-port) remote ones (zkrollup worker).",
      "Restarting on the same --data-dir continues where the node stopped."
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

  @Mixin BatchingOptions batching;

  @Option(
      names = "--data-availability",
      defaultValue = "rollup",
      paramLabel = "MODE",
      description = "rollup (all public data to L1) or validium (transfer data kept and served by this node; needs validium keys and a validium contract) (default ${DEFAULT-VALUE}).")
  String dataAvailability;

  @Option(names = "--operator", defaultValue = "0", description = "Account index of the operator's ETH account, credited with the ETH fees (default ${DEFAULT-VALUE}); its accounts of other tokens (same key and owner) get those tokens' fees.")
  long operator;

  @Mixin OperatorKeyOption operatorKey;

  @Option(names = "--genesis", paramLabel = "FILE", description = "Accounts to create at first start: lines '<index> <public key hex> <amount>'.")
  Path genesisFile;


  @Option(names = "--prover", defaultValue = "groth16", description = "Proof system: groth16, plonk or none (build batches, prove nothing) (default ${DEFAULT-VALUE}).")
  String prover;

  @Option(names = "--keys", paramLabel = "DIR", description = "Prover key directory, set up there if missing (default: DATA-DIR/keys-SYSTEM-bB-dD).")
  Path keyDir;

  @Option(names = "--local-workers", defaultValue = "1", description = "Prover worker processes the node starts and supervises on this machine (default ${DEFAULT-VALUE}; 0 leaves proving to remote workers).")
  int localWorkers;

  @Option(names = "--worker-jvm-option", paramLabel = "OPTION", description = "An option for each local worker's JVM, e.g. -Xmx8g (repeatable).")
  List<String> workerJvmOptions = new ArrayList<>();

  @Option(names = "--coordinator-host", defaultValue = "127.0.0.1", description = "Address the prover coordinator listens on (default ${DEFAULT-VALUE}).")
  String coordinatorHost;

  @Option(names = "--coordinator-port", defaultValue = "-1", description = "Serve the prover coordinator to remote workers on this port (default: not served; 0 picks a free one).")
  int coordinatorPort;

  @Option(names = "--coordinator-port-file", paramLabel = "FILE", description = "Write the coordinator's bound port here once serving.")
  Path coordinatorPortFile;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "The coordinator's certificate chain: workers connect with TLS.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The coordinator's private key (PKCS#8).")
  Path tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "PEM", description = "Mutual TLS: workers must present a certificate signed by this CA.")
  Path tlsClientCa;

  @Option(names = "--lease-ttl-ms", defaultValue = "30000", description = "A worker's lease ends this long after its last heartbeat (default ${DEFAULT-VALUE}).")
  long leaseTtlMillis;

  @Option(names = "--heartbeat-ms", defaultValue = "5000", description = "How often workers renew their lease (default ${DEFAULT-VALUE}).")
  long heartbeatMillis;

  @Option(names = "--max-attempts", defaultValue = "3", description = "Leases a batch may use before it is marked failed (default ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Mixin MetricsOptions metrics;

  // ---- L1 on Ethereum: the Rollup contract (contracts/src/Rollup.sol) over JSON-RPC (docs/l1.md).
  @Mixin L1Options l1Options;

  @Option(names = "--l1-contract", paramLabel = "0xADDR", description = "Address of the deployed Rollup contract.")
  String l1Contract;


  @Option(names = "--l1-confirmations", defaultValue = "1", paramLabel = "N", description = "Blocks a commit or a deposit needs, its own included (default ${DEFAULT-VALUE}).")
  int l1Confirmations;


  @Option(names = "--l1-poll-ms", defaultValue = "1000", description = "How often to poll L1 for deposits, blocks and receipts (default ${DEFAULT-VALUE}).")
  long l1PollMillis;

  @Option(names = "--l1-from-block", paramLabel = "N", description = "The Rollup contract's deployment block, where deposit events start (zkrollup deploy prints it; default: searched for).")
  Long l1FromBlock;

  @Option(
      names = "--l1-dev",
      description = {
        "Development L1: start a local anvil (contracts/node_modules) in DATA-DIR/l1-dev, deploy the verifier of the node's keys",
        "and Rollup.sol from anvil's first dev account, and run the node on it (not with --l1-rpc)."
      })
  boolean l1Dev;

  @Option(
      names = KeyTrust.INSECURE_FLAG,
      description = "Run on --l1-rpc with keys from a single-party development setup anyway: anyone who ran that setup can forge proofs. Local and test chains only.")
  boolean insecureDevelopmentKeys;

  // Crash tests only (docs/crash-test.md): hidden, so that no operator arms it by accident.
  @Option(names = "--crash-at", hidden = true, paramLabel = "POINT", defaultValue = "NONE", description = "Stop the thread that reaches POINT for good, for a crash test's SIGKILL.")
  CrashPoint crashAt;

  private Optional<L1Endpoint> ethereumL1() {
    if (!l1Options.given() && l1Contract == null) {
      return Optional.empty();
    }
    if (l1Dev) {
      throw new ParameterException(spec.commandLine(), "--l1-dev starts its own L1: it does not go with --l1-rpc, --l1-contract or --l1-key-file");
    }
    if (l1Options.rpc == null || l1Contract == null || l1Options.keyFile == null) {
      throw new ParameterException(spec.commandLine(), "--l1-rpc, --l1-contract and --l1-key-file go together");
    }
    try {
      return Optional.of(
          new L1Endpoint.Ethereum(l1Options.rpc, l1Contract, l1Options.keyFile, l1Options.chain(), l1PollMillis, l1Confirmations, fromBlock(), insecureDevelopmentKeys));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private OptionalLong fromBlock() {
    return l1FromBlock == null ? OptionalLong.empty() : OptionalLong.of(l1FromBlock);
  }

  /**
   * --l1-dev: anvil with the verifier of the node's keys (set up first if missing) and Rollup.sol,
   * kept in DATA-DIR/l1-dev so that a restart finds the same chain.
   */
  private DevL1 startDevL1(LibZkProver lib, Path keys, DataAvailability mode, Fr operatorKeyHash, PrintWriter out) throws Exception {
    ProofSystem system = ProofSystem.parse(prover);
    if (!Files.exists(keys.resolve("manifest.json"))) {
      out.printf("setting up %s %s development keys for B=%d, D=%d in %s (once, in a child process)%n", system.label(), mode.label(), batching.slots, batching.depth, keys);
      out.flush();
      KeySetup.ensure(keys, system, batching.slots, batching.depth, mode, line -> {});
    }
    try (GnarkVerifier loaded = GnarkVerifier.load(lib, keys)) {
      return DevL1.start(dataDir.resolve("l1-dev"), ContractsDir.locate(), loaded, operatorKeyHash, true);
    }
  }

  /**
   * The rollup id signed messages must name: on an L1 the contract's (Rollup.sol derives it from
   * the chain id and its address), which a {@code --rollup-id} given as well must equal; without
   * an L1, {@code --rollup-id} or its default.
   *
   * @throws IllegalStateException if the contract cannot be read as a Rollup on the expected chain,
   *     or {@code --rollup-id} names another id
   */
  private long rollupId(Optional<L1Endpoint> l1) {
    if (!(l1.orElse(null) instanceof L1Endpoint.Ethereum eth)) {
      return batching.rollupId();
    }
    long onL1 = RollupId.read(eth.rpc(), eth.contract(), eth.chainId());
    if (batching.rollupId != null && batching.rollupId != onL1) {
      throw new IllegalStateException(
          "--rollup-id "
              + Long.toUnsignedString(batching.rollupId)
              + " is not the rollup id of the contract at "
              + eth.contract()
              + ", "
              + Long.toUnsignedString(onL1)
              + " (Rollup.sol derives it from the chain id and its address): signatures for "
              + Long.toUnsignedString(batching.rollupId)
              + " would all be refused. Leave --rollup-id out (and out of the config file); the node takes the contract's");
    }
    return onL1;
  }
  // ---- end of the Ethereum L1 options

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Poseidon2 poseidon2 = new Poseidon2();
    List<Deposit> genesis;
    try {
      genesis = genesisFile == null ? List.of() : GenesisFile.read(genesisFile, poseidon2);
    } catch (IllegalArgumentException e) {
      // The file names the line; status 2 with that message, not a stack trace.
      throw new ParameterException(spec.commandLine(), "--genesis: " + e.getMessage());
    }
    Optional<ServerTls> tls = tls();
    DataAvailability mode;
    try {
      mode = DataAvailability.ofLabel(dataAvailability);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--data-availability: " + e.getMessage());
    }
    Path keys =
        keyDir != null
            ? keyDir
            : dataDir.resolve("keys-" + prover + "-b" + batching.slots + "-d" + batching.depth + (mode == DataAvailability.ROLLUP ? "" : "-" + mode.label()));
    Optional<NodeConfig.Proving> proving =
        prover.equals("none")
            ? Optional.empty()
            : Optional.of(
                new NodeConfig.Proving(
                    ProofSystem.parse(prover), keys, new JobCoordinator.Settings(leaseTtlMillis, heartbeatMillis, maxAttempts, 20_000)));
    if (proving.isEmpty() && coordinatorPort >= 0) {
      throw new ParameterException(spec.commandLine(), "--coordinator-port needs a prover (--prover groth16 or plonk)");
    }
    if (proving.isEmpty() && localWorkers > 0 && spec.commandLine().getParseResult().hasMatchedOption("--local-workers")) {
      throw new ParameterException(spec.commandLine(), "--local-workers needs a prover (--prover groth16 or plonk)");
    }
    Optional<L1Endpoint> l1 = ethereumL1();
    Fr operatorKeyHash = operatorKey.keyHash(spec, poseidon2);
    LibZkProver lib = LibZkProver.load();
    DevL1 devL1 = null;
    if (l1Dev) {
      devL1 = startDevL1(lib, keys, mode, operatorKeyHash, out);
      RollupDeployment d = devL1.deployment();
      // A development chain on this machine: development keys are what it is for.
      l1 = Optional.of(
          new L1Endpoint.Ethereum(d.rpc(), d.rollup(), devL1.operatorKeyFile(), OptionalLong.of(d.chainId()), l1PollMillis, l1Confirmations, OptionalLong.of(d.deploymentBlock()), true));
      out.printf("development L1: anvil at %s (chain %d), Rollup %s, verifier %s, deployed in block %d%n", d.rpc(), d.chainId(), d.rollup(), d.verifier(), d.deploymentBlock());
    }
    long rollupId;
    try {
      rollupId = rollupId(l1);
    } catch (IllegalStateException e) {
      if (devL1 != null) {
        devL1.close();
      }
      spec.commandLine().getErr().println("refused: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      if (devL1 != null) {
        devL1.close();
      }
      throw e;
    }
    NodeConfig config =
        batching
            .applyTo(NodeConfig.builder(dataDir, operatorKeyHash))
            .rollupId(rollupId)
            .operator(operator)
            .genesis(genesis)
            .proving(proving)
            .l1(l1)
            .dataAvailability(mode)
            .crashPoint(crashAt)
            .build();
    NodeRuntime.Settings settings =
        NodeRuntime.Settings.of(config, new NodeRuntime.Listen(host, port), ZkRollupCli.version())
            .withWorkers(LocalWorkers.Settings.of(proving.isPresent() ? localWorkers : 0, keys).withProcess(workerJvmOptions, Map.of()));
    if (coordinatorPort >= 0) {
      settings = settings.withCoordinator(new NodeRuntime.Listen(coordinatorHost, coordinatorPort), tls);
    }
    if (metrics.enabled()) {
      settings = settings.withMetrics(new NodeRuntime.Listen(metrics.host, metrics.port));
    }
    NodeRuntime runtime;
    try {
      runtime = NodeRuntime.start(settings, lib.versions());
    } catch (IllegalStateException e) {
      // The node refused to start on what it was given (keys, data directory, contract): say why.
      if (devL1 != null) {
        devL1.close();
      }
      spec.commandLine().getErr().println("refused: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      if (devL1 != null) {
        devL1.close();
      }
      throw e;
    }
    DevL1 dev = devL1;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runtime.close();
                  if (dev != null) {
                    dev.close();
                  }
                  stopped.countDown();
                },
                "node-shutdown"));
    out.printf("zkrollup node serving on %s:%d (rollup %s, B=%d, D=%d, prover %s, data %s)%n", host, runtime.apiPort(), Long.toUnsignedString(config.rollupId()), batching.slots, batching.depth, prover, dataDir);
    int workers = proving.isPresent() ? localWorkers : 0;
    if (proving.isPresent()) {
      out.printf("%d local prover worker process(es)%s%n", workers, workers == 0 ? " (proving is left to remote workers)" : "");
    }
    if (runtime.coordinatorPort().isPresent()) {
      out.printf(
          "prover coordinator on %s:%d (%s)%n",
          coordinatorHost, runtime.coordinatorPort().get(), tls.isEmpty() ? "plaintext" : tlsClientCa != null ? "mutual TLS" : "TLS");
    }
    if (runtime.metricsPort().isPresent()) {
      out.printf("metrics on http://%s:%d/metrics%n", metrics.host, runtime.metricsPort().get());
    }
    out.flush();
    // Port files last: a script that sees one can use every port.
    if (runtime.coordinatorPort().isPresent() && coordinatorPortFile != null) {
      writePortFile(coordinatorPortFile, runtime.coordinatorPort().get());
    }
    if (portFile != null) {
      writePortFile(portFile, runtime.apiPort());
    }
    stopped.await();
    return 0;
  }

  private Optional<ServerTls> tls() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
    }
    if (tlsCert == null) {
      if (tlsClientCa != null) {
        throw new ParameterException(spec.commandLine(), "--tls-client-ca needs --tls-cert and --tls-key");
      }
      return Optional.empty();
    }
    return Optional.of(new ServerTls(tlsCert, tlsKey, Optional.ofNullable(tlsClientCa)));
  }

  private static void writePortFile(Path file, int port) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(port), StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
