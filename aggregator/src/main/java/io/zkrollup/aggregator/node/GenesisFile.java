package io.zkrollup.aggregator.node;

import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.Ranges;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.hash.Poseidon2;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The genesis file: one account per line, {@code <index> <public key, 64 hex digits> <amount>
 * [<owner, an L1 address> [<token>]]}; blank lines and lines starting with {@code #} are skipped.
 * Each line becomes a deposit journaled when the node first starts (a node without L1 makes its
 * accounts so). The owner defaults to the zero address: without L1 nobody can force a withdrawal or
 * exit. The token (protocol v3) defaults to 0, ETH; a key holds one account per token, so an
 * account of another token is a line of its own, at its own index.
 */
public final class GenesisFile {

  private GenesisFile() {}

  /**
   * Reads the deposits of {@code file}.
   *
   * @throws IllegalArgumentException naming the line, for anything malformed
   */
  public static List<Deposit> read(Path file, Poseidon2 poseidon2) throws IOException {
    List<Deposit> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      try {
        if (parts.length < 3 || parts.length > 5) {
          throw new IllegalArgumentException("expected <index> <public key hex> <amount> [<owner address> [<token>]]");
        }
        EdDsaPublicKey key = EdDsaPublicKey.fromBytes(HexFormat.of().parseHex(strip0x(parts[1])));
        L1Address owner = parts.length >= 4 ? L1Address.fromHex(parts[3]) : NodeConfig.NO_L1_OWNER;
        int token = parts.length == 5 ? Ranges.checkToken("token", Long.parseLong(parts[4])) : 0;
        out.add(new Deposit(Long.parseLong(parts[0]), keyHash(poseidon2, key), owner, new BigInteger(parts[2]), token));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * The tokens other than ETH that a node without L1 makes the operator a fee account of: those
   * the genesis holds and those given a fee, ascending.
   */
  public static SortedSet<Integer> feeTokens(List<Deposit> genesis, Set<Integer> tokensWithFees) {
    SortedSet<Integer> out = new TreeSet<>(tokensWithFees);
    genesis.forEach(d -> out.add(d.token()));
    out.remove(0);
    return out;
  }

  /** The line for one account of {@code token} owned by {@code owner}. */
  public static String line(long index, EdDsaPublicKey key, BigInteger amount, L1Address owner, int token) {
    return line(index, key, amount) + " " + owner + " " + token;
  }

  /** The line for one ETH account. */
  public static String line(long index, EdDsaPublicKey key, BigInteger amount) {
    return index + " " + HexFormat.of().formatHex(key.toBytes()) + " " + amount;
  }

  /** The key hash a leaf stores for {@code key}. */
  public static io.zkrollup.statetree.field.Fr keyHash(Poseidon2 poseidon2, EdDsaPublicKey key) {
    return AccountLeaf.keyHash(poseidon2, key.point().x(), key.point().y());
  }

  static String strip0x(String hex) {
    return hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
  }
}
