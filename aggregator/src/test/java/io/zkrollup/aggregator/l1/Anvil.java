package io.zkrollup.aggregator.l1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * A local anvil chain for one test class: started on a free loopback port, ready once it answers
 * {@code eth_chainId}, stopped (with its process) by {@link #close()}.
 */
final class Anvil implements AutoCloseable {

  /** anvil's first dev account (derived from its default mnemonic; public knowledge, test only). */
  static final Credentials DEV_ACCOUNT =
      Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

  private final Process process;
  private final Path log;
  final Web3j web3;
  final long chainId;
  /** The JSON-RPC endpoint, for anvil's own methods ({@code anvil_setBalance}) that web3j lacks. */
  final String url;

  private Anvil(Process process, Path log, Web3j web3, long chainId, String url) {
    this.process = process;
    this.log = log;
    this.web3 = web3;
    this.chainId = chainId;
    this.url = url;
  }

  /**
   * Starts anvil and waits until it answers.
   *
   * @param binary the anvil executable ({@link Contracts#anvil()})
   * @param log file for anvil's output
   */
  static Anvil start(Path binary, Path log, Duration timeout) throws IOException, InterruptedException {
    int port = freePort();
    Process p =
        new ProcessBuilder(List.of(binary.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port), "--silent"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String url = "http://127.0.0.1:" + port;
    Web3j web3 = Web3j.build(new HttpService(url));
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        web3.shutdown();
        throw new IllegalStateException("anvil exited with status " + p.exitValue() + "; see " + log);
      }
      try {
        long chainId = web3.ethChainId().send().getChainId().longValueExact();
        return new Anvil(p, log, web3, chainId, url);
      } catch (IOException e) {
        last = e; // not listening yet
      }
      Thread.sleep(100);
    }
    web3.shutdown();
    p.destroyForcibly();
    throw new IllegalStateException("anvil did not answer eth_chainId within " + timeout + "; see " + log, last);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The receipt of a sent transaction; anvil mines each at once, so this polls only briefly. */
  TransactionReceipt mined(EthSendTransaction sent) throws IOException, InterruptedException {
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
  }

  @Override
  public String toString() {
    return "anvil pid " + process.pid() + " (log " + log + ")";
  }
}
