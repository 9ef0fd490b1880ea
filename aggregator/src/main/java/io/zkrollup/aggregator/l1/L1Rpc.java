package io.zkrollup.aggregator.l1;

import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Objects;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.protocol.http.HttpService;

/**
 * One Ethereum JSON-RPC endpoint with bounded retries: an I/O failure or an error answer of the
 * node itself (a node that is behind, a rate limit) is retried with backoff ({@link L1Retries});
 * after the last try, or when the calling thread is interrupted, it is {@link
 * L1UnavailableException}. A revert is never retried: it is an answer.
 */
final class L1Rpc implements AutoCloseable {

  /** One JSON-RPC call, which may fail with an I/O error. */
  @FunctionalInterface
  interface Call<T> {
    T call() throws IOException;
  }

  private final URI endpoint;
  private final Web3j web3;
  private final L1Retries retries;
  private final Retry retry;

  L1Rpc(URI endpoint, L1Retries retries) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.retries = Objects.requireNonNull(retries, "retries");
    this.web3 = Web3j.build(new HttpService(endpoint.toString()));
    this.retry = retries.retry("l1-rpc", L1Rpc::retryable);
  }

  /** The web3j client (its calls are not retried by themselves: go through {@link #call}). */
  Web3j web3() {
    return web3;
  }

  URI endpoint() {
    return endpoint;
  }

  L1Retries retries() {
    return retries;
  }

  /** Whether {@code t} is worth another try: an I/O failure, unless the caller is closing. */
  static boolean retryable(Throwable t) {
    return (t instanceof IOException || t instanceof ClientConnectionException) && !interrupted(t);
  }

  private static boolean interrupted(Throwable t) {
    return (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException)) || Thread.currentThread().isInterrupted();
  }

  /**
   * Runs {@code call}, retrying I/O failures.
   *
   * @throws L1UnavailableException after the last try, or at once if the thread is interrupted
   */
  <T> T call(String what, Call<T> call) {
    CheckedSupplier<T> retried = Retry.decorateCheckedSupplier(retry, call::call);
    try {
      return retried.get();
    } catch (IOException | ClientConnectionException e) {
      if (interrupted(e)) {
        throw new L1UnavailableException(what + " interrupted", e); // closing: no more tries
      }
      throw new L1UnavailableException(what + " failed " + retries.attempts() + " times against " + endpoint + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(what + ": " + t, t);
    }
  }

  /** The head's block number. */
  long blockNumber() {
    return call("eth_blockNumber", () -> check(web3.ethBlockNumber().send()).getBlockNumber().longValueExact());
  }

  /** A JSON-RPC error answer as an IOException, so that it is retried. */
  static <R extends Response<?>> R check(R r) throws IOException {
    if (r.hasError()) {
      throw new IOException("RPC error " + r.getError().getCode() + ": " + r.getError().getMessage());
    }
    return r;
  }

  /** Sleeps, turning an interrupt into {@link L1UnavailableException} (the node is closing). */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new L1UnavailableException("interrupted", e);
    }
  }

  @Override
  public void close() {
    web3.shutdown();
  }
}
