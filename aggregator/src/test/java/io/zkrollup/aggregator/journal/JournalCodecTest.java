package io.zkrollup.aggregator.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.SignatureVerifier;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.VerifiedOp;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Journal entries keep their tokens (protocol v3), and an entry of the v2 layout fails loudly. */
class JournalCodecTest {

  private static final Poseidon2 P = new Poseidon2();
  private static final L1Address ADDRESS = L1Address.fromHex("0x00000000000000000000000000000000000a11ce");

  private static VerifiedOp verified(io.zkrollup.circuits.tx.SignableOp op) {
    byte[] seed = new byte[32];
    seed[0] = 4;
    return new SignatureVerifier(P, -5).verify(op.sign(EdDsaPrivateKey.fromSeed(seed), P, -5));
  }

  @Test
  void everyEntryRoundTripsWithItsToken() {
    List<JournalEntry> entries =
        List.of(
            new JournalEntry.Tx(verified(new Transfer(1, 2, 10, 2, 3, 65_535))),
            new JournalEntry.Tx(verified(new Withdrawal(1, ADDRESS, BigInteger.valueOf(77), BigInteger.TWO, 4, 9))),
            new JournalEntry.Priority(new Deposit(3, Fr.of(12), ADDRESS, BigInteger.TEN, 40_000)),
            new JournalEntry.Priority(new ForcedWithdrawal(3, ADDRESS, BigInteger.ONE, 7)),
            new JournalEntry.Seal(12));
    for (JournalEntry e : entries) {
      assertThat(JournalCodec.decode(JournalCodec.encode(e))).isEqualTo(e);
    }
  }

  @Test
  void aV2EntryWithoutTheTokenIsRefusedByItsLength() {
    byte[] v3 = JournalCodec.encode(new JournalEntry.Priority(new Deposit(3, Fr.of(12), ADDRESS, BigInteger.TEN)));
    byte[] v2 = Arrays.copyOf(v3, v3.length - 2);
    assertThatThrownBy(() -> JournalCodec.decode(v2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deposit entry is " + v3.length + " bytes");
    byte[] tx = JournalCodec.encode(new JournalEntry.Tx(verified(new Transfer(1, 2, 10, 2, 3))));
    assertThatThrownBy(() -> JournalCodec.decode(Arrays.copyOf(tx, tx.length - 2))).hasMessageContaining("tx entry is " + tx.length + " bytes");
  }
}
