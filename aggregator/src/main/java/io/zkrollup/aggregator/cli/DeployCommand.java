package io.zkrollup.aggregator.cli;

import io.zkrollup.aggregator.l1.Web3jRollupContract;
import io.zkrollup.aggregator.l1.dev.ContractsDir;
import io.zkrollup.aggregator.l1.dev.RollupDeployer;
import io.zkrollup.aggregator.l1.dev.RollupDeployment;
import io.zkrollup.aggregator.l1.dev.SolidityCompiler;
import io.zkrollup.aggregator.node.GenesisFile;
import io.zkrollup.aggregator.node.KeyTrust;
import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.gnark.GnarkVerifier;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.nativebridge.NativeProverException;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup deploy --keys DIR --l1-rpc URL --l1-key-file FILE --operator-key HEX}: deploys the
 * verifier of a key directory and Rollup.sol to an Ethereum chain, and prints (and with {@code
 * --config-out} writes) what a node needs to run on them.
 */
@Command(
    name = "deploy",
    description = {
      "Deploy the L1 contracts for a key directory to an Ethereum JSON-RPC node: the Groth16 verifier gnark exports",
      "for the keys (compiled with the pinned solc-js in contracts/) and Rollup.sol. B, D and the data-availability",
      "mode come from the keys; the genesis root is the empty tree of depth D; the deploying L1 account owns the",
      "operator's account. Prints the addresses, chain id, deployment block, rollup id and genesis root; --config-out",
      "writes a properties file for `zkrollup node --config`. The rollup id is not chosen: Rollup.sol derives it from",
      "the chain id and its own address, so no two deployments share one."
    })
final class DeployCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--keys", required = true, paramLabel = "DIR", description = "Key directory (zkrollup setup, a ceremony's finalize, or a node's): Groth16 or PLONK.")
  Path keyDir;

  @Mixin L1Options l1;

  /** Only to say why it is gone, to scripts written when the deployer chose the rollup id. */
  @Option(names = "--rollup-id", hidden = true, paramLabel = "ID")
  Long rollupId;

  @Mixin OperatorKeyOption operatorKey;

  @Option(
      names = "--priority-deadline-blocks",
      defaultValue = "" + RollupDeployer.DEFAULT_PRIORITY_DEADLINE_BLOCKS,
      paramLabel = "N",
      description = "Blocks an L1 deposit or forced withdrawal may wait for a batch; after that anyone may stop the rollup (exodus) and users exit on L1 (default ${DEFAULT-VALUE}, a week of 12 s blocks).")
  long priorityDeadline;

  @Option(names = KeyTrust.INSECURE_FLAG, description = "Deploy keys from a single-party development setup anyway: anyone who ran that setup can forge proofs. Local and test chains only.")
  boolean insecureDevelopmentKeys;

  @Option(names = "--config-out", paramLabel = "FILE", description = "Write a node configuration (properties, for zkrollup node --config FILE) here.")
  Path configOut;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the verifier's source and compiler output go (default: a temporary directory).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (rollupId != null) {
      throw new ParameterException(
          spec.commandLine(), "--rollup-id is gone: Rollup.sol derives the rollup id from the chain id and its own address (deploy prints it), so it cannot be chosen");
    }
    l1.require(spec);
    URI rpc = l1.rpc;
    Path keyFile = l1.keyFile;
    Credentials deployer;
    try {
      deployer = Web3jRollupContract.readKeyFile(keyFile);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (priorityDeadline < 1) {
      throw new ParameterException(spec.commandLine(), "--priority-deadline-blocks must be ≥ 1, got " + priorityDeadline);
    }
    EdDsaPublicKey operator = operatorKey.key(spec);
    Fr operatorKeyHash = GenesisFile.keyHash(new Poseidon2(), operator);
    ContractsDir contracts = ContractsDir.locate();
    Path work = workDir != null ? workDir : Files.createTempDirectory("zkrollup-deploy");
    RollupDeployment d;
    try (GnarkVerifier keys = GnarkVerifier.load(LibZkProver.load(), keyDir)) {
      try {
        KeyTrust.requireTrustedForL1(keys.origin(), keyDir, insecureDevelopmentKeys);
      } catch (IllegalStateException e) {
        spec.commandLine().getErr().println("refused: " + e.getMessage());
        return 2;
      }
      Web3j web3 = Web3j.build(new HttpService(rpc.toString()));
      try {
        long chain = web3.ethChainId().send().getChainId().longValueExact();
        if (l1.chainId != null && l1.chainId != chain) {
          spec.commandLine().getErr().println("refused: " + rpc + " serves chain " + chain + ", not " + l1.chainId);
          return 2;
        }
        out.printf(Locale.ROOT, "deploying for %s keys B=%d, D=%d (%s) from %s on chain %d%n", keys.system().label(), keys.slots(), keys.depth(), keys.dataAvailability().label(), deployer.getAddress(), chain);
        out.printf("origin             %s%n", keys.origin().describe());
        out.flush();
        d = new RollupDeployer(web3, deployer, chain).deploy(keys, new SolidityCompiler(contracts), work, rpc, operatorKeyHash, priorityDeadline);
      } finally {
        web3.shutdown();
      }
    } catch (NativeProverException e) {
      spec.commandLine().getErr().println("rejected: " + e.getMessage());
      return 2;
    }
    out.printf("verifier           %s%n", d.verifier());
    out.printf("rollup             %s%n", d.rollup());
    out.printf("chain id           %d%n", d.chainId());
    out.printf("deployment block   %d%n", d.deploymentBlock());
    out.printf("rollup id          %d (derived by the contract from the chain id and its address)%n", d.rollupId());
    out.printf(Locale.ROOT, "slots, depth       B=%d, D=%d (%s)%n", d.slots(), d.depth(), d.mode().label());
    out.printf("genesis root       0x%064x%n", d.genesisRoot().toBigInteger());
    out.printf("operator key hash  0x%064x%n", d.operatorKeyHash().toBigInteger());
    out.printf("operator owner     %s%n", d.operatorOwner());
    out.printf("priority deadline  %d blocks%n", d.priorityDeadline());
    if (configOut != null) {
      Path parent = configOut.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      String hex = HexFormat.of().formatHex(operator.toBytes());
      Files.writeString(configOut, d.nodeConfig(keyDir, hex, keyFile), StandardCharsets.UTF_8);
      out.printf("node config        %s (zkrollup node --config %s --data-dir DIR)%n", configOut.toAbsolutePath(), configOut);
    }
    return 0;
  }
}
