package io.zkrollup.aggregator.node;

import io.zkrollup.circuits.eddsa.EdDsaPublicKey;
import io.zkrollup.circuits.tx.Deposit;
import io.zkrollup.circuits.tx.L1Address;
import io.zkrollup.circuits.tx.Ranges;
import io.zkrollup.statetree.AccountLeaf;
import io.zkrollup.statetree.field.Fr;
import io.zkrollup.statetree.hash.Poseidon2;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Each line makes one account: no two lines may name one index, nor one account, which is (key,
 * owner, token) as on L1 (docs/protocol.md, "Accounts have an owner"): a deposit for an account
 * that exists adds to it, so two lines of one account would make two leaves that no sequence of L1
 * deposits can make, and two lines at one index would be added up, or refused half-way through the
 * first start for another key.
 */
public final class GenesisFile {

  private GenesisFile() {}

  /**
   * Reads the deposits of {@code file}.
   *
   * @throws IllegalArgumentException naming the line, for anything malformed, and naming both
   *     lines for a second line at an index or of an account (key, owner, token)
   */
  public static List<Deposit> read(Path file, Poseidon2 poseidon2) throws IOException {
    List<Deposit> out = new ArrayList<>();
    // The line (1-based) of each index and of each account made so far.
    Map<Long, Integer> lineOfIndex = new HashMap<>();
    Map<Account, Made> accounts = new HashMap<>();
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
        Deposit d = new Deposit(Long.parseLong(parts[0]), keyHash(poseidon2, key), owner, new BigInteger(parts[2]), token);
        Integer sameIndex = lineOfIndex.putIfAbsent(d.to(), i + 1);
        if (sameIndex != null) {
          throw new IllegalArgumentException("index " + d.to() + " is already line " + sameIndex + "'s account; each line makes one account at an index of its own");
        }
        Made sameAccount = accounts.putIfAbsent(new Account(d.keyHash(), d.owner(), d.token()), new Made(d.to(), i + 1));
        if (sameAccount != null) {
          throw new IllegalArgumentException(
              "key hash " + d.keyHash() + " owned by " + owner + " already has an account of token " + token + " at index " + sameAccount.index()
                  + " (line " + sameAccount.line() + "); a key holds one account per owner and token, as on L1: put the amounts together on one line");
        }
        out.add(d);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** What an account is, and what its idHash commits to: its key hash, owner and token. */
  private record Account(Fr keyHash, L1Address owner, int token) {}

  /** Where a line made an account: its index, and the line (1-based). */
  private record Made(long index, int line) {}

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
  public static Fr keyHash(Poseidon2 poseidon2, EdDsaPublicKey key) {
    return AccountLeaf.keyHash(poseidon2, key.point().x(), key.point().y());
  }

  static String strip0x(String hex) {
    return hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
  }
}
