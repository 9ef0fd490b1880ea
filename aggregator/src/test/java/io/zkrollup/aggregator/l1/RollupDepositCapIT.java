package io.zkrollup.aggregator.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.statetree.field.Fr;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Rollup.sol refuses a deposit that would bring all deposits together to 2^128 wei ({@code
 * DepositCapExceeded}): past that an L2 balance could exceed the circuit's 128-bit bound. Deposits
 * never call the verifier, so the contract is deployed with a placeholder verifier address.
 */
class RollupDepositCapIT {

  /** Rollup.sol's storage slot of {@code totalDeposited} (after stateRoot, the packed counters and the two mappings). */
  private static final int TOTAL_DEPOSITED_SLOT = 4;

  private static final BigInteger MAX_DEPOSIT = BigInteger.ONE.shiftLeft(112).subtract(BigInteger.ONE);

  @TempDir Path dir;

  @Test
  void aDepositThatBringsTheTotalTo2To128Reverts() throws Exception {
    try (L1Chain chain = L1Chain.start(dir)) {
      String rollup = chain.deployRollup("0x000000000000000000000000000000000000dEaD", 7, 5, Fr.of(BigInteger.ONE), Fr.of(BigInteger.TWO));
      Credentials rich = L1Chain.key(0x31);
      chain.setBalance(rich.getAddress(), BigInteger.ONE.shiftLeft(129));
      chain.deposit(rich, rollup, Fr.of(BigInteger.TEN), BigInteger.valueOf(1000));
      assertThat(chain.read(rollup, "totalDeposited")).isEqualTo(BigInteger.valueOf(1000));

      // 2^16 deposits of 2^112 − 1 would take long: set the running total near the cap instead.
      BigInteger nearCap = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE.shiftLeft(112));
      Response<?> set =
          new Request<>(
                  "anvil_setStorageAt",
                  List.of(rollup, Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(TOTAL_DEPOSITED_SLOT), 64), Numeric.toHexStringWithPrefixZeroPadded(nearCap, 64)),
                  new HttpService(chain.anvil.url),
                  VoidResponse.class)
              .send();
      assertThat(set.hasError()).as("anvil_setStorageAt").isFalse();
      assertThat(chain.read(rollup, "totalDeposited")).as("slot %d is totalDeposited", TOTAL_DEPOSITED_SLOT).isEqualTo(nearCap);

      // nearCap + 2^112 − 1 = 2^128 − 1: the largest total there can be.
      chain.deposit(rich, rollup, Fr.of(BigInteger.TEN), MAX_DEPOSIT);
      BigInteger top = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
      assertThat(chain.read(rollup, "totalDeposited")).isEqualTo(top);
      BigInteger count = chain.read(rollup, "depositCount");
      BigInteger held = chain.balance(rollup);

      String deposit = L1Chain.encode("deposit", new Bytes32(Fr.of(BigInteger.TEN).toBytes()));
      assertThat(chain.revertOf(rich, rollup, BigInteger.ONE, deposit)).hasValue("DepositCapExceeded(" + top + ", 1)");
      var mined = chain.send(rich, rollup, BigInteger.ONE, deposit, L1Chain.GAS_LIMIT);
      assertThat(mined.isStatusOK()).as("mined and reverted").isFalse();
      assertThat(chain.read(rollup, "totalDeposited")).isEqualTo(top);
      assertThat(chain.read(rollup, "depositCount")).isEqualTo(count);
      assertThat(chain.balance(rollup)).isEqualTo(held);
    }
  }
}
