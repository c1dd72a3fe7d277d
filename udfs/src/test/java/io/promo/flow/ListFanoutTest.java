package io.promo.flow;

import static io.promo.testing.Fixtures.MIN;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Fixtures.listChange;
import static io.promo.testing.Harnesses.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Command;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ListFanoutTest {

  @Test
  void eachListCommandIsFannedOutToItsUsersOnce() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, Command, ListChange> h =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ListFanout(), Command::list, Types.STRING)) {
      h.processElement(listChange("add", "l-1", "vip", T0, "u1", "u2", "u1"), T0);
      assertThat(drain(h)).containsExactly(
          new ListChange("u1", "vip", true, T0, "l-1"), new ListChange("u2", "vip", true, T0, "l-1"));

      h.processElement(listChange("add", "l-1", "vip", T0, "u1", "u2"), T0);
      assertThat(drain(h)).isEmpty();

      h.processElement(listChange("remove", "l-2", "vip", T0 + MIN, "u2"), T0 + MIN);
      h.processElement(listChange("add", "l-3", "beta", T0 + MIN, "u2"), T0 + MIN);
      assertThat(drain(h)).containsExactly(
          new ListChange("u2", "vip", false, T0 + MIN, "l-2"), new ListChange("u2", "beta", true, T0 + MIN, "l-3"));
      assertThat(h.numKeyedStateEntries()).as("applied commandIds of two lists").isEqualTo(2);
      assertThat(h.numEventTimeTimers() + h.numProcessingTimeTimers()).isZero();
    }
  }
}
