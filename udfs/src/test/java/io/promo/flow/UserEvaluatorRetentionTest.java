package io.promo.flow;

import static io.promo.testing.Fixtures.DAY;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Fixtures.campaign;
import static io.promo.testing.Fixtures.event;
import static io.promo.testing.Harnesses.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Reasons;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** {@code state.retention}: a user not seen for longer is forgotten, limits included. */
class UserEvaluatorRetentionTest {
  private static final long RETENTION = 30 * DAY;

  @Test
  void aUserNotSeenForTheRetentionIsForgotten() throws Exception {
    try (KeyedBroadcastOperatorTestHarness<String, UserInput, CampaignUpdate, Qualification> h =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new UserEvaluator(DAY, RETENTION), UserInput::userId, Types.STRING, Campaigns.STATE)) {
      h.processBroadcastElement(campaign("c").limits("{'perUser': {'max': 1}}").running(T0, null), T0);
      h.setStateTtlProcessingTime(0);
      h.processElement(UserInput.of(event("e1", "u1", "buy", T0 + 1)), T0 + 1);
      h.processElement(UserInput.of(event("e2", "u1", "buy", T0 + 2)), T0 + 2);
      h.watermark(T0 + 10);
      assertThat(drain(h)).extracting(Qualification::reject).containsExactly(null, Reasons.USER_LIMIT);

      // Within the retention the limit holds; after it, the user starts afresh.
      h.setStateTtlProcessingTime(RETENTION - 1);
      h.processElement(UserInput.of(event("e3", "u1", "buy", T0 + 20)), T0 + 20);
      h.watermark(T0 + 30);
      assertThat(drain(h)).extracting(Qualification::reject).containsExactly(Reasons.USER_LIMIT);

      h.setStateTtlProcessingTime(2 * RETENTION + 1);
      h.processElement(UserInput.of(event("e4", "u1", "buy", T0 + 40)), T0 + 40);
      h.watermark(T0 + 50);
      List<Qualification> out = drain(h);
      assertThat(out).extracting(Qualification::reject).containsExactly((String) null);
    }
  }
}
