package io.zkrollup.aggregator.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One {@code zkrollup} command run in a child JVM, for native work that can end the process it runs
 * in: key setup and circuit compilation. A Go fatal error (running out of memory above all) or a
 * panic on one of gnark's goroutines ends the child; the caller gets an {@link Outcome} that says
 * so and goes on.
 */
public final class NativeJob {

  /** Lines of the child's output an outcome keeps, for the error message. */
  private static final int TAIL_LINES = 40;

  private NativeJob() {}

  /**
   * What became of a child.
   *
   * @param exitStatus the process's exit status (128 + n when signal n ended it)
   * @param finished whether the command ran to its end and chose that status itself; false when
   *     the process was ended under it (a Go fatal error or panic, a signal such as the kernel's
   *     out-of-memory kill)
   * @param fatalLine the first line of a Go fatal error or panic the child printed, if any
   * @param tail the child's last output lines
   */
  public record Outcome(int exitStatus, boolean finished, Optional<String> fatalLine, List<String> tail) {

    /** Copies the tail. */
    public Outcome {
      tail = List.copyOf(tail);
    }

    /** Whether the command finished with status 0. */
    public boolean succeeded() {
      return finished && exitStatus == 0;
    }

    /** Why the child did not finish, in one sentence (for an unfinished outcome). */
    public String crash() {
      String how =
          exitStatus > 128
              ? "was killed by signal " + (exitStatus - 128) + (exitStatus == 137 ? " (SIGKILL: the kernel's out-of-memory killer, or an operator)" : "")
              : "exited with status " + exitStatus + " before its command finished";
      return "the child process " + how + fatalLine.map(l -> "; it printed \"" + l + "\"").orElse("");
    }
  }

  /**
   * Runs {@code zkrollup args…} in a child JVM and waits for it.
   *
   * @param jvmOptions options for the child JVM
   * @param environment variables added to the child's environment
   * @param args the CLI's arguments, the command first
   * @param out gets each line the child prints on stdout, as it comes
   * @param err gets each line the child prints on stderr, as it comes, until a Go fatal error or
   *     panic begins: the goroutine dump after it can run to thousands of lines
   * @throws UncheckedIOException if the child cannot be started
   * @throws InterruptedException if interrupted while waiting (the child is then killed)
   */
  public static Outcome run(List<String> jvmOptions, Map<String, String> environment, List<String> args, Consumer<String> out, Consumer<String> err)
      throws InterruptedException {
    Path statusFile;
    try {
      statusFile = Files.createTempFile("zkrollup-child-", ".status");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a status file for a child process: " + e.getMessage(), e);
    }
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(jvmOptions, args));
    pb.environment().putAll(environment);
    pb.environment().put(ChildJvm.STATUS_FILE_ENV, statusFile.toString());
    Process child;
    try {
      child = pb.start();
    } catch (IOException e) {
      deleteQuietly(statusFile);
      throw new UncheckedIOException("cannot start a child JVM: " + e.getMessage(), e);
    }
    try {
      ArrayDeque<String> tail = new ArrayDeque<>();
      String[] fatal = {null};
      Thread stdout = pump(child.getInputStream(), line -> {
        out.accept(line);
        keep(tail, line);
      });
      pumpInto(child.getErrorStream(), line -> {
        synchronized (fatal) {
          if (fatal[0] == null && (line.startsWith("fatal error: ") || line.startsWith("panic: "))) {
            fatal[0] = line;
          }
          if (fatal[0] == null) {
            err.accept(line);
          }
        }
        keep(tail, line);
      });
      int status = child.waitFor();
      stdout.join();
      Optional<Integer> recorded = ChildStatus.read(statusFile);
      boolean finished = recorded.isPresent() && recorded.get() == status;
      synchronized (tail) {
        return new Outcome(status, finished, Optional.ofNullable(fatal[0]), new ArrayList<>(tail));
      }
    } finally {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
      deleteQuietly(statusFile);
    }
  }

  private static void keep(ArrayDeque<String> tail, String line) {
    synchronized (tail) {
      tail.addLast(line);
      if (tail.size() > TAIL_LINES) {
        tail.removeFirst();
      }
    }
  }

  private static Thread pump(InputStream stream, Consumer<String> lines) {
    Thread t = new Thread(() -> pumpInto(stream, lines), "child-stdout");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Reads lines until the stream ends (the pipe closes with the child). */
  private static void pumpInto(InputStream stream, Consumer<String> lines) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.accept(line);
      }
    } catch (IOException e) {
      // the pipe broke: the child is gone, and its exit status says how
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a temp file: the OS cleans up
    }
  }
}
