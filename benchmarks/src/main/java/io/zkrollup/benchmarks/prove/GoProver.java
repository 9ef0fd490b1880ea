package io.zkrollup.benchmarks.prove;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pure-Go prover ({@code native/cmd/provebench}) in a child process: the same key directory
 * and witness bytes as the JNI side, proving when asked, so the two can take turns.
 */
final class GoProver implements AutoCloseable {

  private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":\\s*(-?[0-9.]+)");
  private static final Pattern ERROR = Pattern.compile("\"error\":\\s*\"(.*)\"");

  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final double loadMillis;
  private long peakRssKb = -1;
  private boolean closed;

  private GoProver(Process process) throws IOException {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.loadMillis = read("loadMs").get("loadMs");
  }

  /** Starts {@code binary} on the keys and witness; returns once it has loaded the keys. */
  static GoProver start(Path binary, Path keyDir, Path witnessFile, boolean gpu) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-keys", keyDir.toString(), "-witness", witnessFile.toString()));
    if (gpu) {
      cmd.add("-gpu");
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      return new GoProver(p);
    } catch (IOException | RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** How long loading the key directory took in Go. */
  double loadMillis() {
    return loadMillis;
  }

  /** Proves once; what Go measured around {@code Keys.Prove}. */
  ProveRuns.Proof prove() throws IOException {
    in.write("prove\n");
    in.flush();
    Map<String, Double> answer = read("proveMs");
    return new ProveRuns.Proof(answer.get("proveMs"), answer.getOrDefault("cpuMs", -1.0), answer.getOrDefault("minorFaults", -1.0).longValue());
  }

  /** The child's peak RSS in KiB, known after {@link #close()}. */
  long peakRssKb() {
    return peakRssKb;
  }

  /** The next answer's numbers, which must include {@code key}. */
  private Map<String, Double> read(String key) throws IOException {
    String line = out.readLine();
    if (line == null) {
      throw new IOException("provebench exited (status " + waitFor() + ") before answering " + key);
    }
    Matcher err = ERROR.matcher(line);
    if (err.find()) {
      throw new IOException("provebench: " + err.group(1));
    }
    Map<String, Double> numbers = new HashMap<>();
    Matcher m = NUMBER.matcher(line);
    while (m.find()) {
      numbers.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    if (!numbers.containsKey(key)) {
      throw new IOException("provebench answered " + line + ", expected " + key);
    }
    return numbers;
  }

  private int waitFor() {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      in.write("quit\n");
      in.flush();
      peakRssKb = read("maxRssKb").get("maxRssKb").longValue();
    } finally {
      process.destroy();
      waitFor();
    }
  }
}
