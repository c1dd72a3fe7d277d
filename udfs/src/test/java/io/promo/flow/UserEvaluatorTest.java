package io.promo.flow;

import static io.promo.testing.Fixtures.DAY;
import static io.promo.testing.Fixtures.HOUR;
import static io.promo.testing.Fixtures.MIN;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Fixtures.campaign;
import static io.promo.testing.Fixtures.event;
import static io.promo.testing.Fixtures.withProfile;
import static io.promo.testing.Harnesses.drain;
import static io.promo.testing.Harnesses.drainRecords;
import static io.promo.testing.Harnesses.keyedStateEntries;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Event;
import io.promo.model.Reasons;
import io.promo.testing.Fixtures.CampaignJson;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The evaluator under Flink's operator harness. Every scenario ends with the campaign over and
 * the dedupe horizon passed, and checks that no keyed state and no timer is left behind.
 *
 * <p>Here events go straight to the evaluator before its watermark first moves, so they take the
 * start-up path (buffered in state, judged when the watermark passes them). {@link
 * UserEvaluatorSortedTest} runs every scenario again as the job runs once started: through an
 * {@link EventSorter}, judged on arrival.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UserEvaluatorTest {
  private static final long HORIZON = DAY;
  /** The campaigns end before the first dedupe timer, so the last timer of each user cleans up. */
  private static final long END = T0 + 12 * HOUR;

  private KeyedBroadcastOperatorTestHarness<String, UserInput, CampaignUpdate, Qualification> h;
  /** In front of the evaluator when {@link #sorted()}: the job's event path once started. */
  private OneInputStreamOperatorTestHarness<Event, Event> sorter;

  /** Whether events pass an EventSorter and reach an evaluator whose watermark has moved. */
  boolean sorted() {
    return false;
  }

  @BeforeEach
  void open() throws Exception {
    h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
        new UserEvaluator(HORIZON), UserInput::userId, Types.STRING, Campaigns.STATE);
    if (sorted()) {
      sorter = new OneInputStreamOperatorTestHarness<>(new EventSorter());
      sorter.open();
      h.watermark(T0 - 30 * DAY); // started: event time has moved
    }
  }

  @AfterEach
  void close() throws Exception {
    h.close();
    if (sorter != null) {
      sorter.close();
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void broadcast(CampaignUpdate... updates) throws Exception {
    for (CampaignUpdate u : updates) {
      h.processBroadcastElement(u, u.at());
    }
  }

  private void start(CampaignJson c) throws Exception {
    broadcast(c.running(T0, END));
  }

  private void send(Event... events) throws Exception {
    for (Event e : events) {
      if (sorted()) {
        sorter.processElement(e, e.ts());
        forwardSorted();
      } else {
        h.processElement(UserInput.of(e), e.ts());
      }
    }
  }

  /** Moves event time to {@code watermark}, as the source would. */
  private void watermark(long watermark) throws Exception {
    if (sorted()) {
      sorter.processWatermark(watermark);
      forwardSorted();
    }
    h.watermark(watermark);
  }

  private void forwardSorted() throws Exception {
    for (StreamRecord<Event> r : drainRecords(sorter)) {
      h.processElement(UserInput.of(r.getValue()), r.getTimestamp());
    }
  }

  private List<Qualification> until(long watermark) throws Exception {
    watermark(watermark);
    return drain(h);
  }

  /** Moves event time past the campaign's end and the dedupe horizon; nothing may be left. */
  private void assertAllCleanedUp() throws Exception {
    assertStateLeft(0);
  }

  private void assertStateLeft(int entries) throws Exception {
    watermark(T0 + 10 * DAY);
    assertThat(drain(h)).isEmpty();
    assertThat(keyedStateEntries(h)).isEqualTo(entries);
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numProcessingTimeTimers()).isZero();
  }

  private static Qualification q(String campaign, int version, String user, String eventId, long triggerTs,
      long qualifiedAt, long deliverAt, long points, String reject) {
    return new Qualification(campaign, version, user, "campaign:" + campaign, eventId, triggerTs, null, qualifiedAt,
        deliverAt, points, reject);
  }

  /** Qualified at the trigger event, delivered at once, granted 10 points by version 1 of c1. */
  private static Qualification granted(String user, String eventId, long ts) {
    return q("c1", 1, user, eventId, ts, ts, ts, 10, null);
  }

  private static Qualification rejected(String user, String eventId, long ts, String reason) {
    return q("c1", 1, user, eventId, ts, ts, ts, 10, reason);
  }

  private static Event buy(String id, String user, long ts) {
    return event(id, user, "buy", ts);
  }

  // ---- trigger forms ----------------------------------------------------------------------------

  @Test
  void onQualifiesAtEachMatchingEventOnceTheWatermarkPassesIt() throws Exception {
    start(campaign("c1"));
    send(buy("e1", "u1", T0 + MIN), buy("e2", "u1", T0 + 2 * MIN), event("e3", "u1", "view", T0 + 3 * MIN),
        buy("e4", "u2", T0 + 4 * MIN));

    assertThat(h.numEventTimeTimers()).as("one timer per user").isEqualTo(sorted() ? 0 : 2);
    assertThat(until(T0 + MIN - 1)).isEmpty();
    List<StreamRecord<Qualification>> out = new ArrayList<>();
    watermark(T0 + 10 * MIN);
    out.addAll(drainRecords(h));
    assertThat(out).extracting(StreamRecord::getValue).containsExactly(
        granted("u1", "e1", T0 + MIN), granted("u1", "e2", T0 + 2 * MIN), granted("u2", "e4", T0 + 4 * MIN));
    assertThat(out).extracting(StreamRecord::getTimestamp).containsExactly(T0 + MIN, T0 + 2 * MIN, T0 + 4 * MIN);
    assertAllCleanedUp();
  }

  @Test
  void thenNotFiresAtTheDeadlineOnTheWatermarkAlone() throws Exception {
    start(campaign("c1").trigger("{'on': {'event': 'add_to_cart'}, 'thenNot': {'event': 'checkout'}, 'within': 'PT30M'}"));
    send(event("e1", "u1", "add_to_cart", T0 + MIN), event("e2", "u2", "add_to_cart", T0 + MIN),
        event("e3", "u2", "checkout", T0 + 20 * MIN));

    assertThat(until(T0 + 31 * MIN - 1)).isEmpty();
    watermark(T0 + 31 * MIN);
    List<StreamRecord<Qualification>> out = drainRecords(h);
    assertThat(out).extracting(StreamRecord::getValue)
        .containsExactly(q("c1", 1, "u1", "e1", T0 + MIN, T0 + 31 * MIN, T0 + 31 * MIN, 10, null));
    assertThat(out).extracting(StreamRecord::getTimestamp).containsExactly(T0 + 31 * MIN);
    assertAllCleanedUp();
  }

  @Test
  void thenNotIsCancelledByM2ExactlyAtTheDeadlineButNotOneMillisecondLater() throws Exception {
    start(campaign("c1").trigger("{'on': {'event': 'add_to_cart'}, 'thenNot': {'event': 'checkout'}, 'within': 'PT30M'}"));
    send(event("e1", "u1", "add_to_cart", T0 + MIN), event("e2", "u1", "checkout", T0 + 31 * MIN),
        event("e3", "u2", "add_to_cart", T0 + MIN), event("e4", "u2", "checkout", T0 + 31 * MIN + 1));

    assertThat(until(T0 + 2 * HOUR))
        .containsExactly(q("c1", 1, "u2", "e3", T0 + MIN, T0 + 31 * MIN, T0 + 31 * MIN, 10, null));
    assertAllCleanedUp();
  }

  @Test
  void thenNotWithSamePropsIsCancelledOnlyByTheSameSku() throws Exception {
    start(campaign("c1").trigger(
        "{'on': {'event': 'add_to_cart'}, 'thenNot': {'event': 'checkout'}, 'within': 'PT30M', 'sameProps': ['sku']}"));
    send(event("e1", "u1", "add_to_cart", T0 + MIN, "sku", "A"), event("e2", "u1", "add_to_cart", T0 + 2 * MIN, "sku", "B"),
        event("e3", "u1", "checkout", T0 + 10 * MIN, "sku", "A"));

    assertThat(until(T0 + HOUR))
        .containsExactly(q("c1", 1, "u1", "e2", T0 + 2 * MIN, T0 + 32 * MIN, T0 + 32 * MIN, 10, null));
    assertAllCleanedUp();
  }

  @Test
  void thenQualifiesAtM2WithinTheWindow() throws Exception {
    start(campaign("c1").trigger("{'on': {'event': 'view'}, 'then': {'event': 'buy'}, 'within': 'PT10M'}"));
    send(event("e1", "u1", "view", T0 + MIN), buy("e2", "u1", T0 + 5 * MIN),
        event("e3", "u1", "view", T0 + HOUR), buy("e4", "u1", T0 + HOUR + 10 * MIN + 1));

    assertThat(until(T0 + 2 * HOUR)).containsExactly(q("c1", 1, "u1", "e2", T0 + 5 * MIN, T0 + 5 * MIN, T0 + 5 * MIN, 10, null));
    assertAllCleanedUp();
  }

  @Test
  void atLeastCountsInASlidingWindow() throws Exception {
    start(campaign("c1").trigger("{'on': {'event': 'buy'}, 'atLeast': 3, 'within': 'PT1H'}"));
    send(buy("e1", "u1", T0 + MIN), buy("e2", "u1", T0 + 51 * MIN), buy("e3", "u1", T0 + 71 * MIN),
        buy("e4", "u1", T0 + 111 * MIN));

    assertThat(until(T0 + 3 * HOUR)).containsExactly(granted("u1", "e4", T0 + 111 * MIN));
    assertAllCleanedUp();
  }

  @Test
  void sumQualifiesWhenTheTotalReachesTheThreshold() throws Exception {
    start(campaign("c1").trigger("{'on': {'event': 'purchase'}, 'sum': 'amount', 'atLeast': 100, 'within': 'P1D'}"));
    send(event("e1", "u1", "purchase", T0 + MIN, "amount", 40.0), event("e2", "u1", "purchase", T0 + 2 * MIN, "amount", 50.0),
        event("e3", "u1", "purchase", T0 + 3 * MIN, "amount", 20.0), event("e4", "u1", "purchase", T0 + 4 * MIN, "amount", 90.0));

    assertThat(until(T0 + HOUR)).containsExactly(q("c1", 1, "u1", "e3", T0 + 3 * MIN, T0 + 3 * MIN, T0 + 3 * MIN, 10, null));
    assertAllCleanedUp();
  }

  @Test
  void inactivityIsReArmedByEachMatchAndFiresOnTheWatermark() throws Exception {
    start(campaign("c1").trigger("{'inactive': {'event': 'app_open'}, 'for': 'PT1H'}"));
    send(event("e1", "u1", "app_open", T0 + MIN), event("e2", "u1", "app_open", T0 + 31 * MIN),
        event("e3", "u1", "app_open", T0 + 2 * HOUR));

    assertThat(until(T0 + 91 * MIN - 1)).isEmpty();
    assertThat(until(T0 + 91 * MIN))
        .containsExactly(q("c1", 1, "u1", "e2", T0 + 31 * MIN, T0 + 91 * MIN, T0 + 91 * MIN, 10, null));
    assertThat(until(T0 + 5 * HOUR))
        .containsExactly(q("c1", 1, "u1", "e3", T0 + 2 * HOUR, T0 + 3 * HOUR, T0 + 3 * HOUR, 10, null));
    assertAllCleanedUp();
  }

  @Test
  void firstTimeQualifiesOnlyTheFirstMatch() throws Exception {
    start(campaign("c1").trigger("{'on': {'event': 'buy'}, 'firstTime': true}"));
    send(buy("e1", "u1", T0 + MIN), buy("e2", "u1", T0 + 2 * MIN));
    assertThat(until(T0 + HOUR)).containsExactly(granted("u1", "e1", T0 + MIN));
    send(buy("e3", "u1", T0 + 2 * HOUR));
    assertThat(until(T0 + 3 * HOUR)).isEmpty();
    assertAllCleanedUp();
  }

  // ---- ordering, duplicates, lateness ----------------------------------------------------------

  static Stream<List<String>> arrivalOrders() {
    return Stream.of(
        List.of("e1", "e2", "e3"), List.of("e1", "e3", "e2"), List.of("e2", "e1", "e3"),
        List.of("e2", "e3", "e1"), List.of("e3", "e1", "e2"), List.of("e3", "e2", "e1"));
  }

  @ParameterizedTest
  @MethodSource("arrivalOrders")
  void outOfOrderEventsWithinTheWatermarkGiveTheSameResultAsInOrder(List<String> order) throws Exception {
    broadcast(
        campaign("abandon").trigger("{'on': {'event': 'add_to_cart'}, 'thenNot': {'event': 'checkout'}, 'within': 'PT30M'}")
            .running(T0, END),
        campaign("twice").trigger("{'on': {'event': 'add_to_cart'}, 'atLeast': 2, 'within': 'PT10M'}").running(T0, END));
    List<Event> events = List.of(
        event("e1", "u1", "add_to_cart", T0 + MIN),
        event("e2", "u1", "checkout", T0 + 5 * MIN),
        event("e3", "u1", "add_to_cart", T0 + 11 * MIN));
    for (String id : order) {
      send(events.stream().filter(e -> e.eventId().equals(id)).findFirst().orElseThrow());
    }

    // In order: e2 cancels e1's abandonment; e1 and e3 are two carts within 10 minutes.
    assertThat(until(T0 + 2 * HOUR)).containsExactly(
        q("twice", 1, "u1", "e3", T0 + 11 * MIN, T0 + 11 * MIN, T0 + 11 * MIN, 10, null),
        q("abandon", 1, "u1", "e3", T0 + 11 * MIN, T0 + 41 * MIN, T0 + 41 * MIN, 10, null));
    assertAllCleanedUp();
  }

  @Test
  void aRepeatedEventIdIsAppliedOnce() throws Exception {
    start(campaign("c1"));
    send(buy("e1", "u1", T0 + MIN), buy("e1", "u1", T0 + MIN), buy("e1", "u1", T0 + 2 * MIN));
    assertThat(until(T0 + HOUR)).containsExactly(granted("u1", "e1", T0 + MIN));
    send(buy("e1", "u1", T0 + 2 * HOUR)); // still within the horizon
    assertThat(until(T0 + 3 * HOUR)).isEmpty();
    send(buy("e1", "u2", T0 + 4 * HOUR)); // another user's event with the same id counts
    assertThat(until(T0 + 5 * HOUR)).containsExactly(granted("u2", "e1", T0 + 4 * HOUR));
    assertAllCleanedUp();
  }

  @Test
  void anEventBehindTheWatermarkIsStillJudged() throws Exception {
    // LATE is decided at the source; here an event can only be behind because another, quiet
    // source subtask let event time follow the wall clock while it was in flight.
    start(campaign("c1"));
    watermark(T0 + 10 * MIN);
    send(buy("e1", "u1", T0 + 10 * MIN));
    assertThat(drain(h)).containsExactly(granted("u1", "e1", T0 + 10 * MIN));
    assertAllCleanedUp();
  }

  @Test
  void eventsBufferedWhileStartingAreJudgedBeforeLaterOnesOfTheSameUser() throws Exception {
    // Before the watermark first moves, events wait in state; a user with waiting events keeps
    // buffering, so a cancel that arrives once started still finds the cart it cancels.
    broadcast(campaign("abandon").trigger("{'on': {'event': 'add_to_cart'}, 'thenNot': {'event': 'checkout'}, 'within': 'PT30M'}")
        .running(T0, END));
    h.processElement(UserInput.of(event("e1", "u1", "add_to_cart", T0 + MIN)), T0 + MIN);
    h.processElement(UserInput.of(event("e2", "u2", "add_to_cart", T0 + MIN)), T0 + MIN);
    h.watermark(T0); // started, but neither cart is due yet
    h.processElement(UserInput.of(event("e3", "u1", "checkout", T0 + 2 * MIN)), T0 + 2 * MIN);
    assertThat(drain(h)).isEmpty();
    assertThat(until(T0 + HOUR)).containsExactly(
        q("abandon", 1, "u2", "e2", T0 + MIN, T0 + 31 * MIN, T0 + 31 * MIN, 10, null));
    assertAllCleanedUp();
  }

  @Test
  void theDedupeHorizonPassingForgetsTheEventIds() throws Exception {
    send(buy("e1", "u1", T0 + MIN)); // no campaign listens: only the id is remembered
    assertThat(until(T0 + MIN)).isEmpty();
    assertThat(keyedStateEntries(h)).isEqualTo(1);
    assertThat(h.numEventTimeTimers()).isEqualTo(1);

    // Forgetting is rounded up to a 24th of the horizon, so a busy user's clean-ups coalesce.
    assertThat(until(T0 + MIN + HORIZON - 1)).isEmpty();
    assertThat(keyedStateEntries(h)).isEqualTo(1);
    assertThat(until(T0 + MIN + HORIZON + HORIZON / 24)).isEmpty();
    assertThat(keyedStateEntries(h)).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
  }

  @Test
  void progressGoesAtTheCampaignsEndAndAnEndThatIsNotYetInForceDoesNotSpinTheTimer() throws Exception {
    CampaignJson c = campaign("c1").limits("{'perUser': {'max': 5}}");
    // An edit dated T0+5h that ends the campaign at T0+3h: before T0+5h the first version is in
    // force, so at T0+3h the campaign still runs and the user's progress must stay.
    broadcast(c.update(1, 1, T0, Lifecycle.RUNNING, T0, null), c.update(2, 1, T0 + 5 * HOUR, Lifecycle.RUNNING, T0, T0 + 3 * HOUR));
    send(buy("e1", "u1", T0 + MIN));
    assertThat(until(T0 + 4 * HOUR)).containsExactly(granted("u1", "e1", T0 + MIN));
    assertThat(keyedStateEntries(h)).as("the grant count is kept while the campaign runs").isEqualTo(1);
    assertAllCleanedUp();
  }

  @Test
  void aRepeatedEventIdIsAppliedAgainOnceTheHorizonHasPassedSinceTheFirst() throws Exception {
    broadcast(campaign("c1").limits("{'perUser': {'max': 5}}").running(T0, T0 + 3 * DAY));
    send(buy("e1", "u1", T0 + MIN), buy("e1", "u1", T0 + MIN + HORIZON - 1), buy("e1", "u1", T0 + MIN + HORIZON));
    assertThat(until(T0 + MIN + HORIZON)).containsExactly(
        granted("u1", "e1", T0 + MIN), granted("u1", "e1", T0 + MIN + HORIZON));
    assertAllCleanedUp();
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  @Test
  void whilePausedQualificationsAreRejectedAndEventsDoNotCount() throws Exception {
    CampaignJson each = campaign("c1").limits("{'perUser': {'max': 2}}");
    CampaignJson thrice = campaign("c2").trigger("{'on': {'event': 'buy'}, 'atLeast': 3, 'within': 'P1D'}");
    for (CampaignJson c : List.of(each, thrice)) {
      broadcast(
          c.update(1, 1, T0, Lifecycle.SCHEDULED, T0, END),
          c.update(2, 1, T0 + 10 * MIN, Lifecycle.PAUSED, T0, END),
          c.update(3, 1, T0 + 20 * MIN, Lifecycle.RUNNING, T0, END));
    }
    send(buy("e1", "u1", T0 + 5 * MIN), buy("e2", "u1", T0 + 15 * MIN), buy("e3", "u1", T0 + 25 * MIN),
        buy("e4", "u1", T0 + 26 * MIN));

    List<Qualification> out = until(T0 + HOUR);
    assertThat(out).filteredOn(q -> q.campaignId().equals("c1")).containsExactly(
        granted("u1", "e1", T0 + 5 * MIN),
        rejected("u1", "e2", T0 + 15 * MIN, Reasons.NOT_RUNNING),
        granted("u1", "e3", T0 + 25 * MIN), // NOT_RUNNING used none of the 2 grants
        rejected("u1", "e4", T0 + 26 * MIN, Reasons.USER_LIMIT));
    assertThat(out).filteredOn(q -> q.campaignId().equals("c2")).containsExactly(
        q("c2", 1, "u1", "e4", T0 + 26 * MIN, T0 + 26 * MIN, T0 + 26 * MIN, 10, null));
    assertThat(out).hasSize(5);
    assertAllCleanedUp();
  }

  @Test
  void pausedAtTheDeadlineRejectsTheInaction() throws Exception {
    CampaignJson c = campaign("c1").trigger("{'on': {'event': 'add_to_cart'}, 'thenNot': {'event': 'checkout'}, 'within': 'PT30M'}");
    broadcast(c.update(1, 1, T0, Lifecycle.SCHEDULED, T0, END), c.update(2, 1, T0 + 20 * MIN, Lifecycle.PAUSED, T0, END));
    send(event("e1", "u1", "add_to_cart", T0 + MIN));
    assertThat(until(T0 + HOUR))
        .containsExactly(q("c1", 1, "u1", "e1", T0 + MIN, T0 + 31 * MIN, T0 + 31 * MIN, 10, Reasons.NOT_RUNNING));
    assertAllCleanedUp();
  }

  @Test
  void aCompletedCampaignQualifiesNobodyAndItsStateIsCleanedUp() throws Exception {
    broadcast(campaign("c1").running(T0, T0 + HOUR));
    send(buy("e1", "u1", T0 + 30 * MIN), buy("e2", "u1", T0 + HOUR), buy("e3", "u2", T0 + 2 * HOUR));
    assertThat(until(T0 + 3 * HOUR)).containsExactly(granted("u1", "e1", T0 + 30 * MIN));
    assertAllCleanedUp();
  }

  @Test
  void nothingBeforeTheScheduledStartOrOutsideTheTimeline() throws Exception {
    broadcast(campaign("c1").update(1, 1, T0 + HOUR, Lifecycle.SCHEDULED, T0 + 2 * HOUR, END));
    send(buy("e1", "u1", T0 + 30 * MIN), buy("e2", "u1", T0 + 90 * MIN), buy("e3", "u1", T0 + 2 * HOUR));
    assertThat(until(T0 + 3 * HOUR)).containsExactly(granted("u1", "e3", T0 + 2 * HOUR));
    assertAllCleanedUp();
  }

  @Test
  void anEditThatChangesTheTriggerDropsPartialProgress() throws Exception {
    CampaignJson v1 = campaign("c1").trigger("{'on': {'event': 'buy'}, 'atLeast': 3, 'within': 'P1D'}");
    CampaignJson v2 = campaign("c1").trigger("{'on': {'event': 'buy'}, 'atLeast': 2, 'within': 'P1D'}");
    broadcast(v1.update(1, 1, T0, Lifecycle.SCHEDULED, T0, END), v2.update(2, 2, T0 + 10 * MIN, Lifecycle.SCHEDULED, T0, END));
    send(buy("e1", "u1", T0 + MIN), buy("e2", "u1", T0 + 2 * MIN), buy("e3", "u1", T0 + 20 * MIN),
        buy("e4", "u1", T0 + 21 * MIN));

    assertThat(until(T0 + HOUR)).containsExactly(q("c1", 2, "u1", "e4", T0 + 21 * MIN, T0 + 21 * MIN, T0 + 21 * MIN, 10, null));
    assertAllCleanedUp();
  }

  @Test
  void anEditThatKeepsTheTriggerKeepsPartialProgress() throws Exception {
    CampaignJson v1 = campaign("c1").trigger("{'on': {'event': 'buy'}, 'atLeast': 3, 'within': 'P1D'}");
    CampaignJson v2 = campaign("c1").trigger("{'on': {'event': 'buy'}, 'atLeast': 3, 'within': 'P1D'}")
        .reward("{'type': 'WALLET_POINTS', 'points': 20}");
    broadcast(v1.update(1, 1, T0, Lifecycle.SCHEDULED, T0, END), v2.update(2, 2, T0 + 10 * MIN, Lifecycle.SCHEDULED, T0, END));
    send(buy("e1", "u1", T0 + MIN), buy("e2", "u1", T0 + 2 * MIN), buy("e3", "u1", T0 + 20 * MIN));

    assertThat(until(T0 + HOUR)).containsExactly(q("c1", 2, "u1", "e3", T0 + 20 * MIN, T0 + 20 * MIN, T0 + 20 * MIN, 20, null));
    assertAllCleanedUp();
  }

  @Test
  void grantCountsCarryOverAnEdit() throws Exception {
    CampaignJson v1 = campaign("c1").limits("{'perUser': {'max': 1}}");
    CampaignJson v2 = campaign("c1").limits("{'perUser': {'max': 1}}")
        .trigger("{'on': {'event': 'buy'}, 'atLeast': 2, 'within': 'P1D'}");
    broadcast(v1.update(1, 1, T0, Lifecycle.SCHEDULED, T0, END), v2.update(2, 2, T0 + 10 * MIN, Lifecycle.SCHEDULED, T0, END));
    send(buy("e1", "u1", T0 + MIN), buy("e2", "u1", T0 + 20 * MIN), buy("e3", "u1", T0 + 21 * MIN));

    assertThat(until(T0 + HOUR)).containsExactly(
        granted("u1", "e1", T0 + MIN),
        q("c1", 2, "u1", "e3", T0 + 21 * MIN, T0 + 21 * MIN, T0 + 21 * MIN, 10, Reasons.USER_LIMIT));
    assertAllCleanedUp();
  }

  @Test
  void broadcastTimelinesArePrunedAnHourBehindTheWatermarkAndArchivedCampaignsDropped() throws Exception {
    long keep = Campaigns.KEEP_BEHIND_WATERMARK;
    CampaignJson c = campaign("c1");
    broadcast(c.update(1, 1, T0, Lifecycle.SCHEDULED, T0, END), c.update(2, 1, T0 + 10 * MIN, Lifecycle.PAUSED, T0, END));
    assertThat(timeline("c1")).extracting(CampaignUpdate::seq).containsExactly(1L, 2L);

    watermark(T0 + 20 * MIN);
    broadcast(c.update(3, 1, T0 + 30 * MIN, Lifecycle.RUNNING, T0, END));
    assertThat(timeline("c1")).as("kept for events still in flight").extracting(CampaignUpdate::seq)
        .containsExactly(1L, 2L, 3L);

    watermark(T0 + 10 * MIN + keep);
    broadcast(c.update(4, 1, T0 + 40 * MIN, Lifecycle.STOPPED, T0, END));
    assertThat(timeline("c1")).as("seq 1 can judge no event any more").extracting(CampaignUpdate::seq)
        .containsExactly(2L, 3L, 4L);

    broadcast(c.update(5, 1, T0 + 50 * MIN, Lifecycle.ARCHIVED, T0, END));
    assertThat(h.getBroadcastState(Campaigns.STATE).contains("c1")).as("archived only 20 minutes ago").isTrue();
    watermark(T0 + 50 * MIN + keep);
    broadcast(campaign("other").update(1, 1, T0 + 50 * MIN + keep, Lifecycle.DRAFT, null, null));
    assertThat(h.getBroadcastState(Campaigns.STATE).contains("c1")).as("swept on the next change").isFalse();
    send(buy("e1", "u1", T0 + 3 * HOUR));
    assertThat(until(T0 + 4 * HOUR)).isEmpty();
    assertAllCleanedUp();
  }

  @Test
  void anEventBehindTheWatermarkIsJudgedByTheCampaignAsItStoodAtItsTime() throws Exception {
    CampaignJson c = campaign("c1");
    broadcast(c.update(1, 1, T0, Lifecycle.RUNNING, T0, END), c.update(2, 1, T0 + 10 * MIN, Lifecycle.PAUSED, T0, END));
    watermark(T0 + 20 * MIN);
    broadcast(c.update(3, 1, T0 + 30 * MIN, Lifecycle.RUNNING, T0, END));
    send(buy("e1", "u1", T0 + 5 * MIN));
    assertThat(until(T0 + 21 * MIN)).containsExactly(granted("u1", "e1", T0 + 5 * MIN));
    assertAllCleanedUp();
  }

  private List<CampaignUpdate> timeline(String campaignId) throws Exception {
    return h.getBroadcastState(Campaigns.STATE).get(campaignId).entries();
  }

  // ---- limits, rewards, segments, delivery ------------------------------------------------------

  @Test
  void perUserLimitEver() throws Exception {
    start(campaign("c1").limits("{'perUser': {'max': 2}}"));
    send(buy("e1", "u1", T0 + MIN), buy("e2", "u1", T0 + 2 * MIN), buy("e3", "u1", T0 + 3 * HOUR));
    assertThat(until(T0 + 4 * HOUR)).containsExactly(
        granted("u1", "e1", T0 + MIN), granted("u1", "e2", T0 + 2 * MIN),
        rejected("u1", "e3", T0 + 3 * HOUR, Reasons.USER_LIMIT));
    assertAllCleanedUp();
  }

  @Test
  void perUserLimitPerSpan() throws Exception {
    start(campaign("c1").limits("{'perUser': {'max': 1, 'per': 'PT1H'}}"));
    send(buy("e1", "u1", T0 + MIN), buy("e2", "u1", T0 + 31 * MIN), buy("e3", "u1", T0 + 61 * MIN),
        buy("e4", "u1", T0 + 101 * MIN));
    assertThat(until(T0 + 4 * HOUR)).containsExactly(
        granted("u1", "e1", T0 + MIN),
        rejected("u1", "e2", T0 + 31 * MIN, Reasons.USER_LIMIT),
        granted("u1", "e3", T0 + 61 * MIN),
        rejected("u1", "e4", T0 + 101 * MIN, Reasons.USER_LIMIT));
    assertAllCleanedUp();
  }

  @Test
  void percentPointsAreFlooredAndCappedAndNothingIsGivenWithoutABase() throws Exception {
    start(campaign("c1").reward("{'type': 'WALLET_POINTS', 'percent': 10, 'of': 'amount', 'maxPoints': 50}"));
    send(event("e1", "u1", "buy", T0 + MIN, "amount", 120.5), event("e2", "u1", "buy", T0 + 2 * MIN, "amount", 1000.0),
        event("e3", "u1", "buy", T0 + 3 * MIN), event("e4", "u1", "buy", T0 + 4 * MIN, "amount", 5.0));
    assertThat(until(T0 + HOUR)).containsExactly(
        q("c1", 1, "u1", "e1", T0 + MIN, T0 + MIN, T0 + MIN, 12, null),
        q("c1", 1, "u1", "e2", T0 + 2 * MIN, T0 + 2 * MIN, T0 + 2 * MIN, 50, null));
    assertAllCleanedUp();
  }

  @Test
  void percentOfAnInactionIsTheTriggeringEventsProperty() throws Exception {
    start(campaign("c1")
        .trigger("{'on': {'event': 'add_to_cart'}, 'thenNot': {'event': 'checkout'}, 'within': 'PT30M'}")
        .reward("{'type': 'WALLET_POINTS', 'percent': 10, 'of': 'amount'}"));
    send(event("e1", "u1", "add_to_cart", T0 + MIN, "amount", 250.0));
    assertThat(until(T0 + HOUR)).containsExactly(q("c1", 1, "u1", "e1", T0 + MIN, T0 + 31 * MIN, T0 + 31 * MIN, 25, null));
    assertAllCleanedUp();
  }

  @Test
  void profileSegmentUsesTheProfileUpdateOnTheSameEvent() throws Exception {
    start(campaign("c1").segment("{'profile': {'prop': 'city', 'op': 'in', 'value': ['Pune', 'Delhi']}}"));
    send(withProfile(buy("e1", "u1", T0 + MIN), "city", "Pune"),
        buy("e2", "u2", T0 + MIN),
        withProfile(event("e3", "u3", "view", T0 + MIN), "city", "Mumbai"),
        buy("e4", "u3", T0 + 2 * MIN),
        withProfile(buy("e5", "u3", T0 + 3 * MIN), "city", "Delhi"));

    assertThat(until(T0 + HOUR)).containsExactlyInAnyOrder(granted("u1", "e1", T0 + MIN), granted("u3", "e5", T0 + 3 * MIN));
    assertStateLeft(2); // u1's and u3's profiles are kept: they are the users' data, not progress
  }

  @Test
  void listMembershipSegment() throws Exception {
    start(campaign("c1").segment("{'inList': 'vip'}"));
    h.processElement(UserInput.of(new ListChange("u1", "vip", true, T0, "l-1")), T0);
    send(buy("e1", "u1", T0 + MIN), buy("e2", "u2", T0 + MIN));
    assertThat(until(T0 + 10 * MIN)).containsExactly(granted("u1", "e1", T0 + MIN));

    h.processElement(UserInput.of(new ListChange("u1", "vip", false, T0 + 20 * MIN, "l-2")), T0 + 20 * MIN);
    send(buy("e3", "u1", T0 + 30 * MIN));
    assertThat(until(T0 + HOUR)).isEmpty();
    assertAllCleanedUp();
  }

  @Test
  void deliveryAtLocalTimeIsPlannedOrDropped() throws Exception {
    start(campaign("c1").limits("{'perUser': {'max': 1}}")
        .delivery("{'mode': 'AT_LOCAL_TIME', 'time': '10:00', 'missed': 'DROP'}"));
    send(buy("e1", "u1", T0 + 9 * HOUR), buy("e2", "u2", T0 + 11 * HOUR), buy("e3", "u2", T0 + 11 * HOUR + 30 * MIN));

    assertThat(until(END)).containsExactly(
        q("c1", 1, "u1", "e1", T0 + 9 * HOUR, T0 + 9 * HOUR, T0 + 10 * HOUR, 10, null),
        rejected("u2", "e2", T0 + 11 * HOUR, Reasons.DELIVERY_DROPPED),
        // a dropped delivery is not a grant: the user limit is still free
        rejected("u2", "e3", T0 + 11 * HOUR + 30 * MIN, Reasons.DELIVERY_DROPPED));
    assertAllCleanedUp();
  }

  @Test
  void deliveryUsesTheUsersZone() throws Exception {
    start(campaign("c1").delivery("{'mode': 'AT_LOCAL_TIME', 'time': '10:00'}"));
    // 06:00Z is 11:30 in Kolkata: today's 10:00 has passed there, tomorrow's is 04:30Z.
    send(buy("e1", "u1", T0 + 6 * HOUR));
    send(event("e0", "u2", "view", T0 + MIN));
    assertThat(until(T0 + 7 * HOUR))
        .containsExactly(q("c1", 1, "u1", "e1", T0 + 6 * HOUR, T0 + 6 * HOUR, T0 + 10 * HOUR, 10, null));
    send(withProfile(buy("e2", "u2", T0 + 8 * HOUR), "tz", "Asia/Kolkata"));
    assertThat(until(T0 + 9 * HOUR)).containsExactly(
        q("c1", 1, "u2", "e2", T0 + 8 * HOUR, T0 + 8 * HOUR, T0 + DAY + 4 * HOUR + 30 * MIN, 10, null));
    assertStateLeft(1);
  }
}
