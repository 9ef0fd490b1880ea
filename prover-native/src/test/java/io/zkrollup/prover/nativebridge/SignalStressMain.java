package io.zkrollup.prover.nativebridge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import sun.misc.Signal;

/**
 * Child process of {@link SignalSafetyIT}: loads libzkprover (its fault-injection build, for the
 * panic hook), then keeps the Go runtime and the
 * JVM's own signal machinery busy at once — JNI calls (and recovered Go panics) on 8 threads,
 * implicit null checks and stack overflows (the JVM handles both through SIGSEGV), GC safepoints —
 * while the parent sends signals. A SIGHUP handler is installed <em>after</em> the Go runtime is
 * loaded, the case os/signal warns about, and given {@code SA_ONSTACK} through the bridge. On
 * SIGTERM the shutdown hook prints the tallies.
 */
public final class SignalStressMain {
  private SignalStressMain() {}

  public static void main(String[] args) throws Exception {
    LibZkProver prover = LibZkProver.load();
    Poseidon2Vectors.Vector v = Poseidon2Vectors.load().of("compress").get(3);
    byte[] left = Arrays.copyOfRange(v.input(), 0, 32);
    byte[] right = Arrays.copyOfRange(v.input(), 32, 64);

    AtomicLong calls = new AtomicLong();
    AtomicLong mismatches = new AtomicLong();
    AtomicLong panics = new AtomicLong();
    AtomicLong nullChecks = new AtomicLong();
    AtomicLong overflows = new AtomicLong();
    AtomicLong hups = new AtomicLong();

    Signal.handle(new Signal("HUP"), s -> hups.incrementAndGet());
    // Without this, a SIGHUP landing on a thread that runs Go corrupts the Go heap: the JVM
    // crashed in about 1 of 15 runs on 2 loaded cores before it was added.
    System.out.println("altstack-added=" + prover.addAltStackToSignalHandlers());
    // A second pass finds nothing left to fix: every installed handler now has SA_ONSTACK.
    System.out.println("altstack-missing-after=" + prover.addAltStackToSignalHandlers());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () ->
                    System.out.printf(
                        "shutdown-hook calls=%d mismatches=%d panics=%d nullChecks=%d overflows=%d hups=%d%n",
                        calls.get(), mismatches.get(), panics.get(), nullChecks.get(), overflows.get(), hups.get())));

    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(
          new Thread(
              () -> {
                for (long i = 0; ; i++) {
                  if (i % 500 == 0) {
                    try {
                      FaultInjection.diagnosticPanic(FaultInjection.PanicKind.NIL_POINTER);
                    } catch (NativeProverException e) {
                      panics.incrementAndGet();
                    }
                  }
                  if (!Arrays.equals(prover.poseidon2Compress(left, right), v.output())) {
                    mismatches.incrementAndGet();
                  }
                  try (Poseidon2Hasher hasher = prover.newPoseidon2Hasher()) {
                    hasher.write(left);
                    hasher.digest();
                  }
                  calls.incrementAndGet();
                }
              },
              "jni-" + t));
    }
    threads.add(
        new Thread(
            () -> {
              Object[] objects = {"x", null};
              for (int i = 0; ; i++) {
                try {
                  nullChecks.addAndGet(objects[i & 1].hashCode() & 0);
                } catch (NullPointerException e) {
                  nullChecks.incrementAndGet();
                }
              }
            },
            "null-checks"));
    threads.add(
        new Thread(
            () -> {
              for (; ; ) {
                try {
                  recurse(0);
                } catch (StackOverflowError e) {
                  overflows.incrementAndGet();
                }
                byte[][] garbage = new byte[256][];
                for (int i = 0; i < garbage.length; i++) {
                  garbage[i] = new byte[16 * 1024];
                }
                System.gc();
              }
            },
            "overflow-and-gc"));
    threads.forEach(
        th -> {
          th.setDaemon(true);
          th.start();
        });
    Thread.sleep(1000);
    System.out.println("ready calls=" + calls.get());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }
}
