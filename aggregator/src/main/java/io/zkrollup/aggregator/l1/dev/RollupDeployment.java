package io.zkrollup.aggregator.l1.dev;

import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * What a deployment of the verifier and Rollup.sol made, and what a node needs to use it.
 *
 * @param rpc the JSON-RPC endpoint it was deployed through
 * @param chainId the chain
 * @param verifier the verifier contract's address
 * @param rollup the Rollup contract's address
 * @param deploymentBlock the block of the Rollup deployment (deposit events are read from there)
 * @param rollupId the rollup id the contract derived from the chain id and its address (read from it)
 * @param slots B
 * @param depth D (its empty tree's root is the genesis root)
 * @param mode rollup or validium
 * @param priorityDeadline blocks a priority request may wait before anyone may start exodus
 * @param genesisRoot the contract's state root before the first batch
 * @param operatorKeyHash the operator's key hash (request 0 is its deposit of 0 wei)
 * @param operatorOwner the L1 address that deployed, owner of the operator's account
 */
public record RollupDeployment(
    URI rpc,
    long chainId,
    String verifier,
    String rollup,
    long deploymentBlock,
    long rollupId,
    int slots,
    int depth,
    DataAvailability mode,
    long priorityDeadline,
    Fr genesisRoot,
    Fr operatorKeyHash,
    String operatorOwner) {

  /** Checks for nulls. */
  public RollupDeployment {
    Objects.requireNonNull(rpc, "rpc");
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(rollup, "rollup");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(genesisRoot, "genesisRoot");
    Objects.requireNonNull(operatorKeyHash, "operatorKeyHash");
    Objects.requireNonNull(operatorOwner, "operatorOwner");
  }

  /**
   * A properties file for {@code zkrollup node --config FILE} (keys are the node's option names):
   * the rollup's fixed parameters and the L1 options, with the key directory, the operator's
   * public key and the file holding the L1 signing key. Not the rollup id: the node reads it from
   * the contract, so a file cannot name another one (it is in a comment, for people).
   */
  public String nodeConfig(Path keys, String operatorKeyHex, Path l1KeyFile) {
    return String.join(
        "\n",
        "# zkrollup node configuration for the Rollup contract " + rollup + " on chain " + chainId + ", written by `zkrollup deploy`.",
        "# Use: java -jar aggregator/target/zkrollup.jar node --config THIS-FILE --data-dir DIR (flags on the command line win).",
        "# rollup id " + rollupId + ": derived by the contract from chain " + chainId + " and its address; the node reads it from the contract.",
        "slots=" + slots,
        "depth=" + depth,
        "data-availability=" + mode.label(),
        "prover=groth16",
        "keys=" + keys.toAbsolutePath().normalize(),
        "operator-key=" + operatorKeyHex,
        "l1-rpc=" + rpc,
        "l1-contract=" + rollup,
        "l1-key-file=" + l1KeyFile.toAbsolutePath().normalize(),
        "l1-chain-id=" + chainId,
        "l1-from-block=" + deploymentBlock,
        "");
  }

  /** Writes this deployment to {@code file} (for a development chain that outlives the node). */
  public void save(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("rpc", rpc.toString());
    p.setProperty("chainId", Long.toString(chainId));
    p.setProperty("verifier", verifier);
    p.setProperty("rollup", rollup);
    p.setProperty("deploymentBlock", Long.toString(deploymentBlock));
    p.setProperty("rollupId", Long.toString(rollupId));
    p.setProperty("slots", Integer.toString(slots));
    p.setProperty("depth", Integer.toString(depth));
    p.setProperty("mode", mode.label());
    p.setProperty("priorityDeadline", Long.toString(priorityDeadline));
    p.setProperty("operatorOwner", operatorOwner);
    p.setProperty("genesisRoot", genesisRoot.toBigInteger().toString(16));
    p.setProperty("operatorKeyHash", operatorKeyHash.toBigInteger().toString(16));
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, "Rollup deployment");
    }
  }

  /**
   * Reads a deployment {@link #save}d before, reached now through {@code rpc}.
   *
   * @throws IOException if it cannot be read, or was written for a Rollup.sol before protocol v2
   */
  public static RollupDeployment load(Path file, URI rpc) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    if (p.getProperty("priorityDeadline") == null || p.getProperty("operatorOwner") == null) {
      throw new IOException(file + " records a Rollup.sol of protocol v1 (no priority deadline); the node needs v2: remove " + file.getParent() + " to deploy afresh");
    }
    return new RollupDeployment(
        rpc,
        Long.parseLong(p.getProperty("chainId")),
        p.getProperty("verifier"),
        p.getProperty("rollup"),
        Long.parseLong(p.getProperty("deploymentBlock")),
        Long.parseLong(p.getProperty("rollupId")),
        Integer.parseInt(p.getProperty("slots")),
        Integer.parseInt(p.getProperty("depth")),
        DataAvailability.ofLabel(p.getProperty("mode")),
        Long.parseLong(p.getProperty("priorityDeadline")),
        Fr.of(new BigInteger(p.getProperty("genesisRoot"), 16)),
        Fr.of(new BigInteger(p.getProperty("operatorKeyHash"), 16)),
        p.getProperty("operatorOwner"));
  }
}
