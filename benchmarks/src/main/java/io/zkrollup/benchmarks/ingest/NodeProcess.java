package io.zkrollup.benchmarks.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A rollup node in its own JVM: {@code java [opts] -jar zkrollup.jar node ... --port 0 --port-file
 * F}, its output in a log file. The benchmark talks to it over gRPC only.
 */
public final class NodeProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int port;
  private final List<String> command;

  private NodeProcess(Process process, Path log, int port, List<String> command) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.command = command;
  }

  /**
   * Starts the node and waits until it serves (it writes the port file after recovery, genesis
   * included).
   */
  public static NodeProcess start(Path nodeJar, List<String> javaOpts, List<String> nodeArgs, Path workDir, Duration timeout)
      throws IOException, InterruptedException {
    Path portFile = workDir.resolve("node.port");
    Files.deleteIfExists(portFile);
    Path log = workDir.resolve("node.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(javaOpts);
    cmd.add("-jar");
    cmd.add(nodeJar.toString());
    cmd.add("node");
    cmd.addAll(nodeArgs);
    cmd.add("--port");
    cmd.add("0");
    cmd.add("--port-file");
    cmd.add(portFile.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(portFile)) {
      if (!p.isAlive()) {
        throw new IllegalStateException("the node exited with " + p.exitValue() + " before serving; its log " + log + ":\n" + tail(log));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("the node did not serve within " + timeout + "; its log " + log + ":\n" + tail(log));
      }
      Thread.sleep(50);
    }
    int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
    return new NodeProcess(p, log, port, List.copyOf(cmd));
  }

  /** The gRPC port. */
  public int port() {
    return port;
  }

  /** The operating system's process id. */
  public long pid() {
    return process.pid();
  }

  /** The command line it was started with. */
  public List<String> command() {
    return command;
  }

  /** The log file. */
  public Path log() {
    return log;
  }

  /** Whether it still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM (the node's shutdown hook closes server, pipeline and databases), then waits. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
