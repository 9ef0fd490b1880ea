package io.zkrollup.aggregator.l1.dev;

import io.zkrollup.prover.Verifier;
import io.zkrollup.statetree.field.Fr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.utils.Numeric;

/**
 * The development L1 of {@code zkrollup node --l1-dev} and {@code zkrollup quickstart}: a {@link
 * LocalAnvil} with the real Rollup.sol and the verifier of the node's keys, deployed from anvil's
 * first dev account, which also signs the node's commits. It lives in one directory: anvil's state
 * file (so a restart finds the same chain), the deployment, the signing key file and the logs.
 */
public final class DevL1 implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(DevL1.class.getName());

  private final LocalAnvil anvil;
  private final RollupDeployment deployment;
  private final Path operatorKeyFile;

  private DevL1(LocalAnvil anvil, RollupDeployment deployment, Path operatorKeyFile) {
    this.anvil = anvil;
    this.deployment = deployment;
    this.operatorKeyFile = operatorKeyFile;
  }

  /**
   * Starts anvil in {@code dir} and deploys the contracts for {@code keys} there, or, if {@code
   * dir} holds a chain from before with its deployment, starts that chain again.
   *
   * @param persistent whether the chain is kept in {@code dir} across restarts
   */
  public static DevL1 start(Path dir, ContractsDir contracts, Verifier keys, Fr operatorKeyHash, boolean persistent)
      throws IOException, InterruptedException, TransactionException {
    Files.createDirectories(dir);
    Path recorded = dir.resolve("deployment.properties");
    Path state = dir.resolve("anvil-state.json");
    if (!persistent || !Files.exists(state)) {
      Files.deleteIfExists(recorded);
    }
    LocalAnvil anvil = LocalAnvil.start(contracts, dir.resolve("anvil.log"), persistent ? Optional.of(state) : Optional.empty(), Duration.ofSeconds(60));
    try {
      Credentials operator = LocalAnvil.devAccount(0);
      Path keyFile = dir.resolve("operator-l1.key");
      Files.deleteIfExists(keyFile);
      Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(keyFile, Numeric.toHexStringNoPrefixZeroPadded(operator.getEcKeyPair().getPrivateKey(), 64) + "\n", StandardCharsets.US_ASCII);
      RollupDeployment deployment;
      if (Files.exists(recorded)) {
        deployment = RollupDeployment.load(recorded, anvil.url());
        if (deployment.slots() != keys.slots() || deployment.depth() != keys.depth() || !deployment.operatorKeyHash().equals(operatorKeyHash)) {
          throw new IllegalStateException("the development L1 in " + dir + " was deployed for another rollup (" + deployment + ")");
        }
        LOG.info(() -> "dev L1: " + anvil + ", Rollup " + deployment.rollup() + " from before");
      } else {
        deployment = new RollupDeployer(anvil.web3(), operator, anvil.chainId()).deploy(keys, new SolidityCompiler(contracts), dir.resolve("verifier"), anvil.url(), operatorKeyHash);
        deployment.save(recorded);
        LOG.info(() -> "dev L1: " + anvil + ", Rollup deployed at " + deployment.rollup());
      }
      return new DevL1(anvil, deployment, keyFile);
    } catch (IOException | RuntimeException | TransactionException e) {
      anvil.close();
      throw e;
    }
  }

  /** The chain. */
  public LocalAnvil anvil() {
    return anvil;
  }

  /** The contracts on it. */
  public RollupDeployment deployment() {
    return deployment;
  }

  /** The file holding the key that signs the node's commits (anvil's dev account 0). */
  public Path operatorKeyFile() {
    return operatorKeyFile;
  }

  /** Stops anvil (which writes its state file, if it keeps one). */
  @Override
  public void close() {
    anvil.close();
  }
}
