package io.zkrollup.aggregator.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkrollup.aggregator.ledger.RejectReason;
import io.zkrollup.sdk.RejectionReason;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The client SDK reads every ErrorInfo reason the node sends: the two enums name the same reasons. */
class RejectionReasonsTest {

  @Test
  void theSdkKnowsEveryReasonTheNodeSends() {
    assertThat(Arrays.stream(RejectionReason.values()).map(Enum::name).filter(n -> !n.equals("UNKNOWN")))
        .containsExactlyElementsOf(Arrays.stream(RejectReason.values()).map(Enum::name).toList());
    assertThat(TxStatusCodes.DOMAIN).isEqualTo(io.zkrollup.sdk.RollupException.ERROR_DOMAIN);
  }
}
