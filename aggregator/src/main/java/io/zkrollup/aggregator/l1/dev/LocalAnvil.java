package io.zkrollup.aggregator.l1.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A local development chain: the pinned anvil ({@link ContractsDir#anvil()}) as a child process on
 * a free loopback port, ready once it answers {@code eth_chainId}, stopped by {@link #close()} or,
 * failing that, when the JVM exits. Each transaction is mined at once (anvil's automine). With a
 * state file the chain survives a restart: anvil writes it on exit and loads it on start.
 */
public final class LocalAnvil implements AutoCloseable {

  /**
   * anvil's first dev accounts (its default mnemonic, indices 0 and 1: public knowledge, each
   * funded with 10,000 ETH on a fresh chain; never use them on a real chain).
   */
  private static final List<String> DEV_KEYS =
      List.of(
          "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
          "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
          "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
          "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");

  private final Process process;
  private final Path log;
  private final Web3j web3;
  private final long chainId;
  private final URI url;
  private final Thread onExit;

  private LocalAnvil(Process process, Path log, Web3j web3, long chainId, URI url) {
    this.process = process;
    this.log = log;
    this.web3 = web3;
    this.chainId = chainId;
    this.url = url;
    this.onExit = new Thread(process::destroy, "anvil-stop");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /** anvil's dev account {@code index} (0..3: the first of its default mnemonic's), funded on a fresh chain. */
  public static Credentials devAccount(int index) {
    return Credentials.create(DEV_KEYS.get(index));
  }

  /**
   * Starts anvil and waits until it answers.
   *
   * @param contracts where the anvil binary is installed
   * @param log file for anvil's output
   * @param stateFile where anvil keeps the chain across restarts, or empty for a chain in memory
   * @param timeout how long to wait for it to answer
   * @throws IllegalStateException if it exits or does not answer in time
   */
  public static LocalAnvil start(ContractsDir contracts, Path log, Optional<Path> stateFile, Duration timeout) throws IOException, InterruptedException {
    return start(contracts, log, stateFile, OptionalLong.empty(), timeout);
  }

  /**
   * A chain in memory with chain id {@code chainId} (anvil's {@code --chain-id}; its default is
   * 31337), logging to {@code log}, up within a minute: the same dev accounts and nonces on another
   * chain.
   */
  public static LocalAnvil start(ContractsDir contracts, Path log, long chainId) throws IOException, InterruptedException {
    return start(contracts, log, Optional.empty(), OptionalLong.of(chainId), Duration.ofSeconds(60));
  }

  private static LocalAnvil start(ContractsDir contracts, Path log, Optional<Path> stateFile, OptionalLong chain, Duration timeout) throws IOException, InterruptedException {
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of(contracts.anvil().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port), "--silent"));
    stateFile.ifPresent(f -> cmd.addAll(List.of("--state", f.toAbsolutePath().toString())));
    chain.ifPresent(id -> cmd.addAll(List.of("--chain-id", Long.toString(id))));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    URI url = URI.create("http://127.0.0.1:" + port);
    Web3j web3 = Web3j.build(new HttpService(url.toString()));
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    try {
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IllegalStateException("anvil exited with status " + p.exitValue() + "; see " + log);
        }
        try {
          long chainId = web3.ethChainId().send().getChainId().longValueExact();
          return new LocalAnvil(p, log, web3, chainId, url);
        } catch (IOException e) {
          last = e; // not listening yet
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException("anvil did not answer eth_chainId within " + timeout + "; see " + log, last);
    } catch (RuntimeException | InterruptedException e) {
      web3.shutdown();
      p.destroyForcibly();
      throw e;
    }
  }

  /** A chain in memory, logging to {@code log}, up within a minute. */
  public static LocalAnvil start(ContractsDir contracts, Path log) throws IOException, InterruptedException {
    return start(contracts, log, Optional.empty(), Duration.ofSeconds(60));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON-RPC endpoint. */
  public URI url() {
    return url;
  }

  /** The chain id (31337 unless configured otherwise). */
  public long chainId() {
    return chainId;
  }

  /** A web3j client of this chain (closed with it). */
  public Web3j web3() {
    return web3;
  }

  /** Calls one of anvil's own methods ({@code anvil_setBalance}, {@code evm_mine}, …) that web3j lacks. */
  public void call(String method, Object... params) throws IOException {
    Response<?> r = new Request<>(method, List.of(params), new HttpService(url.toString()), VoidResponse.class).send();
    if (r.hasError()) {
      throw new IOException(method + ": " + r.getError().getMessage());
    }
  }

  /**
   * Records the chain's state ({@code evm_snapshot}), for {@link #revert}: a test that needs a
   * contract at the same address again (the same deployer nonce) goes back to before it.
   *
   * @return the snapshot's id
   */
  public String snapshot() throws IOException {
    Response<?> r = new Request<>("evm_snapshot", List.of(), new HttpService(url.toString()), AnyResponse.class).send();
    if (r.hasError() || r.getResult() == null) {
      throw new IOException("evm_snapshot: " + (r.hasError() ? r.getError().getMessage() : "no id"));
    }
    return r.getResult().toString();
  }

  /** Returns the chain to {@code snapshot} ({@code evm_revert}); anvil drops it then, so take another to return again. */
  public void revert(String snapshot) throws IOException {
    Response<?> r = new Request<>("evm_revert", List.of(snapshot), new HttpService(url.toString()), AnyResponse.class).send();
    if (r.hasError() || !Boolean.TRUE.equals(r.getResult())) {
      throw new IOException("evm_revert " + snapshot + ": " + (r.hasError() ? r.getError().getMessage() : "refused"));
    }
  }

  /** A JSON-RPC answer whose result is whatever JSON it is (a snapshot id, a boolean). */
  public static final class AnyResponse extends Response<Object> {}

  /** Sets the balance of {@code address} to {@code wei} ({@code anvil_setBalance}). */
  public void setBalance(String address, BigInteger wei) throws IOException {
    call("anvil_setBalance", address, Numeric.toHexStringWithPrefix(wei));
  }

  /** The receipt of a sent transaction; anvil mines it at once, so this polls only briefly. */
  public TransactionReceipt mined(EthSendTransaction sent) throws IOException, InterruptedException {
    Objects.requireNonNull(sent, "sent");
    if (sent.hasError()) {
      throw new IllegalStateException("transaction refused: " + sent.getError().getMessage());
    }
    for (int i = 0; i < 100; i++) {
      Optional<TransactionReceipt> r = web3.ethGetTransactionReceipt(sent.getTransactionHash()).send().getTransactionReceipt();
      if (r.isPresent()) {
        return r.get();
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no receipt for " + sent.getTransactionHash() + " in " + this);
  }

  /** Stops anvil (SIGTERM, so that it writes its state file, then SIGKILL after 10 s). */
  @Override
  public void close() {
    web3.shutdown();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs anyway and finds anvil stopped
    }
  }

  @Override
  public String toString() {
    return "anvil pid " + process.pid() + " at " + url + " (log " + log + ")";
  }
}
