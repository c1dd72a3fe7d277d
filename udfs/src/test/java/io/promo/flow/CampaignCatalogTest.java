package io.promo.flow;

import static io.promo.testing.Fixtures.HOUR;
import static io.promo.testing.Fixtures.MIN;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Fixtures.campaign;
import static io.promo.testing.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.lang.Match;
import io.promo.lang.Trigger;
import io.promo.model.Event;
import io.promo.testing.Fixtures.CampaignJson;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CampaignCatalogTest {

  // ---- helpers ----------------------------------------------------------------------------------

  private static CampaignUpdate version(String id, long seq, long at, String trigger) {
    return campaign(id).trigger(trigger).update(seq, (int) seq, at, Lifecycle.SCHEDULED, T0, null);
  }

  private static CampaignTimeline timeline(String id, String trigger) {
    return CampaignTimeline.of(version(id, 1, T0, trigger));
  }

  private static CampaignCatalog catalog(CampaignTimeline... timelines) {
    CampaignCatalog c = new CampaignCatalog();
    c.load(List.of());
    for (CampaignTimeline t : timelines) {
      c.put(t);
    }
    return c;
  }

  private static String on(String event, String where) {
    return "{'on': {'event': '" + event + "', 'where': [" + where + "]}}";
  }

  private static String eq(String prop, String value) {
    return "{'prop': '" + prop + "', 'op': 'eq', 'value': " + value + "}";
  }

  private static Event ev(String name, Object... props) {
    return event("e", "u1", name, T0 + HOUR, props);
  }

  /** A copy: candidates() may return a buffer that the next call reuses. */
  private static List<String> candidates(CampaignCatalog c, Event e) {
    return List.copyOf(c.candidates(e));
  }

  // ---- the event-name index, incremental ---------------------------------------------------------

  @Test
  void putAndRemoveUpdateTheEventNameIndexIncrementally() {
    CampaignCatalog c = catalog(timeline("b", on("buy", "")), timeline("a", on("buy", "")),
        timeline("v", "{'on': {'event': 'view'}, 'thenNot': {'event': 'buy'}, 'within': 'PT10M'}"));
    assertThat(c.listeningTo("buy")).containsExactly("a", "b", "v"); // sorted by id
    assertThat(c.listeningTo("view")).containsExactly("v");
    assertThat(c.listeningTo("nothing")).isEmpty();

    // A new version that no longer listens to buy, while the old one stays in the timeline.
    CampaignTimeline a2 = c.timeline("a").with(version("a", 2, T0 + HOUR, on("open", "")));
    c.put(a2);
    assertThat(c.listeningTo("buy")).containsExactly("a", "b", "v");
    assertThat(c.listeningTo("open")).containsExactly("a");
    // Once the old version is pruned, a leaves buy's list.
    c.put(a2.prunedBefore(T0 + 2 * HOUR));
    assertThat(c.listeningTo("buy")).containsExactly("b", "v");

    c.remove("v");
    assertThat(c.listeningTo("buy")).containsExactly("b");
    assertThat(c.listeningTo("view")).isEmpty();
    c.remove("nobody");
    assertThat(c.timeline("v")).isNull();
  }

  @Test
  void loadBuildsTheSameIndexAsPuts() {
    List<CampaignTimeline> ts = List.of(
        timeline("x", on("buy", eq("sku", "'s1'"))), timeline("y", on("buy", eq("sku", "'s2'"))),
        timeline("z", on("buy", "")));
    CampaignCatalog loaded = new CampaignCatalog();
    loaded.load(entries(ts));
    assertThat(loaded.loaded()).isTrue();
    CampaignCatalog put = catalog(ts.toArray(new CampaignTimeline[0]));
    for (Event e : List.of(ev("buy", "sku", "s1"), ev("buy", "sku", "s2"), ev("buy"), ev("view"))) {
      assertThat(candidates(loaded, e)).isEqualTo(candidates(put, e));
    }
    assertThat(loaded.listeningTo("buy")).isEqualTo(put.listeningTo("buy"));
  }

  // ---- compiled definitions ---------------------------------------------------------------------

  @Test
  void compiledDefinitionsAreKeptNextToTheirEntriesAndReusedAcrossPuts() {
    CampaignCatalog c = catalog(timeline("a", on("buy", "")));
    CampaignUpdate v1 = c.timeline("a").latest();
    CampaignCatalog.Compiled first = c.compiled(v1);
    assertThat(first.update()).isSameAs(v1);
    assertThat(first.campaign().trigger()).isInstanceOf(Trigger.On.class);
    assertThat(c.compiled(v1)).isSameAs(first);
    c.put(c.timeline("a")); // the same timeline again (an update applied already)
    assertThat(c.compiled(v1)).isSameAs(first);
    assertThat(c.listeningTo("buy")).containsExactly("a");

    c.put(c.timeline("a").with(version("a", 2, T0 + HOUR, "{'on': {'event': 'buy'}, 'atLeast': 2, 'within': 'PT1H'}")));
    assertThat(c.compiled(v1)).as("an unchanged version is not compiled again").isSameAs(first);
    assertThat(c.compiledAt("a", T0 + MIN)).isSameAs(first);
    CampaignCatalog.Compiled second = c.compiledAt("a", T0 + HOUR);
    assertThat(second.campaign().trigger()).isInstanceOf(Trigger.AtLeast.class);
    assertThat(second.triggerFingerprint()).isNotEqualTo(first.triggerFingerprint());
    assertThat(c.compiled(c.timeline("a").at(T0 + 2 * HOUR))).isSameAs(second);
    assertThat(c.compiledAt("a", T0 - 1)).isNull();
    assertThat(c.compiledAt("nobody", T0)).isNull();

    // Another instance of the same (campaign, seq) finds the same compiled definition.
    CampaignUpdate copy = version("a", 1, T0, on("buy", ""));
    assertThat(c.compiled(copy)).isSameAs(first);
    // An update the catalog does not hold is compiled for the caller.
    CampaignUpdate foreign = version("other", 1, T0, on("open", ""));
    assertThat(c.compiled(foreign).campaign().trigger().eventNames()).containsExactly("open");
  }

  // ---- the value index --------------------------------------------------------------------------

  @Test
  void anEventIsOfferedTheCampaignsOfItsSkuAndThoseWithoutASkuCondition() {
    CampaignCatalog c = catalog(
        timeline("c1", on("buy", eq("sku", "'s1'") + ", {'prop': 'amount', 'op': 'gte', 'value': 50}")),
        timeline("c2", on("buy", eq("sku", "'s2'"))),
        timeline("c3", on("buy", eq("sku", "'s1'"))),
        timeline("c4", on("buy", "{'prop': 'amount', 'op': 'gte', 'value': 50}")),
        timeline("c5", on("buy", "{'prop': 'sku', 'op': 'ne', 'value': 's1'}")));
    assertThat(c.indexedProp("buy")).isEqualTo("sku");
    assertThat(c.candidates(ev("buy", "sku", "s1", "amount", 10.0))).containsExactly("c1", "c3", "c4", "c5");
    assertThat(c.candidates(ev("buy", "sku", "s2"))).containsExactly("c2", "c4", "c5");
    assertThat(c.candidates(ev("buy", "sku", "s9"))).containsExactly("c4", "c5");
    assertThat(c.candidates(ev("buy"))).containsExactly("c4", "c5");
    assertThat(c.candidates(ev("view", "sku", "s1"))).isEmpty();
  }

  @Test
  void withNoUnindexedCampaignsAnEventGetsOnlyItsValuesCampaigns() {
    CampaignCatalog c = catalog(timeline("c1", on("buy", eq("sku", "'s1'"))), timeline("c2", on("buy", eq("sku", "'s2'"))));
    assertThat(c.candidates(ev("buy", "sku", "s2"))).containsExactly("c2");
    assertThat(c.candidates(ev("buy", "sku", "s3"))).isEmpty();
    assertThat(c.listeningTo("buy")).containsExactly("c1", "c2");
  }

  @Test
  void inConditionsFileACampaignUnderEachValue() {
    CampaignCatalog c = catalog(
        timeline("c1", on("buy", "{'prop': 'sku', 'op': 'in', 'value': ['s1', 's2']}")),
        timeline("c2", on("buy", "{'prop': 'sku', 'op': 'in', 'value': []}")),
        timeline("c3", on("buy", eq("sku", "'s2'"))));
    assertThat(c.candidates(ev("buy", "sku", "s1"))).containsExactly("c1");
    assertThat(c.candidates(ev("buy", "sku", "s2"))).containsExactly("c1", "c3");
    assertThat(c.candidates(ev("buy", "sku", "s3"))).isEmpty();
  }

  @Test
  void anArrayPropReachesTheCampaignsOfEveryElementOnce() {
    CampaignCatalog c = catalog(
        timeline("c1", on("buy", "{'prop': 'tags', 'op': 'in', 'value': ['x', 'y']}")),
        timeline("c2", on("buy", eq("tags", "'y'"))),
        timeline("c3", on("buy", eq("tags", "'z'"))),
        timeline("c4", on("buy", "")));
    assertThat(c.candidates(ev("buy", "tags", List.of("x", "y")))).containsExactly("c1", "c2", "c4");
    assertThat(c.candidates(ev("buy", "tags", List.of("z")))).containsExactly("c3", "c4");
    assertThat(c.candidates(ev("buy", "tags", List.of()))).containsExactly("c4");
  }

  @Test
  void twoConditionsOnOneArrayPropMayHoldThroughDifferentElements() {
    // Found by the property test below: the values are not intersected.
    CampaignCatalog c = catalog(timeline("c", on("buy", eq("tags", "'x'") + ", {'prop': 'tags', 'op': 'in', 'value': ['y', 'z']}")));
    Event e = ev("buy", "tags", List.of("x", "y"));
    assertThat(c.compiledAt("c", e.ts()).campaign().trigger().on().matches(e, ZoneOffset.UTC)).isTrue();
    assertThat(c.candidates(e)).containsExactly("c");
  }

  @Test
  void numbersMatchByValueAndNeverAsStrings() {
    CampaignCatalog c = catalog(
        timeline("n50", on("buy", eq("code", "50"))),
        timeline("s50", on("buy", eq("code", "'50'"))),
        timeline("zero", on("buy", eq("code", "0"))),
        timeline("yes", on("buy", eq("code", "true"))));
    assertThat(c.candidates(ev("buy", "code", 50.0))).containsExactly("n50");
    assertThat(c.candidates(ev("buy", "code", 50))).as("any Number, as Cond compares them").containsExactly("n50");
    assertThat(c.candidates(ev("buy", "code", "50"))).containsExactly("s50");
    assertThat(c.candidates(ev("buy", "code", -0.0))).containsExactly("zero");
    assertThat(c.candidates(ev("buy", "code", true))).containsExactly("yes");
    assertThat(c.candidates(ev("buy", "code", "true"))).isEmpty();
    // A value of a type the contract does not allow is not pruned.
    assertThat(c.candidates(ev("buy", "code", Map.of()))).containsExactly("n50", "s50", "yes", "zero");
  }

  @Test
  void thenNotIsIndexedByTheCancellingEventsOwnCondition() {
    CampaignCatalog c = catalog(
        timeline("abandon", "{'on': {'event': 'cart', 'where': [" + eq("sku", "'s1'") + "]}, "
            + "'thenNot': {'event': 'checkout', 'where': [" + eq("shop", "'web'") + "]}, 'within': 'PT10M'}"),
        timeline("any-checkout", "{'on': {'event': 'cart', 'where': [" + eq("sku", "'s2'") + "]}, "
            + "'thenNot': {'event': 'checkout'}, 'within': 'PT10M'}"),
        timeline("app", on("checkout", eq("shop", "'app'"))));
    assertThat(c.indexedProp("cart")).isEqualTo("sku");
    assertThat(c.indexedProp("checkout")).isEqualTo("shop");
    // A checkout for sku s2 from the web cancels "abandon" (no sku condition on the cancel) ...
    assertThat(c.candidates(ev("checkout", "shop", "web", "sku", "s2"))).containsExactly("abandon", "any-checkout");
    assertThat(c.candidates(ev("checkout", "shop", "app"))).containsExactly("any-checkout", "app");
    assertThat(c.candidates(ev("cart", "sku", "s1", "shop", "app"))).containsExactly("abandon");
  }

  @Test
  void aNameUsedByTwoMatchesOfOneTriggerIsIndexedOnlyIfBothConstrainTheProp() {
    CampaignCatalog c = catalog(
        timeline("both", "{'on': {'event': 'view', 'where': [" + eq("sku", "'s1'") + "]}, "
            + "'then': {'event': 'view', 'where': [" + eq("sku", "'s2'") + "]}, 'within': 'PT10M'}"),
        timeline("one", "{'on': {'event': 'view', 'where': [" + eq("sku", "'s3'") + "]}, "
            + "'thenNot': {'event': 'view'}, 'within': 'PT10M'}"));
    assertThat(c.candidates(ev("view", "sku", "s1"))).containsExactly("both", "one");
    assertThat(c.candidates(ev("view", "sku", "s2"))).containsExactly("both", "one");
    assertThat(c.candidates(ev("view", "sku", "s9"))).containsExactly("one");
  }

  @Test
  void everyVersionOfATimelineIsIndexed() {
    CampaignCatalog c = catalog(timeline("c", on("buy", eq("sku", "'s1'"))), timeline("other", on("buy", eq("sku", "'s9'"))));
    c.put(c.timeline("c").with(version("c", 2, T0 + HOUR, on("buy", eq("sku", "'s2'")))));
    assertThat(c.candidates(ev("buy", "sku", "s1"))).containsExactly("c");
    assertThat(c.candidates(ev("buy", "sku", "s2"))).containsExactly("c");
    assertThat(c.candidates(ev("buy", "sku", "s3"))).isEmpty();
    // A version without the condition makes the campaign unindexed for that name.
    c.put(c.timeline("c").with(version("c", 3, T0 + 2 * HOUR, on("buy", ""))));
    assertThat(c.candidates(ev("buy", "sku", "s3"))).containsExactly("c");
    assertThat(c.candidates(ev("buy", "sku", "s9"))).containsExactly("c", "other");
    // Removing the versions before it (pruning) re-files nothing: it stays unindexed.
    c.remove("c");
    assertThat(c.candidates(ev("buy", "sku", "s9"))).containsExactly("other");
  }

  @Test
  void timeConditionsAndOtherOperatorsAreNotIndexed() {
    CampaignCatalog c = catalog(
        timeline("hour", on("buy", "{'prop': '$hour', 'op': 'eq', 'value': 3}")),
        timeline("prefix", on("buy", "{'prop': 'sku', 'op': 'startsWith', 'value': 's'}")),
        timeline("contains", on("buy", "{'prop': 'sku', 'op': 'contains', 'value': 's1'}")));
    assertThat(c.indexedProp("buy")).isNull();
    assertThat(c.candidates(ev("buy", "sku", "x"))).containsExactly("contains", "hour", "prefix");
  }

  @Test
  void theIndexedPropIsTheOneMostCampaignsConstrain() {
    CampaignCatalog c = catalog(
        timeline("a", on("buy", eq("channel", "'web'"))),
        timeline("b", on("buy", eq("sku", "'s1'") + ", " + eq("channel", "'app'"))),
        timeline("d", on("buy", eq("sku", "'s2'"))),
        timeline("e", on("buy", eq("sku", "'s3'"))));
    assertThat(c.indexedProp("buy")).isEqualTo("sku");
    assertThat(c.candidates(ev("buy", "sku", "s1", "channel", "web"))).containsExactly("a", "b");
    c.remove("d");
    c.remove("e");
    assertThat(c.indexedProp("buy")).as("now more campaigns constrain channel").isEqualTo("channel");
    assertThat(c.candidates(ev("buy", "sku", "s1", "channel", "web"))).containsExactly("a");
  }

  // ---- the ledger key and archived indexes -------------------------------------------------------

  @Test
  void ledgerKeysAndArchivedCampaignsFollowTheLatestVersion() {
    CampaignJson points = campaign("p");
    CampaignJson coupons = campaign("q").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S'}");
    CampaignJson coupons2 = campaign("r").reward("{'type': 'BULK_COUPON_CODES', 'series': 'S'}");
    CampaignCatalog c = catalog(CampaignTimeline.of(points.running(T0, null)), CampaignTimeline.of(coupons.running(T0, null)),
        CampaignTimeline.of(coupons2.running(T0, null)));
    assertThat(c.settledBy("campaign:p")).containsExactly("p");
    assertThat(c.settledBy("series:S")).containsExactly("q", "r");
    assertThat(c.settledBy("campaign:q")).isEmpty();
    assertThat(c.archived()).isEmpty();

    // q's latest version is archived and no longer draws from the series.
    c.put(c.timeline("q").with(campaign("q").update(2, 2, T0 + HOUR, Lifecycle.ARCHIVED, T0, null)));
    assertThat(c.settledBy("series:S")).containsExactly("r");
    assertThat(c.settledBy("campaign:q")).containsExactly("q");
    assertThat(c.archived()).containsExactly("q");
    c.remove("q");
    assertThat(c.archived()).isEmpty();
    assertThat(c.settledBy("campaign:q")).isEmpty();
    c.remove("r");
    assertThat(c.settledBy("series:S")).isEmpty();
  }

  // ---- mayMatch ---------------------------------------------------------------------------------

  @Test
  void mayMatchChecksNameAndRealPropsButNotTime() {
    CampaignCatalog c = catalog(
        timeline("a", "{'on': {'event': 'cart', 'where': [" + eq("sku", "'s1'") + ", {'prop': '$hour', 'op': 'eq', 'value': 23}]}, "
            + "'thenNot': {'event': 'checkout'}, 'within': 'PT10M'}"));
    CampaignCatalog.Compiled a = c.compiledAt("a", T0);
    assertThat(a.mayMatch(ev("cart", "sku", "s1"))).isTrue(); // the hour is not checked
    assertThat(a.mayMatch(ev("cart", "sku", "s2"))).isFalse();
    assertThat(a.mayMatch(ev("checkout"))).isTrue();
    assertThat(a.mayMatch(ev("view", "sku", "s1"))).isFalse();
    // Without progress only the start counts: a checkout has nothing to cancel.
    assertThat(a.mayStart(ev("checkout"))).isFalse();
    assertThat(a.mayStart(ev("cart", "sku", "s1"))).isTrue();
    assertThat(a.mayStart(ev("cart", "sku", "s2"))).isFalse();
  }

  // ---- property: candidates ⊇ the campaigns that can match ----------------------------------------

  private static final List<String> NAMES = List.of("buy", "view", "cart", "open");
  private static final List<String> PROPS = List.of("sku", "channel", "amount", "tags");
  private static final List<String> JSON_VALUES = List.of("'s1'", "'s2'", "'50'", "50", "50.0", "0", "-0.0", "7", "true", "false");
  private static final List<ZoneId> ZONES =
      List.of(ZoneOffset.UTC, ZoneId.of("Pacific/Kiritimati"), ZoneId.of("America/Los_Angeles"), ZoneId.of("Asia/Kolkata"));

  @Test
  void candidatesAreASupersetOfTheCampaignsWhoseTriggerMatches() {
    int checked = 0;
    int pruned = 0;
    for (long seed = 0; seed < Long.getLong("catalog.seeds", 300); seed++) {
      Random r = new Random(seed);
      CampaignCatalog incremental = new CampaignCatalog();
      incremental.load(List.of());
      Map<String, CampaignTimeline> live = new TreeMap<>();
      int ops = 1 + r.nextInt(40);
      for (int i = 0; i < ops; i++) {
        String id = "c" + r.nextInt(15);
        if (r.nextInt(8) == 0) {
          live.remove(id);
          incremental.remove(id);
          continue;
        }
        CampaignTimeline t = live.get(id);
        long seq = t == null ? 1 : t.latest().seq() + 1;
        CampaignUpdate u = version(id, seq, T0 + r.nextInt(3) * HOUR + seq, randomTrigger(r));
        t = t == null ? CampaignTimeline.of(u) : t.with(u);
        if (r.nextInt(4) == 0) {
          t = t.prunedBefore(T0 + r.nextInt(3) * HOUR + 100);
        }
        live.put(id, t);
        incremental.put(t);
      }
      CampaignCatalog loaded = new CampaignCatalog();
      loaded.load(entries(new ArrayList<>(live.values())));

      for (int i = 0; i < 60; i++) {
        Event e = randomEvent(r);
        List<String> all = incremental.listeningTo(e.name());
        List<String> cand = candidates(incremental, e);
        assertThat(cand).as("same as a catalog loaded at once").isEqualTo(candidates(loaded, e));
        assertThat(all).isEqualTo(loaded.listeningTo(e.name()));
        assertThat(cand).as("a subsequence of listeningTo, no duplicates").isEqualTo(all.stream().filter(cand::contains).toList());
        for (String id : all) {
          boolean offered = cand.contains(id);
          for (CampaignUpdate entry : incremental.timeline(id).entries()) {
            CampaignCatalog.Compiled c = incremental.compiled(entry);
            Trigger trigger = c.campaign().trigger();
            boolean matches = false;
            for (Match m : trigger.matches()) {
              for (ZoneId z : ZONES) {
                matches |= m.matches(e, z);
              }
            }
            boolean changes = changesProgress(trigger, e);
            checked++;
            if (matches || changes) {
              assertThat(offered).as("seed %d: %s must reach %s (%s)", seed, e, id, entry.definitionJson()).isTrue();
              assertThat(c.mayMatch(e)).as("seed %d: mayMatch of %s for %s", seed, id, e).isTrue();
            }
            if (!offered || !c.mayMatch(e)) {
              assertThat(matches || changes).isFalse();
            }
            if (startsProgress(trigger, e)) {
              assertThat(c.mayStart(e)).as("seed %d: mayStart of %s for %s", seed, id, e).isTrue();
            }
          }
          if (!offered) {
            pruned++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(10_000);
    assertThat(pruned).as("the index prunes something").isGreaterThan(1_000);
  }

  /** Whether onEvent fires or changes a new, empty progress, in some zone. */
  private static boolean startsProgress(Trigger t, Event e) {
    for (ZoneId z : ZONES) {
      UserState.Progress p = new UserState.Progress();
      List<TriggerEngine.Fired> fired = new ArrayList<>();
      TriggerEngine.onEvent(t, p, e, z, null, fired);
      if (!fired.isEmpty() || !p.items.isEmpty() || p.done) {
        return true;
      }
    }
    return false;
  }

  /** Whether onEvent fires or changes the items of a progress holding one fresh item, in some zone. */
  private static boolean changesProgress(Trigger t, Event e) {
    for (ZoneId z : ZONES) {
      for (boolean done : new boolean[] {false, true}) {
        UserState.Progress p = new UserState.Progress();
        p.done = done;
        p.items.add(new UserState.Item(e.ts(), "earlier", 1, TriggerEngine.signature(e, sameProps(t)), e.ts() + MIN));
        List<UserState.Item> before = List.copyOf(p.items);
        List<TriggerEngine.Fired> fired = new ArrayList<>();
        TriggerEngine.onEvent(t, p, e, z, null, fired);
        if (!fired.isEmpty() || !p.items.equals(before) || p.done != done) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> sameProps(Trigger t) {
    return t instanceof Trigger.ThenNot tn ? tn.sameProps() : List.of();
  }

  private static String randomTrigger(Random r) {
    String m = randomMatch(r);
    String m2 = randomMatch(r);
    return switch (r.nextInt(7)) {
      case 0 -> "{'on': " + m + "}";
      case 1 -> "{'on': " + m + ", 'firstTime': true}";
      case 2 -> "{'on': " + m + ", 'thenNot': " + m2 + ", 'within': 'PT10M'" + (r.nextBoolean() ? ", 'sameProps': ['sku']" : "") + "}";
      case 3 -> "{'on': " + m + ", 'then': " + m2 + ", 'within': 'PT10M'}";
      case 4 -> "{'on': " + m + ", 'atLeast': 2, 'within': 'PT30M'}";
      case 5 -> "{'on': " + m + ", 'sum': 'amount', 'atLeast': 100, 'within': 'PT1H'}";
      default -> "{'inactive': " + m + ", 'for': 'PT1H'}";
    };
  }

  private static String randomMatch(Random r) {
    StringBuilder where = new StringBuilder();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      where.append(i == 0 ? "" : ", ").append(randomCond(r));
    }
    return "{'event': '" + pick(r, NAMES.subList(0, 3)) + "', 'where': [" + where + "]}";
  }

  private static String randomCond(Random r) {
    String prop = r.nextInt(10) == 0 ? "$hour" : pick(r, PROPS);
    if (prop.equals("$hour")) {
      return r.nextBoolean() ? "{'prop': '$hour', 'op': 'eq', 'value': " + r.nextInt(24) + "}"
          : "{'prop': '$hour', 'op': 'in', 'value': [" + r.nextInt(24) + ", " + r.nextInt(24) + "]}";
    }
    return switch (r.nextInt(9)) {
      case 0, 1, 2 -> "{'prop': '" + prop + "', 'op': 'eq', 'value': " + pick(r, JSON_VALUES) + "}";
      case 3, 4 -> "{'prop': '" + prop + "', 'op': 'in', 'value': [" + String.join(", ", values(r)) + "]}";
      case 5 -> "{'prop': '" + prop + "', 'op': 'ne', 'value': " + pick(r, JSON_VALUES) + "}";
      case 6 -> "{'prop': '" + prop + "', 'op': 'gte', 'value': " + (r.nextBoolean() ? "50" : "0") + "}";
      case 7 -> "{'prop': '" + prop + "', 'op': 'notIn', 'value': [" + String.join(", ", values(r)) + "]}";
      default -> "{'prop': '" + prop + "', 'op': '" + pick(r, List.of("exists", "notExists")) + "'}";
    };
  }

  private static List<String> values(Random r) {
    List<String> out = new ArrayList<>();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      out.add(pick(r, JSON_VALUES));
    }
    return out;
  }

  private static Event randomEvent(Random r) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (String p : PROPS) {
      if (r.nextInt(5) < 3) {
        if (r.nextInt(4) == 0) {
          List<Object> list = new ArrayList<>();
          int n = r.nextInt(4);
          for (int i = 0; i < n; i++) {
            list.add(randomScalar(r));
          }
          props.put(p, list);
        } else {
          props.put(p, randomScalar(r));
        }
      }
    }
    long ts = T0 + 3 * HOUR + r.nextInt(24) * HOUR + r.nextInt(60) * MIN;
    return new Event("e" + r.nextInt(1000), "u1", pick(r, NAMES), ts, props, Map.of());
  }

  private static Object randomScalar(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> "s1";
      case 1 -> "s2";
      case 2 -> "50";
      case 3 -> 50.0;
      case 4 -> 0.0;
      case 5 -> -0.0;
      case 6 -> 7.0;
      case 7 -> r.nextBoolean();
      default -> "s" + r.nextInt(5);
    };
  }

  private static <T> T pick(Random r, List<T> from) {
    return from.get(r.nextInt(from.size()));
  }

  private static List<Map.Entry<String, CampaignTimeline>> entries(List<CampaignTimeline> ts) {
    Map<String, CampaignTimeline> m = new HashMap<>();
    for (CampaignTimeline t : ts) {
      m.put(t.campaignId(), t);
    }
    List<Map.Entry<String, CampaignTimeline>> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(new AbstractMap.SimpleEntry<>(k, v)));
    return out;
  }
}
