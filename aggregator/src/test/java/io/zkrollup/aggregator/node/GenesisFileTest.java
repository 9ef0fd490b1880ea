package io.zkrollup.aggregator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.sdk.AccountKey;
import io.zkrollup.statetree.hash.Poseidon2;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The genesis file makes one account per line: a line that names an index already taken, or an
 * account (key, owner, token) that another line already made, is refused at start, naming both
 * lines, instead of being merged into one leaf or making two leaves of one account.
 */
class GenesisFileTest {

  private static final Poseidon2 POSEIDON2 = new Poseidon2();
  private static final String OWNER = "0x000000000000000000000000000000000000c0de";
  private static final String OTHER_OWNER = "0x000000000000000000000000000000000000beef";

  @TempDir Path dir;

  private static String key(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    EdDsaPublicKey key = AccountKey.fromSeed(seed).publicKey();
    return java.util.HexFormat.of().formatHex(key.toBytes());
  }

  private Path file(String... lines) throws IOException {
    Path f = dir.resolve("genesis.txt");
    Files.write(f, List.of(lines));
    return f;
  }

  @Test
  void aSecondLineAtAnIndexIsRefusedWhateverItsKey() throws IOException {
    Path otherKey = file("# accounts", "1 " + key(1) + " 100", "", "1 " + key(2) + " 200");
    assertThatThrownBy(() -> GenesisFile.read(otherKey, POSEIDON2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 4")
        .hasMessageContaining("index 1")
        .hasMessageContaining("line 2");
    // The same account twice would have been credited twice, silently.
    Path sameKey = file("1 " + key(1) + " 100", "1 " + key(1) + " 100");
    assertThatThrownBy(() -> GenesisFile.read(sameKey, POSEIDON2)).hasMessageContaining("line 2").hasMessageContaining("index 1");
  }

  @Test
  void aKeyHoldsOneAccountPerOwnerAndToken() throws IOException {
    Path twice = file("1 " + key(1) + " 100 " + OWNER + " 0", "2 " + key(1) + " 100 " + OWNER + " 0");
    assertThatThrownBy(() -> GenesisFile.read(twice, POSEIDON2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("token 0")
        .hasMessageContaining("index 1 (line 1)");
    // The default owner and token are the same account as written out.
    Path defaults = file("1 " + key(1) + " 100", "2 " + key(1) + " 100 0x0000000000000000000000000000000000000000 0");
    assertThatThrownBy(() -> GenesisFile.read(defaults, POSEIDON2)).hasMessageContaining("line 2");
  }

  @Test
  void aKeyMayHoldAccountsOfOtherTokensAndOfOtherOwners() throws IOException {
    // As on L1, where a deposit for (key, owner, token) without an account makes a new one.
    Path ok = file("1 " + key(1) + " 100 " + OWNER + " 0", "2 " + key(1) + " 200 " + OWNER + " 1", "3 " + key(1) + " 300 " + OTHER_OWNER + " 0");
    List<Deposit> deposits = GenesisFile.read(ok, POSEIDON2);
    assertThat(deposits).extracting(Deposit::to).containsExactly(1L, 2L, 3L);
    assertThat(deposits).extracting(Deposit::token).containsExactly(0, 1, 0);
    assertThat(deposits.get(2).owner()).isEqualTo(L1Address.fromHex(OTHER_OWNER));
    assertThat(deposits).extracting(Deposit::amount).containsExactly(BigInteger.valueOf(100), BigInteger.valueOf(200), BigInteger.valueOf(300));
  }
}
