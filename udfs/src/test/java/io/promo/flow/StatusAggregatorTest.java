package io.promo.flow;

import static io.promo.testing.Harnesses.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.CampaignStats;
import io.promo.model.CampaignStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  private static final AtomicLong WALL = new AtomicLong();

  private KeyedTwoInputStreamOperatorTestHarness<String, CampaignStatus, CampaignStats, CampaignStatus> h;

  @BeforeEach
  void open() throws Exception {
    WALL.set(5_000);
    h = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
        new StatusAggregator(WALL::get), CampaignStatus::id, CampaignStats::campaignId, Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  private static CampaignStatus status(String status, long updatedAt) {
    return new CampaignStatus("c1", "Campaign c1", "alice", List.of("x"), "LIVE", "BULK_COUPON_CODES", status, 2,
        Map.of("start", 1L), updatedAt, null, Map.of("perUserMax", 1L), "cmd-1");
  }

  private static CampaignStatus joined(CampaignStatus s, long updatedAt, CampaignStatus.Stats stats) {
    return new CampaignStatus(s.id(), s.name(), s.createdBy(), s.labels(), s.kind(), s.rewardType(), s.status(),
        s.version(), s.schedule(), updatedAt, stats, s.limits(), s.lastCommandId());
  }

  @Test
  void joinsLifecycleAndCountersAndWritesOnlyChanges() throws Exception {
    CampaignStats early = new CampaignStats("c1", 1, 1, 0, Map.of(), 10, 1, 9);
    h.processElement2(early, 0);
    assertThat(drain(h)).as("no status yet").isEmpty();

    CampaignStatus running = status("RUNNING", 3_000);
    h.processElement1(running, 0);
    assertThat(drain(h)).containsExactly(
        joined(running, 3_000, new CampaignStatus.Stats(1, 1, 0, Map.of(), new CampaignStatus.Inventory(10, 1, 9))));

    h.processElement2(new CampaignStats("c1", 1, 1, 0, Map.of(), 10, 1, 9), 0);
    assertThat(drain(h)).as("unchanged stats").isEmpty();

    WALL.set(8_000);
    CampaignStats later = new CampaignStats("c1", 3, 2, 0, Map.of("USER_LIMIT", 1L), 10, 2, 8);
    h.processElement2(later, 0);
    assertThat(drain(h)).containsExactly(joined(running, 8_000,
        new CampaignStatus.Stats(3, 2, 0, Map.of("USER_LIMIT", 1L), new CampaignStatus.Inventory(10, 2, 8))));

    CampaignStatus paused = status("PAUSED", 9_000);
    h.processElement1(paused, 0);
    assertThat(drain(h)).extracting(CampaignStatus::status, CampaignStatus::updatedAt, s -> s.stats().granted())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("PAUSED", 9_000L, 2L));
    assertThat(h.numKeyedStateEntries()).isEqualTo(2);
    assertThat(h.numEventTimeTimers() + h.numProcessingTimeTimers()).isZero();
  }

  @Test
  void withoutCountersYetTheStatsAreZeroAndThereIsNoInventory() throws Exception {
    WALL.set(1_000);
    CampaignStatus draft = status("DRAFT", 3_000);
    h.processElement1(draft, 0);
    assertThat(drain(h)).containsExactly(joined(draft, 3_000, new CampaignStatus.Stats(0, 0, 0, Map.of(), null)));
  }
}
