package io.zkrollup.aggregator.cli;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.zkrollup.aggregator.metrics.MetricsEndpoint;
import io.zkrollup.prover.cluster.CircuitIdentity;
import io.zkrollup.prover.gnark.GnarkProver;
import io.zkrollup.prover.nativebridge.LibZkProver;
import io.zkrollup.prover.worker.ProverWorker;
import io.zkrollup.prover.worker.WorkerMetrics;
import io.zkrollup.prover.worker.WorkerSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zkrollup worker --coordinator HOST:PORT --keys DIR [--worker-id ID] [--tls-ca FILE
 * [--tls-cert FILE --tls-key FILE]] [--metrics-host HOST] [--metrics-port PORT] [--lease-wait-ms
 * MS] [--drain-timeout-s S] [--gpu] [--config FILE]}: a prover worker that leases batches from a
 * node's ProverCoordinator and proves them with the keys in DIR, until SIGTERM or SIGINT.
 *
 * <p>On start it prints one line, {@code zkrollup worker <id> proving <identity> for <target>}, and,
 * with metrics on, a second, {@code zkrollup worker metrics on http://HOST:PORT/metrics}. On SIGTERM
 * it drains (see {@link ProverWorker#close()}) and exits with status 0. Every option can also come
 * from a properties file given with {@code --config} (keys are the option names without dashes);
 * flags override the file.
 */
@Command(
    name = "worker",
    description = {
      "Run a prover worker: lease batches from a node's ProverCoordinator,",
      "prove them with the keys in --keys and submit the proofs. SIGTERM drains:",
      "a running prove gets --drain-timeout-s to finish and be submitted, else",
      "its lease is given back; then the worker exits with status 0."
    })
final class WorkerCommand implements Callable<Integer> {

  /** Exit status after an Error ended the worker (EX_SOFTWARE). */
  private static final int FATAL_EXIT = 70;


  /** Witnesses of large batches are tens of MiB; the default 4 MiB would refuse them. */
  private static final int MAX_INBOUND_BYTES = 256 << 20;

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with defaults for these options (key = option name without dashes).")
  Path configFile;

  @Option(names = "--coordinator", required = true, paramLabel = "HOST:PORT", description = "The node's ProverCoordinator address.")
  String coordinator;

  @Option(names = "--keys", required = true, paramLabel = "DIR", description = "Key directory (zkrollup circuit --setup DIR, or the node's keys).")
  Path keyDir;

  @Option(names = "--worker-id", paramLabel = "ID", description = "Name in every request, 1..128 printable ASCII (default: HOSTNAME-PID).")
  String workerId;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM CA certificate(s) to trust the coordinator with; enables TLS. Without it the connection is plaintext.")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM client certificate chain for mutual TLS (needs --tls-key and --tls-ca).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert.")
  Path tlsKey;

  @Mixin MetricsOptions metrics;

  @Option(names = "--lease-wait-ms", paramLabel = "MS", defaultValue = "5000", description = "Longest long poll for a job (default ${DEFAULT-VALUE}).")
  long leaseWaitMillis;

  @Option(names = "--drain-timeout-s", paramLabel = "S", defaultValue = "30", description = "On SIGTERM, how long a running prove may take to finish and be submitted (default ${DEFAULT-VALUE}).")
  long drainTimeoutSeconds;

  @Option(names = "--exit-with-parent", hidden = true, paramLabel = "PID", description = "Stop (draining) when process PID is gone: set by a node for its local workers.")
  Long parentPid;

  @Option(names = "--gpu", description = "Prove Groth16 on the GPU (ICICLE); needs libzkprover built with the icicle tag (native/README.md).")
  boolean gpu;

  @Override
  public Integer call() throws InterruptedException {
    WorkerSettings settings = settings();
    ChannelCredentials credentials = credentials();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (tlsCa == null && !onLoopback(coordinator)) {
      err.println("warning: no --tls-ca: talking to the coordinator in plaintext, unauthenticated");
      err.flush();
    }
    // The keys are loaded once and shared by every job; they live as long as the process.
    LibZkProver lib = LibZkProver.load();
    if (gpu && !lib.versions().gpuProvingCompiledIn()) {
      throw new ParameterException(spec.commandLine(), "--gpu: this libzkprover was built without GPU proving (build native/ with the icicle tag; native/README.md)");
    }
    GnarkProver prover = GnarkProver.load(lib, keyDir);
    if (gpu) {
      prover.useGpu();
    }
    CircuitIdentity identity = CircuitIdentity.of(keyDir, prover.system(), prover.slots(), prover.depth(), prover.dataAvailability());
    WorkerMetrics workerMetrics = new WorkerMetrics(settings.workerId(), identity, gpu);
    MetricsEndpoint endpoint = metrics.enabled() ? MetricsEndpoint.start(metrics.host, metrics.port, workerMetrics.registry()) : null;
    ManagedChannel channel = channel(coordinator, credentials);
    ProverWorker worker = new ProverWorker(channel, prover, identity, settings, workerMetrics);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  channel.shutdown();
                  try {
                    channel.awaitTermination(2, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  channel.shutdownNow();
                  if (endpoint != null) {
                    endpoint.close();
                  }
                  stopped.countDown();
                  out.flush();
                  err.flush();
                  // A drained stop is a success; without halt the JVM would exit 143 for SIGTERM.
                  // The prover is not closed: after a drain timeout native code may still use it.
                  Runtime.getRuntime().halt(0);
                },
                "worker-shutdown"));
    // An Error (out of memory, say) would end the worker's loop and leave an idle process up; exit
    // instead, so that a supervisor starts a fresh one (the lease expires meanwhile).
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          err.println("fatal: " + e + " in thread " + thread.getName() + "; exiting");
          err.flush();
          Runtime.getRuntime().halt(FATAL_EXIT);
        });
    worker.start();
    if (parentPid != null) {
      exitWithParent(parentPid);
    }
    out.printf("zkrollup worker %s proving %s for %s%n", settings.workerId(), identity, coordinator);
    if (endpoint != null) {
      out.printf("zkrollup worker metrics on http://%s:%d/metrics%n", metrics.host, endpoint.port());
    }
    out.flush();
    stopped.await();
    return 0;
  }

  /**
   * A node's local worker outlives a node killed with SIGKILL (nothing signals it), and would poll
   * a dead port for ever: it watches the node instead and stops, through the draining shutdown hook,
   * once the node is gone.
   */
  private static void exitWithParent(long pid) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                  Thread.sleep(1_000);
                }
              } catch (InterruptedException e) {
                return;
              }
              System.exit(0);
            },
            "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private WorkerSettings settings() {
    String id = workerId != null ? workerId : defaultWorkerId();
    if (leaseWaitMillis < 1 || leaseWaitMillis > 0xffff_ffffL) {
      throw new ParameterException(spec.commandLine(), "--lease-wait-ms must be 1.." + 0xffff_ffffL + ", got " + leaseWaitMillis);
    }
    if (drainTimeoutSeconds < 0) {
      throw new ParameterException(spec.commandLine(), "--drain-timeout-s must be ≥ 0, got " + drainTimeoutSeconds);
    }
    if (metrics.port < -1 || metrics.port > 65_535) {
      throw new ParameterException(spec.commandLine(), "--metrics-port must be -1 (off) or 0..65535, got " + metrics.port);
    }
    int colon = coordinator.lastIndexOf(':');
    if (colon <= 0 || !coordinator.substring(colon + 1).matches("[0-9]{1,5}")) {
      throw new ParameterException(spec.commandLine(), "--coordinator must be HOST:PORT, got '" + coordinator + "'");
    }
    try {
      return WorkerSettings.defaults(id, gpu).withLeaseWait(Duration.ofMillis(leaseWaitMillis)).withDrainTimeout(Duration.ofSeconds(drainTimeoutSeconds));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private ChannelCredentials credentials() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together: give both for mutual TLS, or neither");
    }
    if (tlsCert != null && tlsCa == null) {
      throw new ParameterException(spec.commandLine(), "--tls-cert needs --tls-ca: a client certificate is only sent over TLS");
    }
    try {
      return credentials(tlsCa, tlsCert, tlsKey);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot read the TLS files: " + e.getMessage(), e);
    }
  }

  /**
   * Plaintext without {@code ca}; TLS trusting the PEM certificates in {@code ca}; mutual TLS when
   * {@code cert} and {@code key} (PEM, PKCS#8) are given too.
   */
  static ChannelCredentials credentials(Path ca, Path cert, Path key) throws IOException {
    if (ca == null) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder().trustManager(ca.toFile());
    if (cert != null) {
      tls.keyManager(cert.toFile(), key.toFile());
    }
    return tls.build();
  }

  /** The channel to the coordinator at {@code target} (HOST:PORT); it reconnects by itself. */
  static ManagedChannel channel(String target, ChannelCredentials credentials) {
    return Grpc.newChannelBuilder(target, credentials).maxInboundMessageSize(MAX_INBOUND_BYTES).build();
  }

  /** Whether HOST:PORT names this machine's loopback (a node's own workers): plaintext there is fine. */
  static boolean onLoopback(String target) {
    String host = target.substring(0, target.lastIndexOf(':'));
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  private static String defaultWorkerId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "worker";
      }
    }
    String printable = host.replaceAll("[^\\x21-\\x7e]", "_");
    return (printable.length() > 100 ? printable.substring(0, 100) : printable) + "-" + ProcessHandle.current().pid();
  }
}
