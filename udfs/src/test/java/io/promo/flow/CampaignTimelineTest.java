package io.promo.flow;

import static io.promo.testing.Fixtures.HOUR;
import static io.promo.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignTimelineTest {

  private static CampaignUpdate u(long seq, long at, String status) {
    return new CampaignUpdate("c", seq, (int) seq, at, status, "{}", T0, T0 + 10 * HOUR);
  }

  // ---- Lifecycle --------------------------------------------------------------------------------

  @Test
  void effectiveStatusFollowsTheSchedule() {
    long start = T0;
    long end = T0 + HOUR;
    assertThat(Lifecycle.effective(Lifecycle.SCHEDULED, start, end, start - 1)).isEqualTo(Lifecycle.SCHEDULED);
    assertThat(Lifecycle.effective(Lifecycle.SCHEDULED, start, end, start)).isEqualTo(Lifecycle.RUNNING);
    assertThat(Lifecycle.effective(Lifecycle.SCHEDULED, start, end, end - 1)).isEqualTo(Lifecycle.RUNNING);
    assertThat(Lifecycle.effective(Lifecycle.SCHEDULED, start, end, end)).isEqualTo(Lifecycle.COMPLETED);
    assertThat(Lifecycle.effective(Lifecycle.SCHEDULED, start, null, end * 2)).isEqualTo(Lifecycle.RUNNING);
    assertThat(Lifecycle.effective(Lifecycle.SCHEDULED, null, end, end)).isEqualTo(Lifecycle.SCHEDULED);
    assertThat(Lifecycle.effective(Lifecycle.RUNNING, start, end, end)).isEqualTo(Lifecycle.COMPLETED);
    assertThat(Lifecycle.effective(Lifecycle.PAUSED, start, end, end - 1)).isEqualTo(Lifecycle.PAUSED);
    assertThat(Lifecycle.effective(Lifecycle.PAUSED, start, end, end)).isEqualTo(Lifecycle.COMPLETED);
    assertThat(Lifecycle.effective(Lifecycle.DRAFT, null, end, end)).isEqualTo(Lifecycle.DRAFT);
    assertThat(Lifecycle.effective(Lifecycle.STOPPED, start, end, end)).isEqualTo(Lifecycle.STOPPED);
    assertThat(Lifecycle.effective(Lifecycle.ARCHIVED, start, end, end)).isEqualTo(Lifecycle.ARCHIVED);
  }

  @Test
  void allowedCommandsAndFinalStatuses() {
    assertThat(Lifecycle.allowed(Lifecycle.DRAFT)).containsExactlyInAnyOrder("upsert", "publish", "archive");
    assertThat(Lifecycle.allowed(Lifecycle.SCHEDULED)).containsExactlyInAnyOrder("upsert", "stop");
    assertThat(Lifecycle.allowed(Lifecycle.RUNNING)).containsExactlyInAnyOrder("upsert", "pause", "stop");
    assertThat(Lifecycle.allowed(Lifecycle.PAUSED)).containsExactlyInAnyOrder("upsert", "resume", "stop");
    assertThat(Lifecycle.allowed(Lifecycle.STOPPED)).containsExactly("archive");
    assertThat(Lifecycle.allowed(Lifecycle.COMPLETED)).containsExactly("archive");
    assertThat(Lifecycle.allowed(Lifecycle.ARCHIVED)).isEmpty();
    assertThat(List.of(Lifecycle.STOPPED, Lifecycle.COMPLETED, Lifecycle.ARCHIVED)).allMatch(Lifecycle::isFinal);
    assertThat(List.of(Lifecycle.DRAFT, Lifecycle.SCHEDULED, Lifecycle.RUNNING, Lifecycle.PAUSED))
        .noneMatch(Lifecycle::isFinal);
  }

  // ---- CampaignTimeline -------------------------------------------------------------------------

  @Test
  void withKeepsEntriesSortedByTimeThenSeqAndIgnoresRepeats() {
    CampaignUpdate a = u(1, T0, Lifecycle.SCHEDULED);
    CampaignUpdate b = u(2, T0 + 2 * HOUR, Lifecycle.PAUSED);
    CampaignUpdate c = u(3, T0 + HOUR, Lifecycle.PAUSED); // took effect earlier than b
    CampaignUpdate d = u(4, T0 + 2 * HOUR, Lifecycle.RUNNING); // same time as b, later seq

    CampaignTimeline t = CampaignTimeline.of(a).with(d).with(b).with(c);
    assertThat(t.entries()).containsExactly(a, c, b, d);
    assertThat(t.with(b)).isSameAs(t);
    assertThat(t.with(u(2, T0 + 5 * HOUR, Lifecycle.STOPPED))).isSameAs(t);
    assertThat(t.latest()).isEqualTo(d);
    assertThat(t.campaignId()).isEqualTo("c");
  }

  @Test
  void atIsTheEntryInForce() {
    CampaignUpdate a = u(1, T0, Lifecycle.SCHEDULED);
    CampaignUpdate b = u(2, T0 + HOUR, Lifecycle.PAUSED);
    CampaignUpdate c = u(3, T0 + HOUR, Lifecycle.RUNNING);
    CampaignTimeline t = CampaignTimeline.of(a).with(b).with(c);

    assertThat(t.at(T0 - 1)).isNull();
    assertThat(t.at(T0)).isEqualTo(a);
    assertThat(t.at(T0 + HOUR - 1)).isEqualTo(a);
    assertThat(t.at(T0 + HOUR)).isEqualTo(c);
    assertThat(t.at(Long.MAX_VALUE)).isEqualTo(c);

    assertThat(t.statusAt(T0 - 1)).isNull();
    assertThat(t.statusAt(T0)).isEqualTo(Lifecycle.RUNNING);
    assertThat(t.statusAt(T0 + HOUR)).isEqualTo(Lifecycle.RUNNING);
    assertThat(t.statusAt(T0 + 10 * HOUR)).isEqualTo(Lifecycle.COMPLETED);
  }

  @Test
  void prunedBeforeKeepsTheEntryInForceAtTheWatermark() {
    CampaignUpdate a = u(1, T0, Lifecycle.SCHEDULED);
    CampaignUpdate b = u(2, T0 + HOUR, Lifecycle.PAUSED);
    CampaignUpdate c = u(3, T0 + 2 * HOUR, Lifecycle.RUNNING);
    CampaignTimeline t = CampaignTimeline.of(a).with(b).with(c);

    assertThat(t.prunedBefore(Long.MIN_VALUE)).isSameAs(t);
    assertThat(t.prunedBefore(T0 + HOUR - 1)).isSameAs(t);
    assertThat(t.prunedBefore(T0 + HOUR).entries()).containsExactly(b, c);
    assertThat(t.prunedBefore(T0 + 2 * HOUR - 1).entries()).containsExactly(b, c);
    assertThat(t.prunedBefore(T0 + 2 * HOUR).entries()).containsExactly(c);
    assertThat(t.prunedBefore(Long.MAX_VALUE).entries()).containsExactly(c);
    // Every event after the watermark is judged as before the pruning.
    for (long ts : new long[] {T0 + HOUR + 1, T0 + 2 * HOUR, T0 + 3 * HOUR}) {
      assertThat(t.prunedBefore(T0 + HOUR).at(ts)).isEqualTo(t.at(ts));
    }
  }
}
