package io.zkrollup.prover.nativebridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.prover.nativebridge.NativeProverException.Code;
import io.zkrollup.prover.nativebridge.Poseidon2Vectors.Vector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many Java threads call the bridge at once; every answer is still the gnark-crypto vector. */
class ConcurrentBridgeIT {

  private static final int THREADS = 16;
  private static final int CALLS_PER_THREAD = 3_000;

  @Test
  void sixteenThreadsGetCorrectAnswersAndCleanErrors() throws Exception {
    LibZkProver prover = LibZkProver.load();
    Poseidon2Vectors vectors = Poseidon2Vectors.load();
    List<Vector> compress = vectors.of("compress");
    List<Vector> permute = vectors.of("permute");
    List<Vector> hash = vectors.of("hash");
    long handlesBefore = prover.liveHandles();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int seed = t;
      results.add(
          pool.submit(
              () -> {
                start.await();
                int checked = 0;
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                  int k = seed * 31 + i;
                  switch (k % 5) {
                    case 0 -> {
                      Vector v = compress.get(k % compress.size());
                      byte[] out =
                          prover.poseidon2Compress(
                              Arrays.copyOfRange(v.input(), 0, 32), Arrays.copyOfRange(v.input(), 32, 64));
                      assertThat(out).as(v.line()).isEqualTo(v.output());
                    }
                    case 1 -> {
                      Vector v = permute.get(k % permute.size());
                      assertThat(prover.poseidon2Permute(v.input())).as(v.line()).isEqualTo(v.output());
                    }
                    case 2 -> {
                      Vector v = hash.get(k % hash.size());
                      assertThat(prover.poseidon2Hash(v.input())).as(v.line()).isEqualTo(v.output());
                    }
                    case 3 -> {
                      Vector v = hash.get(k % hash.size());
                      try (Poseidon2Hasher hasher = prover.newPoseidon2Hasher()) {
                        hasher.write(v.input());
                        assertThat(hasher.digest()).as(v.line()).isEqualTo(v.output());
                      }
                    }
                    default -> {
                      try {
                        prover.poseidon2Hash(new byte[33]);
                        throw new AssertionError("malformed input accepted");
                      } catch (NativeProverException e) {
                        assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
                      }
                    }
                  }
                  checked++;
                }
                return checked;
              }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : results) {
      total += f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertThat(total).isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(prover.liveHandles()).isEqualTo(handlesBefore);
  }
}
