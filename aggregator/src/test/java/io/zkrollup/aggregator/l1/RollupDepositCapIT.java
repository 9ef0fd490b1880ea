package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Rollup.sol refuses a deposit that would bring all deposits together to 2^128 wei ({@code
 * DepositCapExceeded}): past that an L2 balance could exceed the circuit's 128-bit bound. Deposits
 * never call the verifier, so the contract is deployed with a placeholder verifier address.
 */
class RollupDepositCapIT {

  /** Rollup.sol's storage slot of {@code totalDeposited} (after stateRoot, the packed counters and exodus flag, and the three mappings). */
  private static final int TOTAL_DEPOSITED_SLOT = 5;

  private static final BigInteger MAX_DEPOSIT = BigInteger.ONE.shiftLeft(104).subtract(BigInteger.ONE);

  @TempDir Path dir;

  @Test
  void aDepositThatBringsTheTotalTo2To128Reverts() throws Exception {
    try (L1Chain chain = L1Chain.start(dir)) {
      String rollup = chain.deployRollup("0x000000000000000000000000000000000000dEaD", 5, 4, Fr.of(BigInteger.ONE), Fr.of(BigInteger.TWO));
      Credentials rich = L1Chain.key(0x31);
      chain.setBalance(rich.getAddress(), BigInteger.ONE.shiftLeft(129));
      chain.deposit(rich, rollup, Fr.of(BigInteger.TEN), BigInteger.valueOf(1000));
      assertThat(chain.reader(rollup).totalDeposited().send()).isEqualTo(BigInteger.valueOf(1000));

      // 2^24 deposits of 2^104 − 1 would take long: set the running total near the cap instead.
      BigInteger nearCap = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE.shiftLeft(104));
      chain.anvil.call("anvil_setStorageAt", rollup, Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(TOTAL_DEPOSITED_SLOT), 64), Numeric.toHexStringWithPrefixZeroPadded(nearCap, 64));
      assertThat(chain.reader(rollup).totalDeposited().send()).as("slot %d is totalDeposited", TOTAL_DEPOSITED_SLOT).isEqualTo(nearCap);

      // nearCap + 2^104 − 1 = 2^128 − 1: the largest total there can be.
      chain.deposit(rich, rollup, Fr.of(BigInteger.TEN), MAX_DEPOSIT);
      BigInteger top = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
      assertThat(chain.reader(rollup).totalDeposited().send()).isEqualTo(top);
      BigInteger count = chain.reader(rollup).requestCount().send();
      BigInteger held = chain.balance(rollup);

      String deposit = chain.reader(rollup).deposit(Fr.of(BigInteger.TEN).toBytes(), rich.getAddress(), BigInteger.ONE).encodeFunctionCall();
      assertThat(chain.revertOf(rich, rollup, BigInteger.ONE, deposit)).hasValue("DepositCapExceeded(" + top + ", 1)");
      var mined = chain.send(rich, rollup, BigInteger.ONE, deposit, L1Chain.GAS_LIMIT);
      assertThat(mined.isStatusOK()).as("mined and reverted").isFalse();
      assertThat(chain.reader(rollup).totalDeposited().send()).isEqualTo(top);
      assertThat(chain.reader(rollup).requestCount().send()).isEqualTo(count);
      assertThat(chain.balance(rollup)).isEqualTo(held);
    }
  }
}
