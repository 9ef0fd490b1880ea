package io.zkrollup.prover.gnark;

import static io.zkrollup.prover.gnark.RollupFixture.key;
import static io.zkrollup.prover.gnark.RollupFixture.sign;

import io.zkrollup.circuits.batch.Batch;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.nativebridge.LibZkProver;
import java.nio.file.Path;
import java.util.List;

/**
 * Child JVM of {@link FaultInjectedProveIT}: proves one transfer batch with the keys of a
 * directory (arguments: the directory, B, D) and prints whether the proof verifies.
 */
public final class ProveOnceMain {
  private ProveOnceMain() {}

  public static void main(String[] args) {
    Path keys = Path.of(args[0]);
    int slots = Integer.parseInt(args[1]);
    int depth = Integer.parseInt(args[2]);
    EdDsaPrivateKey alice = key(1);
    RollupFixture rollup = new RollupFixture(depth).open(1, alice, 10_000).open(2, key(2), 0);
    Batch batch = rollup.seal(slots, 1, List.of(sign(new Transfer(1, 2, 500, 1, 0), alice)));
    try (GnarkProver prover = GnarkProver.load(LibZkProver.load(), keys)) {
      System.out.println("proving");
      System.out.flush();
      BatchProof proof = prover.prove(batch.witness());
      System.out.println("proved valid=" + prover.verify(proof));
    }
  }
}
