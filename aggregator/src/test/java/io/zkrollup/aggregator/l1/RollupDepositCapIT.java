package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Rollup.sol refuses a deposit that would bring all ETH deposits together to 2^128 wei ({@code
 * DepositCapExceeded}): past that an L2 balance could exceed the circuit's 128-bit bound. Deposits
 * never call the verifier, so the contract is deployed with a placeholder verifier address. (Each
 * ERC-20 token has its own running total: TokenRulesIT.)
 */
class RollupDepositCapIT {

  /**
   * Rollup.sol's storage slot of the mapping {@code totalDeposited} (after stateRoot, the packed
   * counters and exodus flag, and the three mappings before it); ETH's entry is at {@code
   * keccak256(uint256(0) ‖ uint256(5))}.
   */
  private static final int TOTAL_DEPOSITED_SLOT = 5;

  /** The slot of {@code totalDeposited[token]}: Solidity's {@code keccak256(key ‖ slot)}. */
  static BigInteger totalDepositedSlot(long token) {
    byte[] in = new byte[64];
    System.arraycopy(Numeric.toBytesPadded(BigInteger.valueOf(token), 32), 0, in, 0, 32);
    System.arraycopy(Numeric.toBytesPadded(BigInteger.valueOf(TOTAL_DEPOSITED_SLOT), 32), 0, in, 32, 32);
    return Numeric.toBigInt(Hash.sha3(in));
  }

  private static final BigInteger MAX_DEPOSIT = BigInteger.ONE.shiftLeft(104).subtract(BigInteger.ONE);

  @TempDir Path dir;

  @Test
  void aDepositThatBringsTheTotalTo2To128Reverts() throws Exception {
    try (L1Chain chain = L1Chain.start(dir)) {
      String rollup = chain.deployRollup("0x000000000000000000000000000000000000dEaD", 5, 4, Fr.of(BigInteger.ONE), Fr.of(BigInteger.TWO));
      Credentials rich = L1Chain.key(0x31);
      chain.setBalance(rich.getAddress(), BigInteger.ONE.shiftLeft(129));
      chain.deposit(rich, rollup, Fr.of(BigInteger.TEN), BigInteger.valueOf(1000));
      assertThat(chain.reader(rollup).totalDeposited(BigInteger.ZERO).send()).isEqualTo(BigInteger.valueOf(1000));

      // 2^24 deposits of 2^104 − 1 would take long: set the running total near the cap instead.
      BigInteger nearCap = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE.shiftLeft(104));
      chain.anvil.call("anvil_setStorageAt", rollup, Numeric.toHexStringWithPrefixZeroPadded(totalDepositedSlot(0), 64), Numeric.toHexStringWithPrefixZeroPadded(nearCap, 64));
      assertThat(chain.reader(rollup).totalDeposited(BigInteger.ZERO).send()).as("slot %d holds totalDeposited", TOTAL_DEPOSITED_SLOT).isEqualTo(nearCap);

      // nearCap + 2^104 − 1 = 2^128 − 1: the largest total there can be.
      chain.deposit(rich, rollup, Fr.of(BigInteger.TEN), MAX_DEPOSIT);
      BigInteger top = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
      assertThat(chain.reader(rollup).totalDeposited(BigInteger.ZERO).send()).isEqualTo(top);
      BigInteger count = chain.reader(rollup).requestCount().send();
      BigInteger held = chain.balance(rollup);

      String deposit = chain.reader(rollup).deposit(Fr.of(BigInteger.TEN).toBytes(), rich.getAddress(), BigInteger.ONE).encodeFunctionCall();
      assertThat(chain.revertOf(rich, rollup, BigInteger.ONE, deposit)).hasValue("DepositCapExceeded(0, " + top + ", 1)");
      var mined = chain.send(rich, rollup, BigInteger.ONE, deposit, L1Chain.GAS_LIMIT);
      assertThat(mined.isStatusOK()).as("mined and reverted").isFalse();
      assertThat(chain.reader(rollup).totalDeposited(BigInteger.ZERO).send()).isEqualTo(top);
      assertThat(chain.reader(rollup).requestCount().send()).isEqualTo(count);
      assertThat(chain.balance(rollup)).isEqualTo(held);
    }
  }
}
