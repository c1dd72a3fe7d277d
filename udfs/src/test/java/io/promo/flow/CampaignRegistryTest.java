package io.promo.flow;

import static io.promo.testing.Fixtures.DAY;
import static io.promo.testing.Fixtures.HOUR;
import static io.promo.testing.Fixtures.MIN;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Fixtures.campaign;
import static io.promo.testing.Fixtures.lifecycle;
import static io.promo.testing.Fixtures.upsert;
import static io.promo.testing.Harnesses.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Alert;
import io.promo.model.CampaignStatus;
import io.promo.model.Command;
import io.promo.model.Reasons;
import io.promo.testing.Fixtures.CampaignJson;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CampaignRegistryTest {
  /** The wall clock, after every command's time unless a test sets it otherwise. */
  private static final long NOW = T0 + 10 * DAY;

  private KeyedOneInputStreamOperatorTestHarness<String, Command, CampaignUpdate> h;

  @BeforeEach
  void open() throws Exception {
    h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new CampaignRegistry(), Command::campaignId, Types.STRING);
    h.setProcessingTime(NOW);
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  private List<CampaignUpdate> apply(Command c) throws Exception {
    h.processElement(c, c.at());
    return drain(h);
  }

  private List<CampaignStatus> statuses() {
    return drain(h, Tags.STATUS);
  }

  private List<Alert> alerts() {
    return drain(h, Tags.ALERTS);
  }

  private static CampaignStatus status(String status, int version, Map<String, Long> schedule, long updatedAt,
      String lastCommandId) {
    return new CampaignStatus("c1", "Campaign c1", "alice", List.of(), "LIVE", "WALLET_POINTS", status, version,
        schedule, updatedAt, null, Map.of("perUserMax", 100L), lastCommandId);
  }

  private static Alert rejected(String type, String commandId, long at, String why) {
    return new Alert(Reasons.COMMAND_REJECTED, "c1", null, commandId, type + " " + commandId + " rejected: " + why, at);
  }

  private void assertIgnored(Command c) throws Exception {
    assertThat(apply(c)).isEmpty();
    assertThat(statuses()).isEmpty();
    assertThat(alerts()).isEmpty();
  }

  @Test
  void fullLifecycle() throws Exception {
    CampaignJson c = campaign("c1").draft();
    String json = c.text();

    assertThat(apply(upsert("u-1", c, T0)))
        .containsExactly(new CampaignUpdate("c1", 1, 1, T0, Lifecycle.DRAFT, json, null, null));
    assertThat(statuses()).containsExactly(status("DRAFT", 1, Map.of(), NOW, "u-1"));

    assertThat(apply(lifecycle("publish", "p-1", "c1", T0 + MIN)))
        .containsExactly(new CampaignUpdate("c1", 2, 1, T0 + MIN, Lifecycle.SCHEDULED, json, T0 + MIN, null));
    assertThat(statuses()).containsExactly(status("RUNNING", 1, Map.of("start", T0 + MIN), NOW, "p-1"));

    assertThat(apply(lifecycle("pause", "pa-1", "c1", T0 + 2 * MIN)))
        .containsExactly(new CampaignUpdate("c1", 3, 1, T0 + 2 * MIN, Lifecycle.PAUSED, json, T0 + MIN, null));
    assertThat(statuses()).containsExactly(status("PAUSED", 1, Map.of("start", T0 + MIN), NOW, "pa-1"));

    assertThat(apply(lifecycle("resume", "r-1", "c1", T0 + 3 * MIN)))
        .containsExactly(new CampaignUpdate("c1", 4, 1, T0 + 3 * MIN, Lifecycle.RUNNING, json, T0 + MIN, null));
    assertThat(statuses()).containsExactly(status("RUNNING", 1, Map.of("start", T0 + MIN), NOW, "r-1"));

    assertThat(apply(lifecycle("stop", "s-1", "c1", T0 + 4 * MIN)))
        .containsExactly(new CampaignUpdate("c1", 5, 1, T0 + 4 * MIN, Lifecycle.STOPPED, json, T0 + MIN, null));
    assertThat(statuses()).containsExactly(status("STOPPED", 1, Map.of("start", T0 + MIN), NOW, "s-1"));

    assertThat(apply(lifecycle("archive", "a-1", "c1", T0 + 5 * MIN)))
        .containsExactly(new CampaignUpdate("c1", 6, 1, T0 + 5 * MIN, Lifecycle.ARCHIVED, json, T0 + MIN, null));
    assertThat(statuses()).containsExactly(status("ARCHIVED", 1, Map.of("start", T0 + MIN), NOW, "a-1"));

    assertThat(alerts()).isEmpty();
    assertThat(h.numProcessingTimeTimers()).isZero();
    assertThat(h.numKeyedStateEntries()).as("the entry and the applied commandIds").isEqualTo(2);
  }

  @Test
  void aCampaignThatIsNotADraftIsScheduledAtOnce() throws Exception {
    CampaignJson c = campaign("c1");
    assertThat(apply(upsert("u-1", c, T0)))
        .containsExactly(new CampaignUpdate("c1", 1, 1, T0, Lifecycle.SCHEDULED, c.text(), T0, null));
    assertThat(statuses()).containsExactly(status("RUNNING", 1, Map.of("start", T0), NOW, "u-1"));
  }

  /** Brings c1 to a status at T0 (commands at T0..T0+2m), for the command under test at T0+10m. */
  private void reach(String status) throws Exception {
    switch (status) {
      case "DRAFT" -> apply(upsert("setup-1", campaign("c1").draft(), T0));
      case "SCHEDULED" -> apply(upsert("setup-1", campaign("c1").schedule(T0 + DAY, null), T0));
      case "RUNNING" -> apply(upsert("setup-1", campaign("c1"), T0));
      case "COMPLETED" -> apply(upsert("setup-1", campaign("c1").schedule(T0, T0 + 5 * MIN), T0));
      case "PAUSED", "STOPPED" -> {
        reach("RUNNING");
        apply(lifecycle(status.equals("PAUSED") ? "pause" : "stop", "setup-2", "c1", T0 + MIN));
      }
      case "ARCHIVED" -> {
        reach("STOPPED");
        apply(lifecycle("archive", "setup-3", "c1", T0 + 2 * MIN));
      }
      default -> throw new IllegalArgumentException(status);
    }
    statuses();
    assertThat(alerts()).isEmpty();
  }

  @ParameterizedTest(name = "{1} when {0}")
  @CsvSource({
    "DRAFT, pause, 'archive, publish, upsert'",
    "DRAFT, resume, 'archive, publish, upsert'",
    "DRAFT, stop, 'archive, publish, upsert'",
    "SCHEDULED, publish, 'stop, upsert'",
    "SCHEDULED, pause, 'stop, upsert'",
    "SCHEDULED, resume, 'stop, upsert'",
    "SCHEDULED, archive, 'stop, upsert'",
    "RUNNING, publish, 'pause, stop, upsert'",
    "RUNNING, resume, 'pause, stop, upsert'",
    "RUNNING, archive, 'pause, stop, upsert'",
    "PAUSED, publish, 'resume, stop, upsert'",
    "PAUSED, pause, 'resume, stop, upsert'",
    "PAUSED, archive, 'resume, stop, upsert'",
    "STOPPED, upsert, archive",
    "STOPPED, publish, archive",
    "STOPPED, pause, archive",
    "STOPPED, resume, archive",
    "STOPPED, stop, archive",
    "COMPLETED, upsert, archive",
    "COMPLETED, pause, archive",
    "COMPLETED, stop, archive",
    "ARCHIVED, upsert, nothing",
    "ARCHIVED, publish, nothing",
    "ARCHIVED, resume, nothing",
    "ARCHIVED, archive, nothing",
  })
  void aCommandTheStatusDoesNotAllowIsRejectedAndChangesNothing(String status, String verb, String allowed)
      throws Exception {
    reach(status);
    long at = T0 + 10 * MIN;
    Command c = verb.equals("upsert") ? upsert("x-1", campaign("c1"), at) : lifecycle(verb, "x-1", "c1", at);

    assertThat(apply(c)).isEmpty();
    assertThat(statuses()).isEmpty();
    assertThat(alerts()).containsExactly(rejected("campaign." + verb, "x-1", at,
        "campaign 'c1' is " + status + ": " + verb + " is not allowed (allowed: " + allowed + ")"));
  }

  @Test
  void aRejectedCommandIsNotRememberedAsApplied() throws Exception {
    reach("DRAFT");
    apply(lifecycle("pause", "x-1", "c1", T0 + MIN));
    assertThat(alerts()).hasSize(1);
    apply(lifecycle("publish", "p-1", "c1", T0 + 2 * MIN));
    assertThat(apply(lifecycle("pause", "x-1", "c1", T0 + 3 * MIN))).extracting(CampaignUpdate::seq, CampaignUpdate::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, Lifecycle.PAUSED));
  }

  @Test
  void commandsForAnUnknownCampaignAreRejected() throws Exception {
    assertThat(apply(lifecycle("publish", "p-1", "c1", T0))).isEmpty();
    assertThat(alerts()).containsExactly(rejected("campaign.publish", "p-1", T0, "campaign 'c1' does not exist"));
    assertThat(h.numKeyedStateEntries()).isZero();
  }

  @Test
  void aRepeatedCommandIdIsIgnoredEvenWhenItWouldNowBeRejected() throws Exception {
    reach("RUNNING");
    apply(lifecycle("pause", "pa-1", "c1", T0 + MIN));
    statuses();
    assertIgnored(lifecycle("pause", "pa-1", "c1", T0 + 2 * MIN));
    assertIgnored(upsert("setup-1", campaign("c1").reward("{'type': 'WALLET_POINTS', 'points': 99}"), T0 + 3 * MIN));
  }

  @Test
  void anEditBumpsTheVersionAndKeepsStatusAndStart() throws Exception {
    reach("RUNNING");
    CampaignJson edited = campaign("c1").reward("{'type': 'WALLET_POINTS', 'points': 20}").draft();
    assertThat(apply(upsert("u-2", edited, T0 + HOUR)))
        .containsExactly(new CampaignUpdate("c1", 2, 2, T0 + HOUR, Lifecycle.SCHEDULED, edited.text(), T0, null));
    assertThat(statuses()).containsExactly(status("RUNNING", 2, Map.of("start", T0), NOW, "u-2"));

    CampaignJson ending = campaign("c1").schedule(T0 + DAY, T0 + 2 * DAY);
    assertThat(apply(upsert("u-3", ending, T0 + 2 * HOUR))).containsExactly(
        new CampaignUpdate("c1", 3, 3, T0 + 2 * HOUR, Lifecycle.SCHEDULED, ending.text(), T0 + DAY, T0 + 2 * DAY));
  }

  @Test
  void aDraftCanBeEditedFreelyAndStaysADraft() throws Exception {
    reach("DRAFT");
    CampaignJson codes = campaign("c1").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S2'}");
    assertThat(apply(upsert("u-2", codes, T0 + MIN)))
        .containsExactly(new CampaignUpdate("c1", 2, 2, T0 + MIN, Lifecycle.DRAFT, codes.text(), null, null));
    assertThat(alerts()).isEmpty();
  }

  @Test
  void theRewardSeriesCannotChangeOncePublished() throws Exception {
    apply(upsert("u-1", campaign("c1").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S1'}"), T0));
    statuses();
    assertThat(apply(upsert("u-2", campaign("c1").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S2'}"), T0 + MIN)))
        .isEmpty();
    assertThat(alerts()).containsExactly(rejected("campaign.upsert", "u-2", T0 + MIN,
        "reward series cannot change once the campaign was published (it is 'series:S1'); create a new campaign instead"));
    assertThat(apply(upsert("u-3", campaign("c1"), T0 + 2 * MIN))).isEmpty();
    assertThat(alerts()).extracting(Alert::message).containsExactly("campaign.upsert u-3 rejected: reward series cannot"
        + " change once the campaign was published (it is 'series:S1'); create a new campaign instead");
    // The same series with other settings is a normal edit.
    assertThat(apply(upsert("u-4", campaign("c1").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S1', 'lowStock': 5}"),
        T0 + 3 * MIN))).extracting(CampaignUpdate::version).containsExactly(2);
  }

  @Test
  void theScheduleDrivesTheStatusWithProcessingTimeTimers() throws Exception {
    h.setProcessingTime(T0 - HOUR);
    CampaignJson c = campaign("c1").schedule(T0, T0 + 2 * HOUR);
    Map<String, Long> schedule = Map.of("start", T0, "end", T0 + 2 * HOUR);

    assertThat(apply(upsert("u-1", c, T0 - HOUR)))
        .containsExactly(new CampaignUpdate("c1", 1, 1, T0 - HOUR, Lifecycle.SCHEDULED, c.text(), T0, T0 + 2 * HOUR));
    assertThat(statuses()).containsExactly(status("SCHEDULED", 1, schedule, T0 - HOUR, "u-1"));
    assertThat(h.numProcessingTimeTimers()).isEqualTo(2);

    h.setProcessingTime(T0 - 1);
    assertThat(statuses()).isEmpty();
    h.setProcessingTime(T0);
    assertThat(statuses()).containsExactly(status("RUNNING", 1, schedule, T0, "u-1"));
    h.setProcessingTime(T0 + 2 * HOUR);
    assertThat(statuses()).containsExactly(status("COMPLETED", 1, schedule, T0 + 2 * HOUR, "u-1"));
    assertThat(drain(h)).as("timers publish status only").isEmpty();
    assertThat(h.numProcessingTimeTimers()).isZero();

    // A command dated before the end is judged at its own time.
    apply(lifecycle("pause", "pa-1", "c1", T0 + HOUR));
    assertThat(alerts()).isEmpty();
    assertThat(statuses()).containsExactly(status("COMPLETED", 1, schedule, T0 + 2 * HOUR, "pa-1"));
    apply(lifecycle("resume", "r-1", "c1", T0 + 3 * HOUR));
    assertThat(alerts()).extracting(Alert::message).containsExactly(
        "campaign.resume r-1 rejected: campaign 'c1' is COMPLETED: resume is not allowed (allowed: archive)");
    assertThat(h.numProcessingTimeTimers()).isZero();
  }
}
