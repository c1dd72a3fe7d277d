package io.promo.flow;

import static io.promo.testing.Fixtures.DAY;
import static io.promo.testing.Fixtures.HOUR;
import static io.promo.testing.Fixtures.MIN;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Fixtures.campaign;
import static io.promo.testing.Fixtures.qualification;
import static io.promo.testing.Harnesses.drain;
import static io.promo.testing.Harnesses.keyedStateEntries;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Alert;
import io.promo.model.CampaignStats;
import io.promo.model.Grant;
import io.promo.model.GrantReward;
import io.promo.model.Reasons;
import io.promo.model.Rejection;
import io.promo.model.TriggerRef;
import io.promo.testing.Fixtures.CampaignJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LedgerTest {
  private static final long STATS_EVERY = 10_000;
  private static final long NOW = 1_000_000;
  private static final GrantReward TEN_POINTS = new GrantReward("WALLET_POINTS", 10L, null, null, null, null);

  private KeyedBroadcastOperatorTestHarness<String, LedgerInput, CampaignUpdate, Grant> h;

  @BeforeEach
  void open() throws Exception {
    h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
        new Ledger(STATS_EVERY), LedgerInput::key, Types.STRING, Campaigns.STATE);
    h.setProcessingTime(NOW);
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void start(CampaignJson... campaigns) throws Exception {
    for (CampaignJson c : campaigns) {
      h.processBroadcastElement(c.running(T0, null), T0);
    }
  }

  /** Qualifications arrive with their qualification time as the element timestamp. */
  private void settle(Qualification... qs) throws Exception {
    for (Qualification q : qs) {
      h.processElement(new LedgerInput(q, null), q.qualifiedAt());
    }
  }

  private void upload(String series, Long expiresAt, String... codes) throws Exception {
    h.processElement(new LedgerInput(null, new CodeBatch(series, null, List.of(codes), expiresAt, "up", T0)), T0);
  }

  private List<Grant> until(long watermark) throws Exception {
    h.watermark(watermark);
    return drain(h);
  }

  private List<Rejection> rejections() {
    return drain(h, Tags.REJECTIONS);
  }

  private List<Alert> alerts() {
    return drain(h, Tags.ALERTS);
  }

  /** Fires the stats timer and returns what it published. */
  private List<CampaignStats> stats() throws Exception {
    h.setProcessingTime(h.getProcessingTime() + STATS_EVERY);
    return drain(h, Tags.STATS);
  }

  private void assertNothingPendingAndNoTimers(int stateEntriesKept) throws Exception {
    stats();
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numProcessingTimeTimers()).isZero();
    assertThat(keyedStateEntries(h)).as("counters (and inventory) are kept, nothing else").isEqualTo(stateEntriesKept);
  }

  private static Grant grant(Qualification q, GrantReward reward) {
    return new Grant(Ledger.grantId(q), q.campaignId(), q.version(), q.userId(), reward,
        new TriggerRef(q.triggerEventId(), q.triggerTs()), q.qualifiedAt(), q.deliverAt(), 0);
  }

  private static Rejection rejection(Qualification q, String reason) {
    return new Rejection(q.campaignId(), q.userId(), reason, new TriggerRef(q.triggerEventId(), q.triggerTs()),
        q.qualifiedAt());
  }

  private static Qualification coupon(String campaignId, String user, String eventId, long at) {
    return qualification(campaignId, "series:S", user, eventId, at, 0, null);
  }

  // ---- budgets ----------------------------------------------------------------------------------

  @Test
  void grantLimitRejectsBeyondItAndAlertsOnce() throws Exception {
    start(campaign("c1").limits("{'perCampaign': {'maxGrants': 2}}"));
    Qualification q1 = qualification("c1", "u1", "e1", T0 + MIN, 10);
    Qualification q2 = qualification("c1", "u2", "e2", T0 + MIN, 10);
    Qualification q3 = qualification("c1", "u3", "e3", T0 + MIN, 10);
    Qualification q4 = qualification("c1", "u4", "e4", T0 + 2 * MIN, 10);
    settle(q3, q1, q2);

    assertThat(until(T0 + MIN - 1)).isEmpty();
    assertThat(h.numEventTimeTimers()).isEqualTo(1);
    assertThat(until(T0 + MIN)).containsExactly(grant(q1, TEN_POINTS), grant(q2, TEN_POINTS));
    assertThat(rejections()).containsExactly(rejection(q3, Reasons.CAMPAIGN_GRANT_LIMIT));
    assertThat(alerts()).containsExactly(new Alert(Reasons.CAMPAIGN_LIMIT_REACHED, "c1", null, null,
        "campaign c1 reached its limit: 2 grants, 20 points", T0 + MIN));

    settle(q4);
    assertThat(until(T0 + HOUR)).isEmpty();
    assertThat(rejections()).containsExactly(rejection(q4, Reasons.CAMPAIGN_GRANT_LIMIT));
    assertThat(alerts()).isEmpty();
    assertThat(stats()).containsExactly(new CampaignStats("c1", 4, 2, 20, Map.of("CAMPAIGN_GRANT_LIMIT", 2L), -1, -1, -1));
    assertNothingPendingAndNoTimers(1);
  }

  @Test
  void pointsLimitRejectsWhatWouldExceedItAndAlertsOnceEvenIfNeverHitExactly() throws Exception {
    start(campaign("c1").limits("{'perCampaign': {'maxPoints': 25}}"));
    Qualification q1 = qualification("c1", "u1", "e1", T0 + MIN, 10);
    Qualification q2 = qualification("c1", "u2", "e2", T0 + 2 * MIN, 10);
    Qualification q3 = qualification("c1", "u3", "e3", T0 + 3 * MIN, 10);
    Qualification q4 = qualification("c1", "u4", "e4", T0 + 4 * MIN, 4);
    Qualification q5 = qualification("c1", "u5", "e5", T0 + 5 * MIN, 2);
    settle(q1, q2, q3, q4, q5);

    assertThat(until(T0 + HOUR)).containsExactly(grant(q1, TEN_POINTS), grant(q2, TEN_POINTS),
        grant(q4, new GrantReward("WALLET_POINTS", 4L, null, null, null, null)));
    assertThat(rejections()).containsExactly(
        rejection(q3, Reasons.CAMPAIGN_POINTS_LIMIT), rejection(q5, Reasons.CAMPAIGN_POINTS_LIMIT));
    // The budget (25) is never hit exactly, but it refused a grant: the limit is reached.
    assertThat(alerts()).containsExactly(new Alert(Reasons.CAMPAIGN_LIMIT_REACHED, "c1", null, null,
        "campaign c1 reached its limit: 2 grants, 20 points", T0 + 3 * MIN));
    assertThat(stats()).containsExactly(
        new CampaignStats("c1", 5, 3, 24, Map.of("CAMPAIGN_POINTS_LIMIT", 2L), -1, -1, -1));
    assertNothingPendingAndNoTimers(1);
  }

  @Test
  void pointsLimitHitExactlyAlertsAtTheGrantThatFillsIt() throws Exception {
    start(campaign("c1").limits("{'perCampaign': {'maxPoints': 20}}"));
    Qualification q1 = qualification("c1", "u1", "e1", T0 + MIN, 10);
    Qualification q2 = qualification("c1", "u2", "e2", T0 + 2 * MIN, 10);
    Qualification q3 = qualification("c1", "u3", "e3", T0 + 3 * MIN, 10);
    settle(q1, q2, q3);
    assertThat(until(T0 + HOUR)).containsExactly(grant(q1, TEN_POINTS), grant(q2, TEN_POINTS));
    assertThat(rejections()).containsExactly(rejection(q3, Reasons.CAMPAIGN_POINTS_LIMIT));
    assertThat(alerts()).containsExactly(new Alert(Reasons.CAMPAIGN_LIMIT_REACHED, "c1", null, null,
        "campaign c1 reached its limit: 2 grants, 20 points", T0 + 2 * MIN));
  }

  @Test
  void evaluatorRejectionsAreCountedAndForwardedAndUseNoBudgetOrCode() throws Exception {
    start(campaign("c1").limits("{'perCampaign': {'maxGrants': 1}}"),
        campaign("coupons").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S'}"));
    upload("S", null, "A");
    Qualification limited = qualification("c1", "campaign:c1", "u1", "e1", T0 + MIN, 10, Reasons.USER_LIMIT);
    Qualification paused = qualification("c1", "campaign:c1", "u2", "e2", T0 + MIN, 10, Reasons.NOT_RUNNING);
    Qualification dropped = qualification("coupons", "series:S", "u1", "e3", T0 + MIN, 0, Reasons.DELIVERY_DROPPED);
    Qualification ok = qualification("c1", "u3", "e4", T0 + 2 * MIN, 10);
    Qualification okCoupon = coupon("coupons", "u4", "e5", T0 + 2 * MIN);
    settle(limited, paused, dropped, ok, okCoupon);

    assertThat(until(T0 + HOUR)).containsExactly(
        grant(ok, TEN_POINTS), grant(okCoupon, new GrantReward("BULK_COUPON_CODES", null, "S", "A", null, null)));
    assertThat(rejections()).containsExactlyInAnyOrder(
        rejection(limited, Reasons.USER_LIMIT), rejection(paused, Reasons.NOT_RUNNING),
        rejection(dropped, Reasons.DELIVERY_DROPPED));
    assertThat(stats()).containsExactlyInAnyOrder(
        new CampaignStats("c1", 3, 1, 10, Map.of("USER_LIMIT", 1L, "NOT_RUNNING", 1L), -1, -1, -1),
        new CampaignStats("coupons", 2, 1, 0, Map.of("DELIVERY_DROPPED", 1L), 1, 1, 0));
    assertNothingPendingAndNoTimers(3);
  }

  // ---- codes ------------------------------------------------------------------------------------

  @Test
  void codesAreHandedOutOnceInUploadOrderSkippingExpiredOnesWithStockAlertsOnce() throws Exception {
    start(campaign("coupons").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S', 'validFor': 'P7D', 'lowStock': 1}"));
    upload("S", T0 + 30 * MIN, "X1");
    upload("S", T0 + 2 * DAY, "A", "B");
    upload("S", null, "C");
    Qualification q1 = coupon("coupons", "u1", "e1", T0 + HOUR);
    Qualification q2 = coupon("coupons", "u2", "e2", T0 + HOUR);
    Qualification q3 = coupon("coupons", "u3", "e3", T0 + HOUR);
    Qualification q4 = coupon("coupons", "u4", "e4", T0 + HOUR);
    settle(q4, q2, q3, q1);

    assertThat(until(T0 + HOUR)).containsExactly(
        grant(q1, new GrantReward("BULK_COUPON_CODES", null, "S", "A", null, T0 + 2 * DAY)),
        grant(q2, new GrantReward("BULK_COUPON_CODES", null, "S", "B", null, T0 + 2 * DAY)),
        grant(q3, new GrantReward("BULK_COUPON_CODES", null, "S", "C", null, T0 + HOUR + 7 * DAY)));
    assertThat(rejections()).containsExactly(rejection(q4, Reasons.INVENTORY_EXHAUSTED));
    assertThat(alerts()).containsExactly(
        new Alert(Reasons.INVENTORY_LOW, "coupons", "S", null, "series S is low: 1 codes left", T0 + HOUR),
        new Alert(Reasons.ALERT_INVENTORY_EXHAUSTED, "coupons", "S", null, "series S has no codes left (3 issued)",
            T0 + HOUR));
    assertThat(stats()).containsExactly(
        new CampaignStats("coupons", 4, 3, 0, Map.of("INVENTORY_EXHAUSTED", 1L), 3, 3, 0));

    // New stock re-arms the alerts.
    upload("S", null, "D");
    Qualification q5 = coupon("coupons", "u5", "e5", T0 + 2 * HOUR);
    Qualification q6 = coupon("coupons", "u6", "e6", T0 + 2 * HOUR);
    settle(q5, q6);
    assertThat(until(T0 + 2 * HOUR)).containsExactly(
        grant(q5, new GrantReward("BULK_COUPON_CODES", null, "S", "D", null, T0 + 2 * HOUR + 7 * DAY)));
    assertThat(rejections()).containsExactly(rejection(q6, Reasons.INVENTORY_EXHAUSTED));
    assertThat(alerts()).extracting(Alert::type).containsExactly(Reasons.INVENTORY_LOW, Reasons.ALERT_INVENTORY_EXHAUSTED);
    assertNothingPendingAndNoTimers(2); // counters and inventory; no code is left in the code map
  }

  @Test
  void aSeriesSharedByCampaignsIssuesEachCodeOnce() throws Exception {
    start(campaign("a").reward("{'type': 'PARTNER_VOUCHER', 'series': 'S', 'partner': 'acme'}"),
        campaign("b").reward("{'type': 'PARTNER_VOUCHER', 'series': 'S', 'partner': 'acme'}"));
    upload("S", null, "V1", "V2");
    Qualification qa = coupon("a", "u1", "e1", T0 + MIN);
    Qualification qb = coupon("b", "u1", "e2", T0 + MIN);
    Qualification qa2 = coupon("a", "u2", "e3", T0 + 2 * MIN);
    settle(qb, qa, qa2);

    assertThat(until(T0 + HOUR)).containsExactly(
        grant(qa, new GrantReward("PARTNER_VOUCHER", null, "S", "V1", "acme", null)),
        grant(qb, new GrantReward("PARTNER_VOUCHER", null, "S", "V2", "acme", null)));
    assertThat(rejections()).containsExactly(rejection(qa2, Reasons.INVENTORY_EXHAUSTED));
    assertThat(stats()).containsExactlyInAnyOrder(
        new CampaignStats("a", 2, 1, 0, Map.of("INVENTORY_EXHAUSTED", 1L), 2, 2, 0),
        new CampaignStats("b", 1, 1, 0, Map.of(), 2, 2, 0));
  }

  @Test
  void couponExpiryIsTheTriggerTimePlusValidFor() throws Exception {
    start(campaign("welcome").reward("{'type': 'SINGLE_CODE_COUPON', 'code': 'WELCOME', 'validFor': 'P7D'}"));
    // An inaction: triggered by the event at T0+1m, qualified at its deadline T0+31m.
    Qualification q = new Qualification("welcome", 1, "u1", "campaign:welcome", "e1", T0 + MIN, null, T0 + 31 * MIN,
        T0 + 31 * MIN, 0, null);
    settle(q);
    assertThat(until(T0 + HOUR)).containsExactly(
        grant(q, new GrantReward("SINGLE_CODE_COUPON", null, null, "WELCOME", null, T0 + MIN + 7 * DAY)));
  }

  // ---- order and identity -----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void contestedStockGoesByQualifiedAtThenCampaignUserAndEventWhateverTheArrivalOrder(boolean reversed) throws Exception {
    start(campaign("a").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S'}"),
        campaign("b").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S'}"));
    upload("S", null, "ONLY", "SECOND");
    long batch = T0 + 10 * MIN; // every qualification reaches the ledger with this timestamp
    List<Qualification> qs = List.of(
        new Qualification("b", 1, "u1", "series:S", "e1", T0, null, batch, batch, 0, null),
        new Qualification("a", 1, "u2", "series:S", "e2", T0, null, batch, batch, 0, null),
        new Qualification("a", 1, "u1", "series:S", "e9", T0, null, batch, batch, 0, null),
        new Qualification("a", 1, "u1", "series:S", "e3", T0, null, batch, batch, 0, null),
        new Qualification("b", 1, "u9", "series:S", "e5", T0, null, T0 + 5 * MIN, T0 + 5 * MIN, 0, null));
    for (int i = 0; i < qs.size(); i++) {
      h.processElement(new LedgerInput(qs.get(reversed ? qs.size() - 1 - i : i), null), batch);
    }

    assertThat(until(batch)).extracting(g -> g.campaignId() + "/" + g.userId() + "/" + g.trigger().eventId() + "="
            + g.reward().code())
        .containsExactly("b/u9/e5=ONLY", "a/u1/e3=SECOND");
    assertThat(rejections()).extracting(r -> r.campaignId() + "/" + r.userId() + "/" + r.trigger().eventId())
        .containsExactly("a/u1/e9", "a/u2/e2", "b/u1/e1");
  }

  @Test
  void qualificationsOfAnUnknownCampaignAreNotSettled() throws Exception {
    settle(qualification("gone", "u1", "e1", T0 + MIN, 10));
    assertThat(until(T0 + HOUR)).isEmpty();
    assertThat(rejections()).isEmpty();
    assertThat(stats()).isEmpty();
    assertThat(keyedStateEntries(h)).isZero();
  }

  @Test
  void statsArePublishedByAProcessingTimeTimerForEveryCampaignOfTheKey() throws Exception {
    start(campaign("c1"));
    upload("S", null, "A"); // another key: it gets its own timer
    assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
    settle(qualification("c1", "u1", "e1", T0 + MIN, 10), qualification("c1", "u2", "e2", T0 + MIN, 10));
    assertThat(h.numProcessingTimeTimers()).isEqualTo(2);
    h.setProcessingTime(NOW + STATS_EVERY - 1);
    assertThat(drain(h, Tags.STATS)).isEmpty();
    assertThat(stats()).containsExactly(new CampaignStats("c1", 0, 0, 0, Map.of(), -1, -1, -1));
    assertThat(h.numProcessingTimeTimers()).isZero();

    assertThat(until(T0 + MIN)).hasSize(2);
    // Settling re-arms it: qualifications can settle after the timer their arrival armed fired.
    assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
    assertThat(stats()).containsExactly(new CampaignStats("c1", 2, 2, 20, Map.of(), -1, -1, -1));
    assertThat(h.numProcessingTimeTimers()).isZero();
    settle(qualification("c1", "u3", "e3", T0 + 2 * MIN, 10));
    assertThat(until(T0 + 2 * MIN)).hasSize(1);
    assertThat(stats()).containsExactly(new CampaignStats("c1", 3, 3, 30, Map.of(), -1, -1, -1));
    assertNothingPendingAndNoTimers(3); // c1's counters; S's inventory and its code map (one code left)
  }

  @Test
  void grantIdsAreDeterministic() {
    Qualification q = qualification("c1", "u1", "e1", T0, 10);
    String expected = UUID.nameUUIDFromBytes("c1\u0000u1\u0000event:e1".getBytes(StandardCharsets.UTF_8)).toString();
    assertThat(Ledger.grantId(q)).isEqualTo(expected).isEqualTo(Ledger.grantId(q));
    // Only campaign, user and trigger count: not version, times, points or outcome.
    assertThat(Ledger.grantId(new Qualification("c1", 7, "u1", "other-key", "e1", 1, null, 2, 3, 99, "USER_LIMIT")))
        .isEqualTo(expected);
    assertThat(Ledger.grantId(qualification("c1", "u1", "e2", T0, 10))).isNotEqualTo(expected);
    assertThat(Ledger.grantId(qualification("c1", "u2", "e1", T0, 10))).isNotEqualTo(expected);
    assertThat(Ledger.grantId(qualification("c2", "u1", "e1", T0, 10))).isNotEqualTo(expected);
    Qualification run = new Qualification("c1", 1, "u1", "campaign:c1", null, 0, "e1", T0, T0, 10, null);
    assertThat(Ledger.grantId(run)).isEqualTo(
        UUID.nameUUIDFromBytes("c1\u0000u1\u0000run:e1".getBytes(StandardCharsets.UTF_8)).toString());
    assertThat(Ledger.grantId(run)).isNotEqualTo(expected);
  }

  @Test
  void aCampaignOnASeriesWithStockShowsTheStockAtOnce() throws Exception {
    upload("S", null, "C1", "C2", "C3");
    stats(); // the upload's own flush, before the campaign exists: nothing to report
    start(campaign("late").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S'}"));
    assertThat(drain(h, Tags.STATS))
        .containsExactly(new CampaignStats("late", 0, 0, 0, Map.of(), 3, 0, 3));
  }

  // ---- the stats timer and what it publishes ------------------------------------------------------

  @Test
  void nextStatsTimeIsTheNextMultipleOfTheInterval() {
    assertThat(Ledger.nextStatsTime(0, 2000)).isEqualTo(2000);
    assertThat(Ledger.nextStatsTime(1, 2000)).isEqualTo(2000);
    assertThat(Ledger.nextStatsTime(1999, 2000)).isEqualTo(2000);
    assertThat(Ledger.nextStatsTime(2000, 2000)).isEqualTo(4000);
    assertThat(Ledger.nextStatsTime(1_764_324_900_123L, 2000)).isEqualTo(1_764_324_902_000L);
  }

  @Test
  void theStatsTimerIsRoundedUpToTheIntervalRegisteredOncePerKeyAndKeepsNoState() throws Exception {
    start(campaign("c1"), campaign("coupons").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S'}"));
    h.setProcessingTime(NOW + 3_000);
    for (int i = 0; i < 5; i++) {
      settle(qualification("c1", "u" + i, "e" + i, T0 + MIN, 10));
    }
    upload("S", null, "A", "B");
    h.setProcessingTime(NOW + 7_000);
    settle(coupon("coupons", "u9", "e9", T0 + MIN));
    assertThat(h.numProcessingTimeTimers()).as("one per key, whatever the input").isEqualTo(2);
    // c1: pending; S: pending, inventory, codes. No timer bookkeeping in state.
    assertThat(keyedStateEntries(h)).isEqualTo(4);

    h.setProcessingTime(NOW + STATS_EVERY - 1);
    assertThat(drain(h, Tags.STATS)).isEmpty();
    h.setProcessingTime(NOW + STATS_EVERY); // the next multiple of the interval, not 3 s + the interval
    assertThat(drain(h, Tags.STATS)).containsExactlyInAnyOrder(
        new CampaignStats("c1", 0, 0, 0, Map.of(), -1, -1, -1),
        new CampaignStats("coupons", 0, 0, 0, Map.of(), 2, 0, 2));
    assertThat(h.numProcessingTimeTimers()).isZero();

    assertThat(until(T0 + MIN)).hasSize(6);
    settle(qualification("c1", "u10", "e10", T0 + 2 * MIN, 10));
    // Settling re-armed both keys' timers (at the same rounded time as this arrival's).
    assertThat(h.numProcessingTimeTimers()).isEqualTo(2);
    assertThat(until(T0 + 2 * MIN)).hasSize(1);
    assertThat(stats()).containsExactlyInAnyOrder(
        new CampaignStats("c1", 6, 6, 60, Map.of(), -1, -1, -1),
        new CampaignStats("coupons", 1, 1, 0, Map.of(), 2, 1, 1));
    assertNothingPendingAndNoTimers(4); // c1's counters; coupons' counters, S's inventory and code map
  }

  @Test
  void statsListOnlyTheCampaignsOfTheirKeyAmongMany() throws Exception {
    List<CampaignJson> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(campaign("c" + i));
    }
    many.add(campaign("a").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S'}"));
    many.add(campaign("b").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S'}"));
    many.add(campaign("other").reward("{'type': 'BULK_COUPON_CODES', 'series': 'T'}"));
    start(many.toArray(new CampaignJson[0]));
    drain(h, Tags.STATS);

    settle(qualification("c7", "u1", "e1", T0 + MIN, 10), coupon("a", "u1", "e2", T0 + MIN));
    upload("S", null, "X", "Y");
    assertThat(until(T0 + MIN)).hasSize(2);
    assertThat(stats()).containsExactlyInAnyOrder(
        new CampaignStats("c7", 1, 1, 10, Map.of(), -1, -1, -1),
        new CampaignStats("a", 1, 1, 0, Map.of(), 2, 1, 1),
        new CampaignStats("b", 0, 0, 0, Map.of(), 2, 1, 1)); // at zero, with the series' stock
    assertNothingPendingAndNoTimers(4); // c7's and a's counters, S's inventory and code map
  }

  @Test
  void aCampaignMovedToAnotherKeyIsListedUnderItsNewKey() throws Exception {
    CampaignJson draft = campaign("d").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S'}");
    h.processBroadcastElement(draft.update(1, 1, T0, Lifecycle.DRAFT, null, null), T0);
    upload("S", null, "X");
    assertThat(stats()).containsExactly(new CampaignStats("d", 0, 0, 0, Map.of(), 1, 0, 1));
    // Edited while a draft: points instead of the series.
    h.processBroadcastElement(campaign("d").update(2, 1, T0 + MIN, Lifecycle.DRAFT, null, null), T0 + MIN);
    upload("S", null, "Y");
    assertThat(stats()).isEmpty();
    settle(qualification("d", "u1", "e1", T0 + 2 * MIN, 10));
    assertThat(stats()).containsExactly(new CampaignStats("d", 0, 0, 0, Map.of(), -1, -1, -1));
  }

  /** The stats timer as versions before this one kept it: in a "stats-timer" value state. */
  static class LedgerWithStatsTimerState extends Ledger {
    private transient org.apache.flink.api.common.state.ValueState<Long> old;

    LedgerWithStatsTimerState(long statsIntervalMillis) {
      super(statsIntervalMillis);
    }

    @Override
    public void open(OpenContext ctx) {
      super.open(ctx);
      old = getRuntimeContext().getState(new ValueStateDescriptor<>("stats-timer", Types.LONG));
    }

    @Override
    public void processElement(LedgerInput in, ReadOnlyContext ctx, Collector<Grant> out) throws Exception {
      super.processElement(in, ctx, out);
      long now = ctx.timerService().currentProcessingTime();
      ctx.timerService().deleteProcessingTimeTimer(Ledger.nextStatsTime(now, STATS_EVERY));
      if (old.value() == null) {
        long t = now + STATS_EVERY + 1_234;
        old.update(t);
        ctx.timerService().registerProcessingTimeTimer(t);
      }
    }
  }

  @Test
  void aStatsTimerValueRestoredFromAnOlderVersionIsClearedWhenItsTimerFires() throws Exception {
    h.close();
    h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
        new LedgerWithStatsTimerState(STATS_EVERY), LedgerInput::key, Types.STRING, Campaigns.STATE);
    h.setProcessingTime(NOW);
    start(campaign("c1"));
    settle(qualification("c1", "u1", "e1", T0 + MIN, 10));
    assertThat(keyedStateEntries(h)).as("pending and the old stats-timer value").isEqualTo(2);
    assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
    OperatorSubtaskState snapshot = h.snapshot(1, 1);
    h.close();

    h = new KeyedBroadcastOperatorTestHarness<>(
        new CoBroadcastWithKeyedOperator<>(new Ledger(STATS_EVERY), List.of(Campaigns.STATE)),
        LedgerInput::key, Types.STRING, 1, 1, 0);
    h.setProcessingTime(NOW);
    h.initializeState(snapshot);
    h.open();
    assertThat(keyedStateEntries(h)).isEqualTo(2);
    assertThat(until(T0 + MIN)).hasSize(1);
    h.setProcessingTime(NOW + STATS_EVERY); // the timer settling armed
    assertThat(drain(h, Tags.STATS)).containsExactly(new CampaignStats("c1", 1, 1, 10, Map.of(), -1, -1, -1));
    h.setProcessingTime(NOW + STATS_EVERY + 1_234); // the restored timer fires
    assertThat(drain(h, Tags.STATS)).containsExactly(new CampaignStats("c1", 1, 1, 10, Map.of(), -1, -1, -1));
    assertThat(h.numProcessingTimeTimers()).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(keyedStateEntries(h)).as("c1's counters only").isEqualTo(1);
  }
}
