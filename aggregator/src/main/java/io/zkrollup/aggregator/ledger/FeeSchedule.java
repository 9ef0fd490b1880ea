package io.zkrollup.aggregator.ledger;

import io.zkrollup.circuits.tx.Ranges;
import io.zkrollup.statetree.AccountLeaf;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The batch fee of each token (docs/protocol.md, "The node (v3)"): fees are paid in the token
 * moved, so a signed op pays its token's fee, and a batch's header fee is its fee token's. ETH's is
 * {@code --fee}; other tokens' are {@code --token-fee ID=AMOUNT}, 0 when not given.
 *
 * <p>Looked up per admitted op: a sorted array and a binary search, so a lookup allocates nothing
 * (a map keyed by boxed token ids would box every id above 127).
 */
public final class FeeSchedule {

  private final BigInteger eth;
  private final int[] tokens;
  private final BigInteger[] fees;

  /**
   * @param eth ETH's fee (token 0)
   * @param tokenFees other tokens' fees, by token id (1 … 2^16 − 1); absent tokens pay 0
   * @throws IllegalArgumentException for token 0 or an id not below 2^16 in {@code tokenFees}, or a
   *     negative fee
   */
  public FeeSchedule(BigInteger eth, Map<Integer, BigInteger> tokenFees) {
    this.eth = check(AccountLeaf.ETH, Objects.requireNonNull(eth, "eth"));
    SortedMap<Integer, BigInteger> sorted = new TreeMap<>(tokenFees);
    this.tokens = new int[sorted.size()];
    this.fees = new BigInteger[sorted.size()];
    int i = 0;
    for (Map.Entry<Integer, BigInteger> e : sorted.entrySet()) {
      int token = e.getKey();
      if (token == AccountLeaf.ETH) {
        throw new IllegalArgumentException("token 0 is ETH: its fee is --fee, not a token fee");
      }
      Ranges.checkToken("fee token", token);
      tokens[i] = token;
      fees[i++] = check(token, e.getValue());
    }
  }

  /** ETH only: {@code eth} for ETH, 0 for every other token. */
  public static FeeSchedule ethOnly(BigInteger eth) {
    return new FeeSchedule(eth, Map.of());
  }

  private static BigInteger check(long token, BigInteger fee) {
    Objects.requireNonNull(fee, "fee");
    if (fee.signum() < 0) {
      throw new IllegalArgumentException("the fee of token " + token + " is negative: " + fee);
    }
    return fee;
  }

  /** The fee a signed op of {@code token} pays: its batch's header fee. */
  public BigInteger of(long token) {
    if (token == AccountLeaf.ETH) {
      return eth;
    }
    int at = token > Ranges.MAX_TOKEN ? -1 : Arrays.binarySearch(tokens, (int) token);
    return at >= 0 ? fees[at] : BigInteger.ZERO;
  }

  /** ETH's fee. */
  public BigInteger eth() {
    return eth;
  }

  /** The fees given for tokens other than ETH, ascending by token id. */
  public SortedMap<Integer, BigInteger> tokenFees() {
    SortedMap<Integer, BigInteger> out = new TreeMap<>();
    for (int i = 0; i < tokens.length; i++) {
      out.put(tokens[i], fees[i]);
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /**
   * The token fees as the node records them among its fixed parameters: {@code 1:5/2:7}, ascending
   * (no commas: the parameters are comma-separated); empty for none.
   */
  public String tokenFeesText() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < tokens.length; i++) {
      s.append(i == 0 ? "" : "/").append(tokens[i]).append(':').append(fees[i]);
    }
    return s.toString();
  }

  /** The inverse of {@link #tokenFeesText()}. */
  public static Map<Integer, BigInteger> parseTokenFees(String text) {
    Map<Integer, BigInteger> out = new TreeMap<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String part : text.split("/")) {
      int colon = part.indexOf(':');
      if (colon < 1 || out.put(Integer.parseInt(part.substring(0, colon)), new BigInteger(part.substring(colon + 1))) != null) {
        throw new IllegalArgumentException("not token fees: " + text);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeeSchedule f && eth.equals(f.eth) && Arrays.equals(tokens, f.tokens) && Arrays.equals(fees, f.fees);
  }

  @Override
  public int hashCode() {
    return eth.hashCode() * 31 + Arrays.hashCode(tokens);
  }

  @Override
  public String toString() {
    return "fees[eth=" + eth + (tokens.length == 0 ? "" : ", " + tokenFeesText()) + "]";
  }
}
