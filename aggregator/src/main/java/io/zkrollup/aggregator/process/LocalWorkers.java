package io.zkrollup.aggregator.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's own prover workers: {@code zkrollup worker} child processes that lease jobs from the
 * coordinator on its loopback port, exactly as remote workers do. The node supervises them: one
 * that dies (a Go fatal error while proving, running out of memory, a signal) is started again after
 * a backoff, and its batch goes back to the queue when its lease expires; {@link #close} stops them
 * all (each finishes or gives back its job, then exits). A worker also exits by itself when the
 * node's process is gone, so a node killed with SIGKILL leaves no prover behind.
 */
public final class LocalWorkers implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LocalWorkers.class.getName());

  /** A worker that ran this long before it died is restarted without waiting longer each time. */
  private static final Duration HEALTHY_RUN = Duration.ofMinutes(1);

  /** One log line per record in the child: its lines are relayed into the node's log. */
  private static final String CHILD_LOG_FORMAT = "-Djava.util.logging.SimpleFormatter.format=%4$s: %5$s%6$s%n";

  /**
   * How the node runs its workers.
   *
   * @param count how many workers (0: none; proving is left to remote workers)
   * @param keyDir the key directory the workers prove with (the node's)
   * @param jvmOptions options for each worker's JVM (e.g. {@code -Xmx8g})
   * @param environment variables added to each worker's environment
   * @param drainTimeout how long a stopping worker may take to finish its proof
   * @param firstRestartDelay the wait before restarting a worker that died; doubles per quick death
   * @param maxRestartDelay the longest such wait
   */
  public record Settings(
      int count, Path keyDir, List<String> jvmOptions, Map<String, String> environment, Duration drainTimeout, Duration firstRestartDelay, Duration maxRestartDelay) {

    /** Checks the values and copies the collections. */
    public Settings {
      Objects.requireNonNull(keyDir, "keyDir");
      jvmOptions = List.copyOf(jvmOptions);
      environment = Map.copyOf(environment);
      Objects.requireNonNull(drainTimeout, "drainTimeout");
      if (count < 0) {
        throw new IllegalArgumentException("local workers must be ≥ 0, got " + count);
      }
      if (firstRestartDelay.isNegative() || maxRestartDelay.compareTo(firstRestartDelay) < 0) {
        throw new IllegalArgumentException("restart delays must be 0 ≤ first ≤ max, got " + firstRestartDelay + ", " + maxRestartDelay);
      }
    }

    /** {@code count} workers on {@code keyDir}: default JVM, 10 s drain, restarts after 1 s doubling to 30 s. */
    public static Settings of(int count, Path keyDir) {
      return new Settings(count, keyDir, List.of(), Map.of(), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** These settings with other JVM options and environment for the workers. */
    public Settings withProcess(List<String> options, Map<String, String> env) {
      return new Settings(count, keyDir, options, env, drainTimeout, firstRestartDelay, maxRestartDelay);
    }

    /** These settings with other restart delays. */
    public Settings withRestartDelays(Duration first, Duration max) {
      return new Settings(count, keyDir, jvmOptions, environment, drainTimeout, first, max);
    }
  }

  private final List<Supervisor> supervisors = new ArrayList<>();
  private final AtomicLong restarts = new AtomicLong();

  private LocalWorkers() {}

  /**
   * Starts the workers, proving for the coordinator at {@code coordinator} (HOST:PORT, plaintext
   * loopback).
   *
   * @param name names the workers: {@code name-0}, {@code name-1}, …
   */
  public static LocalWorkers start(Settings settings, String coordinator, String name) {
    LocalWorkers workers = new LocalWorkers();
    for (int i = 0; i < settings.count(); i++) {
      Supervisor s = workers.new Supervisor(settings, coordinator, name + "-" + i);
      workers.supervisors.add(s);
      s.thread.start();
    }
    return workers;
  }

  /** Worker processes running now. */
  public int alive() {
    return (int) supervisors.stream().filter(Supervisor::running).count();
  }

  /** How many times a worker died and was started again. */
  public long restarts() {
    return restarts.get();
  }

  /** The process ids of the workers running now (tests kill one). */
  public List<Long> pids() {
    List<Long> out = new ArrayList<>();
    for (Supervisor s : supervisors) {
      Process p = s.process;
      if (p != null && p.isAlive()) {
        out.add(p.pid());
      }
    }
    return out;
  }

  /**
   * Stops every worker: SIGTERM, which lets each finish its proof within the drain timeout or give
   * its job back, then waits; a worker still up after that is killed.
   */
  @Override
  public void close() {
    for (Supervisor s : supervisors) {
      s.stop();
    }
    for (Supervisor s : supervisors) {
      s.await();
    }
  }

  /** Runs one worker process after another in its own thread until stopped. */
  private final class Supervisor {
    private final Settings settings;
    private final String coordinator;
    private final String id;
    private final Thread thread;
    private volatile Process process;
    private volatile boolean stopping;

    Supervisor(Settings settings, String coordinator, String id) {
      this.settings = settings;
      this.coordinator = coordinator;
      this.id = id;
      this.thread = new Thread(this::run, "worker-supervisor-" + id);
      this.thread.setDaemon(true);
    }

    boolean running() {
      Process p = process;
      return p != null && p.isAlive();
    }

    private void run() {
      long delayMillis = settings.firstRestartDelay().toMillis();
      while (!stopping) {
        long started = System.nanoTime();
        int status;
        try {
          status = runOnce();
        } catch (IOException e) {
          LOG.log(Level.SEVERE, "cannot start prover worker " + id, e);
          status = -1;
        } catch (InterruptedException e) {
          return;
        }
        if (stopping) {
          return;
        }
        if (System.nanoTime() - started > HEALTHY_RUN.toNanos()) {
          delayMillis = settings.firstRestartDelay().toMillis();
        }
        long wait = delayMillis / 2 + ThreadLocalRandom.current().nextLong(delayMillis / 2 + 1);
        final int s = status;
        LOG.warning(() -> "prover worker " + id + " exited with status " + s + "; starting it again in " + wait + " ms");
        restarts.incrementAndGet();
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
        delayMillis = Math.min(settings.maxRestartDelay().toMillis(), Math.max(1, delayMillis * 2));
      }
    }

    /** Starts the worker, relays its output into the log, and returns its exit status. */
    private int runOnce() throws IOException, InterruptedException {
      List<String> jvm = new ArrayList<>();
      jvm.add(CHILD_LOG_FORMAT);
      jvm.addAll(settings.jvmOptions());
      List<String> args =
          List.of(
              "worker",
              "--coordinator", coordinator,
              "--keys", settings.keyDir().toAbsolutePath().toString(),
              "--worker-id", id,
              "--lease-wait-ms", "2000",
              "--drain-timeout-s", Long.toString(settings.drainTimeout().toSeconds()),
              "--exit-with-parent", Long.toString(ProcessHandle.current().pid()));
      ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(jvm, args)).redirectErrorStream(true);
      pb.environment().putAll(settings.environment());
      synchronized (this) {
        if (stopping) {
          return 0;
        }
        process = pb.start();
      }
      Process p = process;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          relay(line);
        }
      } catch (IOException e) {
        // the pipe closed with the process
      }
      return p.waitFor();
    }

    /** Logs a line of the worker's at its own level (the child logs "LEVEL: message" lines). */
    private void relay(String line) {
      Level level = Level.INFO;
      String message = line;
      int colon = line.indexOf(": ");
      if (colon > 0) {
        String prefix = line.substring(0, colon);
        switch (prefix) {
          case "SEVERE", "fatal error", "panic" -> level = Level.SEVERE;
          case "WARNING", "warning" -> level = Level.WARNING;
          default -> { }
        }
        if (prefix.equals("SEVERE") || prefix.equals("WARNING") || prefix.equals("INFO")) {
          message = line.substring(colon + 2);
        }
      }
      String text = message;
      LOG.log(level, () -> "[" + id + "] " + text);
    }

    void stop() {
      Process p;
      synchronized (this) {
        stopping = true;
        p = process;
      }
      thread.interrupt();
      if (p != null) {
        p.destroy(); // SIGTERM: the worker drains
      }
    }

    void await() {
      Process p = process;
      if (p != null) {
        try {
          if (!p.waitFor(settings.drainTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
            LOG.warning(() -> "prover worker " + id + " did not stop after its drain time; killing it");
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
        }
      }
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
