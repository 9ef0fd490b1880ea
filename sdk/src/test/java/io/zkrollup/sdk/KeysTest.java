package io.zkrollup.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkrollup.api.v1.SignedTransaction;
import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.eddsa.EdDsaSignature;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.hash.Poseidon2;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Account keys, key files and the wallet's signatures, checked against the circuits module's definitions. */
class KeysTest {

  @TempDir Path dir;

  static byte[] seed(int b) {
    byte[] s = new byte[32];
    s[0] = (byte) b;
    s[31] = 0x5a;
    return s;
  }

  @Test
  void aKeyIsTheCircuitsKeyOfItsSeedAndHashesAsTheLeafDoes() {
    AccountKey key = AccountKey.fromSeed(seed(1));
    EdDsaPrivateKey expected = EdDsaPrivateKey.fromSeed(seed(1));
    assertThat(key.publicKey()).isEqualTo(expected.publicKey());
    assertThat(key.keyHash()).isEqualTo(AccountLeaf.keyHash(new Poseidon2(), expected.publicKey().point().x(), expected.publicKey().point().y()));
    assertThat(key.seed()).isEqualTo(seed(1));
    assertThat(key.toString()).doesNotContain(HexFormat.of().formatHex(seed(1)));
    assertThat(AccountKey.generate().keyHash()).isNotEqualTo(AccountKey.generate().keyHash());
    assertThatThrownBy(() -> AccountKey.fromSeed(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKeyFileHoldsTheSeedForItsOwnerOnlyAndIsNeverOverwritten() throws Exception {
    Path file = dir.resolve("keys/alice.key");
    AccountKey key = AccountKey.fromSeed(seed(2));
    KeyFile.write(file, key);
    assertThat(Files.readString(file)).isEqualTo(HexFormat.of().formatHex(seed(2)) + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(KeyFile.read(file)).isEqualTo(key);
    assertThatThrownBy(() -> KeyFile.write(file, AccountKey.generate())).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(KeyFile.read(file)).isEqualTo(key);

    Files.writeString(dir.resolve("0x.key"), "0x" + HexFormat.of().formatHex(seed(2)) + "\n");
    assertThat(KeyFile.read(dir.resolve("0x.key"))).isEqualTo(key);
    Files.writeString(dir.resolve("short.key"), "abcd\n");
    assertThatThrownBy(() -> KeyFile.read(dir.resolve("short.key"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes as hex");
    assertThatThrownBy(() -> KeyFile.read(dir.resolve("missing.key"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read");
  }

  @Test
  void aWalletSignsTheProtocolsMessageAndKnowsItsHash() {
    Wallet w = Wallet.fromSeed(seed(3), 4, 7);
    SignedTransaction t = w.transfer(5, BigInteger.valueOf(1000), BigInteger.ONE, 9);
    Transfer op = new Transfer(4, 5, 1000, 1, 9);
    Poseidon2 p = new Poseidon2();
    assertThat(w.txHash(t)).isEqualTo(op.message(p, 7));
    assertThat(w.publicKey().verify(EdDsaSignature.fromBytes(t.getSignature().toByteArray()), op.message(p, 7))).isTrue();
    assertThat(w.publicKey().verify(EdDsaSignature.fromBytes(t.getSignature().toByteArray()), op.message(p, 8))).as("not for another rollup").isFalse();
    assertThat(t.getPublicKey().toByteArray()).isEqualTo(w.publicKey().toBytes());

    L1Address to = L1Address.fromHex("0x00000000000000000000000000000000000000aa");
    SignedTransaction wd = w.forAccount(6).withdrawal(to, new BigInteger("123456789"), BigInteger.ONE, 0);
    assertThat(wd.getWithdrawal().getFrom()).isEqualTo(6);
    assertThat(w.txHash(wd)).isEqualTo(new io.zkrollup.circuits.tx.Withdrawal(6, to, new BigInteger("123456789"), BigInteger.ONE, 0).message(p, 7));
    assertThat(w.toString()).doesNotContain(HexFormat.of().formatHex(seed(3)));

    assertThatThrownBy(() -> w.transfer(5, BigInteger.valueOf(2049), BigInteger.ONE, 0)).as("not a float16 amount").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.txHash(SignedTransaction.getDefaultInstance())).isInstanceOf(IllegalArgumentException.class);
  }
}
