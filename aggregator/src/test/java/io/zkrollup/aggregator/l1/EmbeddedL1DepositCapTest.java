package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.batch.BatchWitness;
import io.zkrollup.circuits.batch.PublicInputs;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.prover.BatchProof;
import io.zkrollup.prover.ProofSystem;
import io.zkrollup.prover.Prover;
import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * The embedded L1 refuses a deposit that would bring all deposits together to 2^128 wei (as
 * Rollup.sol does, {@code DepositCapExceeded}), and the refusal changes nothing.
 */
class EmbeddedL1DepositCapTest {

  private static final L1Address RICH = L1Address.of(HexFormat.of().parseHex("00000000000000000000000000000000000000aa"));
  private static final BigInteger MAX_DEPOSIT = EmbeddedL1.DEPOSIT_LIMIT.subtract(BigInteger.ONE);

  @TempDir Path dir;

  /** Deposits never verify a proof: a verifier that fails if it is asked. */
  private static final class NoVerifier implements Prover {
    @Override
    public ProofSystem system() {
      return ProofSystem.GROTH16;
    }

    @Override
    public int slots() {
      return 5;
    }

    @Override
    public int depth() {
      return 4;
    }

    @Override
    public BatchProof prove(BatchWitness witness) {
      throw new AssertionError("not used by deposits");
    }

    @Override
    public BatchProof prove(byte[] witness, PublicInputs expected) {
      throw new AssertionError("not used by deposits");
    }

    @Override
    public boolean verify(BatchProof proof) {
      throw new AssertionError("not used by deposits");
    }

    @Override
    public void close() {}
  }

  private EmbeddedL1 open() {
    return EmbeddedL1.open(dir, 7, 5, Fr.of(BigInteger.ONE), Fr.of(BigInteger.TWO), new NoVerifier());
  }

  @Test
  void aDepositThatBringsTheTotalTo2To128IsRefusedAndChangesNothing() throws Exception {
    try (EmbeddedL1 l1 = open()) {
      l1.fund(RICH, BigInteger.ONE.shiftLeft(129));
    }
    // 2^16 deposits of 2^112 − 1 would take long; write the running total the way deposits keep it.
    BigInteger nearCap = EmbeddedL1.TOTAL_DEPOSIT_LIMIT.subtract(EmbeddedL1.DEPOSIT_LIMIT);
    try (Options o = new Options(); RocksDB db = RocksDB.open(o, dir.toString())) {
      db.put(EmbeddedL1.TOTAL_DEPOSITED, nearCap.toByteArray());
    }
    try (EmbeddedL1 l1 = open()) {
      // nearCap + 2^112 − 1 = 2^128 − 1: the largest total there can be.
      l1.deposit(RICH, Fr.of(BigInteger.TEN), MAX_DEPOSIT);
      L1State before = l1.state();
      BigInteger balance = l1.balance(RICH);
      assertThatThrownBy(() -> l1.deposit(RICH, Fr.of(BigInteger.TEN), BigInteger.ONE))
          .isInstanceOf(L1RevertedException.class)
          .hasMessageContaining("below 2^128");
      assertThat(l1.state()).isEqualTo(before);
      assertThat(l1.balance(RICH)).isEqualTo(balance);
      assertThat(l1.deposits(0, 10)).hasSize(2);
    }
  }
}
