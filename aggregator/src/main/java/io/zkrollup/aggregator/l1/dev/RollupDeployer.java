package io.zkrollup.aggregator.l1.dev;

import io.zkrollup.aggregator.l1.contract.PlonkVerifierAdapter;
import io.zkrollup.aggregator.l1.contract.Rollup;
import io.zkrollup.circuits.batch.DataAvailability;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.Verifier;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Deploys the rollup's L1 contracts from one account: the verifier gnark exports for a key
 * directory (compiled at run time with the pinned solc-js), for PLONK keys the {@link
 * PlonkVerifierAdapter} in front of it, and Rollup.sol through its generated binding ({@link
 * Rollup#deploy}), with the constructor's seven arguments: the verifier, B, D, validium, the
 * priority deadline, the genesis root (the empty tree of depth D) and the operator's key hash. The
 * deploying account owns the operator's account (request 0). The rollup id is not an argument:
 * the contract derives it from the chain id and its address ({@link
 * io.zkrollup.aggregator.l1.RollupId}), and the deployment reads it back.
 */
public final class RollupDeployer {

  /**
   * The default priority deadline: 50,400 blocks, a week of 12-second Ethereum blocks. Long enough
   * that an operator outage of a few days (an L1 gas spike, a bad release) does not end the rollup
   * for good; short enough that users whose requests are ignored get their funds out within weeks.
   */
  public static final long DEFAULT_PRIORITY_DEADLINE_BLOCKS = 50_400;

  private final Web3j web3;
  private final Credentials deployer;
  private final long chainId;
  private final RawTransactionManager transactions;
  private final EstimatingGasProvider gas;

  /** Deploys from {@code deployer}'s account on chain {@code chainId}, through {@code web3}. */
  public RollupDeployer(Web3j web3, Credentials deployer, long chainId) {
    this.web3 = Objects.requireNonNull(web3, "web3");
    this.deployer = Objects.requireNonNull(deployer, "deployer");
    this.chainId = chainId;
    this.transactions = new RawTransactionManager(web3, deployer, chainId, new PollingTransactionReceiptProcessor(web3, 200, 1500));
    this.gas = new EstimatingGasProvider(web3, chainId);
  }

  /** The state root of an empty tree of depth {@code depth}: a new contract's genesis root. */
  public static Fr genesisRoot(int depth) {
    return new StateTree(new InMemoryTreeStore(depth), new Poseidon2(), 1).root();
  }

  /** {@link #deploy(Verifier, SolidityCompiler, Path, URI, Fr, long)} with the default priority deadline. */
  public RollupDeployment deploy(Verifier keys, SolidityCompiler compiler, Path work, URI rpc, Fr operatorKeyHash) throws IOException, TransactionException {
    return deploy(keys, compiler, work, rpc, operatorKeyHash, DEFAULT_PRIORITY_DEADLINE_BLOCKS);
  }

  /**
   * Exports, compiles and deploys the verifier of {@code keys} (Groth16 or PLONK), then deploys
   * Rollup.sol for them; the deployment records the rollup id the contract derived.
   *
   * @param work where the verifier's source and the compiler's output go
   * @param rpc the endpoint {@code web3} talks to (recorded in the deployment)
   * @param priorityDeadline blocks a priority request may wait before anyone may start exodus
   */
  public RollupDeployment deploy(Verifier keys, SolidityCompiler compiler, Path work, URI rpc, Fr operatorKeyHash, long priorityDeadline)
      throws IOException, TransactionException {
    Files.createDirectories(work);
    Path sol = work.resolve("Verifier.sol");
    Files.writeString(sol, keys.exportSolidity(), StandardCharsets.UTF_8);
    // gnark names the Groth16 contract Verifier and the PLONK one PlonkVerifier.
    String contract = keys.system() == ProofSystem.PLONK ? "PlonkVerifier" : "Verifier";
    SolidityCompiler.Compiled verifier = compiler.compile(work.resolve("build"), contract, sol);
    String verifierAddress = deployVerifier(verifier.bytecode());
    if (keys.system() == ProofSystem.PLONK) {
      verifierAddress = deployPlonkAdapter(verifierAddress);
    }
    Fr genesis = genesisRoot(keys.depth());
    Rollup rollup = deployRollup(verifierAddress, keys.slots(), keys.depth(), keys.dataAvailability(), priorityDeadline, genesis, operatorKeyHash);
    TransactionReceipt r = rollup.getTransactionReceipt().orElseThrow();
    long rollupId = rollupId(rollup);
    return new RollupDeployment(
        rpc, chainId, verifierAddress, rollup.getContractAddress(), r.getBlockNumber().longValueExact(), rollupId, keys.slots(), keys.depth(), keys.dataAvailability(),
        priorityDeadline, genesis, operatorKeyHash, deployer.getAddress());
  }

  /**
   * Deploys a contract's creation bytecode (the exported verifier, which has no binding); its address.
   *
   * @throws TransactionException if it is not mined, or mined and reverted
   */
  public String deployVerifier(String bytecode) throws IOException, TransactionException {
    Transaction estimate = Transaction.createContractTransaction(deployer.getAddress(), null, null, bytecode);
    EthSendTransaction sent =
        transactions.sendEIP1559Transaction(chainId, gas.getMaxPriorityFeePerGas(), gas.getMaxFeePerGas(), gas.getGasLimit(estimate), null, bytecode, BigInteger.ZERO, true);
    if (sent.hasError()) {
      throw new TransactionException("the verifier's deployment was refused: " + sent.getError().getMessage());
    }
    TransactionReceipt r = new PollingTransactionReceiptProcessor(web3, 200, 1500).waitForTransactionReceipt(sent.getTransactionHash());
    if (!r.isStatusOK() || r.getContractAddress() == null) {
      throw new TransactionException("the verifier's deployment " + r.getTransactionHash() + " reverted", r);
    }
    return r.getContractAddress();
  }

  /**
   * Deploys the adapter that gives gnark's PLONK verifier at {@code plonkVerifier} the interface
   * Rollup.sol calls; its address is the one Rollup.sol gets.
   */
  public String deployPlonkAdapter(String plonkVerifier) throws TransactionException {
    try {
      return PlonkVerifierAdapter.deploy(web3, transactions, gas, plonkVerifier).send().getContractAddress();
    } catch (TransactionException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("PlonkVerifierAdapter deployment failed: " + e.getMessage(), e);
    }
  }

  /**
   * Deploys Rollup.sol through its binding.
   *
   * @param depth D (1 … 32)
   * @param priorityDeadline blocks a priority request may wait before anyone may start exodus
   * @return the binding of the new contract, signing with the deployer's key
   * @throws TransactionException if the deployment reverts (e.g. KeyHashNotCanonical, DepthOutOfRange)
   */
  public Rollup deployRollup(String verifier, int slots, int depth, DataAvailability mode, long priorityDeadline, Fr genesisRoot, Fr operatorKeyHash)
      throws TransactionException {
    if (priorityDeadline < 0) {
      throw new IllegalArgumentException("the priority deadline is a number of blocks ≥ 0, got " + priorityDeadline);
    }
    try {
      return Rollup.deploy(
              web3, transactions, gas, verifier, BigInteger.valueOf(slots), BigInteger.valueOf(depth), mode == DataAvailability.VALIDIUM,
              BigInteger.valueOf(priorityDeadline), genesisRoot.toBigInteger(), operatorKeyHash.toBytes())
          .send();
    } catch (TransactionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Rollup deployment failed: " + e.getMessage(), e);
    }
  }

  /** The rollup id the contract at {@code rollup} derived at deployment (its {@code rollupId()}). */
  private static long rollupId(Rollup rollup) {
    try {
      return rollup.rollupId().send().longValueExact();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read rollupId() of the new Rollup at " + rollup.getContractAddress() + ": " + e.getMessage(), e);
    }
  }
}
