package io.zkrollup.circuits.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.circuits.eddsa.EdDsaPrivateKey;
import io.zkrollup.circuits.tx.BatchOp;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.ForcedWithdrawal;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.Transfer;
import io.zkrollup.circuits.tx.Withdrawal;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.Owner;
import io.zkrollup.statetree.StateTree;
import io.zkrollup.statetree.hash.Poseidon2;
import io.zkrollup.statetree.store.InMemoryTreeStore;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Go builder's batches ({@code native/testdata/batch_vectors.txt}, written by {@code
 * native/batch/vectors_test.go}, each one solved by the circuit there): from the same accounts and
 * ops the Java {@link BatchBuilder} must build the same public data, roots and witness bytes, so
 * what Java hands the prover is what the circuit accepts.
 */
class BatchVectorsTest {

  private static final Poseidon2 P = new Poseidon2();
  private static final HexFormat HEX = HexFormat.of();

  private static EdDsaPrivateKey key(String seed) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) Integer.parseInt(seed));
    return EdDsaPrivateKey.fromSeed(s);
  }

  private static BigInteger big(String decimal) {
    return new BigInteger(decimal);
  }

  @Test
  void theJavaBuilderBuildsTheGoBuildersBatches() throws Exception {
    String dir = System.getProperty("zkprover.testdata");
    assertThat(dir).as("system property zkprover.testdata (set by the build)").isNotNull();
    List<String> lines = Files.readAllLines(Path.of(dir, "batch_vectors.txt")).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    int batches = 0;
    int forced = 0;
    for (int i = 0; i < lines.size(); ) {
      String[] h = lines.get(i++).split(" ");
      assertThat(h[0]).isEqualTo("batch");
      String name = h[1];
      int slots = Integer.parseInt(h[2]);
      int depth = Integer.parseInt(h[3]);
      BatchHeader header = new BatchHeader(Long.parseUnsignedLong(h[4]), Long.parseLong(h[5]), Long.parseLong(h[6]), big(h[7]));
      StateTree tree = new StateTree(new InMemoryTreeStore(depth), P, 4);
      Map<Long, AccountLeaf> accounts = new HashMap<>();
      List<BatchOp> ops = new ArrayList<>();
      List<Boolean> paid = new ArrayList<>();
      String[] f;
      while (!(f = lines.get(i++).split(" "))[0].equals("expect")) {
        switch (f[0]) {
          case "account" -> {
            EdDsaPrivateKey k = key(f[2]);
            AccountLeaf a = new AccountLeaf(
                AccountLeaf.keyHash(P, k.publicKey().point().x(), k.publicKey().point().y()), Owner.fromHex(f[3]), Long.parseLong(f[4]), big(f[5]), Long.parseLong(f[6]));
            accounts.put(Long.parseLong(f[1]), a);
            tree.put(Long.parseLong(f[1]), a.hash(P));
          }
          case "transfer" -> ops.add(
              new Transfer(Long.parseLong(f[2]), Long.parseLong(f[3]), big(f[4]), big(f[5]), Long.parseLong(f[6]), Integer.parseInt(f[7]))
                  .sign(key(f[1]), P, header.rollupId()));
          case "withdrawal" -> ops.add(
              new Withdrawal(Long.parseLong(f[2]), L1Address.fromHex(f[3]), big(f[4]), big(f[5]), Long.parseLong(f[6]), Integer.parseInt(f[7]))
                  .sign(key(f[1]), P, header.rollupId()));
          case "deposit" -> {
            EdDsaPrivateKey k = key(f[2]);
            ops.add(new Deposit(
                Long.parseLong(f[1]), AccountLeaf.keyHash(P, k.publicKey().point().x(), k.publicKey().point().y()), L1Address.fromHex(f[3]), big(f[5]), Integer.parseInt(f[4])));
          }
          case "forced" -> {
            ops.add(new ForcedWithdrawal(Long.parseLong(f[1]), L1Address.fromHex(f[2]), big(f[4]), Integer.parseInt(f[3])));
            paid.add(f[5].equals("paid"));
          }
          default -> throw new AssertionError("unknown vector line " + String.join(" ", f));
        }
      }
      tree.commit();
      Batch batch = new BatchBuilder(P).build(tree, index -> Optional.ofNullable(accounts.get(index)), header, slots, ops);
      assertThat(HEX.formatHex(batch.publicInputs().oldRoot().toBytes())).as("%s: oldRoot", name).isEqualTo(f[1]);
      assertThat(HEX.formatHex(batch.publicInputs().newRoot().toBytes())).as("%s: newRoot", name).isEqualTo(f[2]);
      assertThat(HEX.formatHex(batch.publicInputs().pubdataHash().toBytes())).as("%s: pubdataHash", name).isEqualTo(f[3]);
      String[] pd = lines.get(i++).split(" ");
      assertThat(HEX.formatHex(batch.publicData().bytes())).as("%s: public data", name).isEqualTo(pd[1]);
      byte[] witness = batch.witness().toBytes();
      assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(witness))).as("%s: witness bytes", name).isEqualTo(f[4]);
      assertThat(batch.publicData().ops().stream().filter(op -> op instanceof PubdataOp.ForcedWithdrawal).map(op -> ((PubdataOp.ForcedWithdrawal) op).paid()).toList())
          .as("%s: forced withdrawals paid", name)
          .isEqualTo(paid);
      CircuitModel.check(batch.witness(), batch.publicData());
      assertThat(lines.get(i++)).isEqualTo("end");
      batches++;
      forced += paid.size();
    }
    assertThat(batches).isGreaterThanOrEqualTo(6);
    assertThat(forced).isGreaterThanOrEqualTo(6);
  }
}
