package io.promo.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.json.Json;
import io.promo.lang.Campaign;
import io.promo.lang.CampaignParser;
import io.promo.lang.Cond;
import io.promo.lang.Match;
import io.promo.lang.Op;
import io.promo.lang.Trigger;
import io.promo.model.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A subtask's in-memory view of the broadcast campaign timelines: definitions compiled once per
 * version, and an index from event name to the campaigns that listen to it, so an event costs
 * work only for the campaigns that mention it. Rebuilt from broadcast state after a restore.
 *
 * <p><b>Indexes.</b> Everything here is updated incrementally: a {@link #put} or {@link #remove}
 * compiles only the campaign's new versions, adds or removes its id in the sorted listener sets
 * of the event names it listens to (listened to) and of its ledger key (O(log n) each), and
 * marks those names' value indexes stale; a stale name's index is rebuilt from its listeners
 * the first time an event of that name asks for it. So start-up with N campaigns costs O(N log
 * N) however many of them share an event name, not O(N²).
 *
 * <ul>
 *   <li>Event name → campaigns ({@link #listeningTo}): every campaign one of whose versions has
 *       a trigger match on that name, sorted by campaign id.
 *   <li>Event name → prop value → campaigns ({@link #candidates}): for each name, the catalog
 *       picks the one property (not a {@code $} pseudo-prop) on which most of its campaigns have
 *       a top-level {@code eq} or {@code in} condition in <em>every</em> match on that name, in
 *       <em>every</em> version of the campaign; those campaigns are filed under the values they
 *       accept (the union over matches and versions), the others stay unindexed. An event is
 *       then offered the campaigns filed under its value(s) of that prop plus the unindexed
 *       ones: a superset of the campaigns whose trigger can match it.
 *   <li>Ledger key → campaigns ({@link #settledBy}), by each campaign's latest version.
 *   <li>The compiled definitions, next to the timeline entries they belong to: {@link
 *       #compiled} finds one by identity without a map lookup when it follows {@link
 *       #timeline} for the same campaign (the evaluator's and ledger's pattern).
 * </ul>
 *
 * <p>Not thread-safe: each operator instance has its own catalog.
 */
public final class CampaignCatalog {

  /** A campaign version ready to judge events, with the fingerprint of its trigger. */
  public record Compiled(CampaignUpdate update, Campaign campaign, int triggerFingerprint) {
    /**
     * A cheap necessary condition for the event to change this version's progress: see {@link
     * TriggerEngine#mayMatch}. False for a version without a trigger (not LIVE).
     */
    public boolean mayMatch(Event e) {
      return campaign != null && campaign.trigger() != null && TriggerEngine.mayMatch(campaign.trigger(), e);
    }

    /**
     * The pre-check for a user with no progress in this campaign: only the trigger's {@code on}
     * match can change anything then (see {@link TriggerEngine#mayStart}).
     */
    public boolean mayStart(Event e) {
      return campaign != null && campaign.trigger() != null && TriggerEngine.mayStart(campaign.trigger(), e);
    }
  }

  private final Map<String, Slot> slots = new HashMap<>();
  private final Map<String, Listeners> byEventName = new HashMap<>();
  private final Map<String, Set<String>> byLedgerKey = new HashMap<>();
  private final Set<String> archived = new HashSet<>();
  private boolean loaded;

  /** The slot of the last {@link #timeline} or {@link #compiledAt} call (see {@link #compiled}). */
  private Slot last;

  /** The result of {@link #candidates} when it has to merge lists; reused by the next call. */
  private final ArrayList<String> merged = new ArrayList<>();
  private final List<String> mergedView = Collections.unmodifiableList(merged);
  private long[] marks = new long[1];

  public boolean loaded() {
    return loaded;
  }

  /** Replaces the whole catalog (after a restore). */
  public void load(Iterable<Map.Entry<String, CampaignTimeline>> entries) {
    slots.clear();
    byEventName.clear();
    byLedgerKey.clear();
    archived.clear();
    last = null;
    for (Map.Entry<String, CampaignTimeline> e : entries) {
      Slot s = new Slot(e.getValue(), null);
      slots.put(s.id(), s);
      track(s);
    }
    for (Slot s : slots.values()) {
      for (String name : s.keys.keySet()) {
        byEventName.computeIfAbsent(name, k -> new Listeners()).ids.add(s.id());
      }
    }
    loaded = true;
  }

  /** Adds or replaces a campaign's timeline. */
  public void put(CampaignTimeline t) {
    Slot old = slots.get(t.campaignId());
    if (old != null && old.timeline == t) {
      return; // an update applied already (Campaigns.apply puts the unchanged timeline again)
    }
    Slot s = new Slot(t, old);
    slots.put(s.id(), s);
    if (old != null) {
      untrack(old);
    }
    track(s);
    if (old != null) {
      for (String name : old.keys.keySet()) {
        if (!s.keys.containsKey(name)) {
          unlisten(name, s.id());
        }
      }
    }
    for (String name : s.keys.keySet()) {
      Listeners l = byEventName.computeIfAbsent(name, k -> new Listeners());
      l.ids.add(s.id());
      l.index = null; // the campaign's conditions may have changed
    }
    last = null;
  }

  public void remove(String campaignId) {
    Slot old = slots.remove(campaignId);
    if (old == null) {
      return;
    }
    untrack(old);
    for (String name : old.keys.keySet()) {
      unlisten(name, campaignId);
    }
    last = null;
  }

  public CampaignTimeline timeline(String campaignId) {
    Slot s = slots.get(campaignId);
    if (s == null) {
      return null;
    }
    last = s;
    return s.timeline;
  }

  public Iterable<CampaignTimeline> timelines() {
    return () -> new Iterator<>() {
      private final Iterator<Slot> it = slots.values().iterator();

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public CampaignTimeline next() {
        return it.next().timeline;
      }
    };
  }

  /** Every campaign whose trigger (in any of its versions) listens to the event name, by id. */
  public List<String> listeningTo(String eventName) {
    NameIndex ix = index(eventName);
    return ix == null ? List.of() : ix.all;
  }

  /**
   * The campaigns an event may match: a subset of {@code listeningTo(e.name())}, in the same
   * order, and a superset of those whose trigger (in the version at any time) has a match
   * that the event satisfies. It leaves out only campaigns whose every match on this name
   * requires, by an {@code eq}/{@code in} condition, a value of the indexed prop that the event
   * does not carry.
   *
   * <p>The list is valid until the next call (it may be a view of a buffer the next call
   * reuses); do not keep it.
   */
  public List<String> candidates(Event e) {
    NameIndex ix = index(e.name());
    if (ix == null) {
      return List.of();
    }
    if (ix.prop == null) {
      return ix.all;
    }
    Object v = e.props().get(ix.prop);
    if (v == null) {
      return ix.unindexedIds;
    }
    if (!(v instanceof List<?> list)) {
      Object k = key(v);
      if (k == UNKNOWN) {
        return ix.all;
      }
      Bucket b = ix.byValue.get(k);
      if (b == null) {
        return ix.unindexedIds;
      }
      if (ix.unindexed.length == 0) {
        return b.ids;
      }
      return merge(ix, b);
    }
    // An array prop: a campaign may match through any element (Cond semantics).
    long[] m = clearMarks(ix.all.size());
    for (Object element : list) {
      if (element == null) {
        continue;
      }
      Object k = key(element);
      if (k == UNKNOWN) {
        return ix.all;
      }
      Bucket b = ix.byValue.get(k);
      if (b != null) {
        mark(m, b.ranks);
      }
    }
    mark(m, ix.unindexed);
    return collect(ix, m);
  }

  /** The prop the event name's value index uses, or null (for tests and diagnostics). */
  public String indexedProp(String eventName) {
    NameIndex ix = index(eventName);
    return ix == null ? null : ix.prop;
  }

  /** The campaigns whose latest version is settled by this ledger key. */
  public Collection<String> settledBy(String ledgerKey) {
    Set<String> ids = byLedgerKey.get(ledgerKey);
    return ids == null ? List.of() : Collections.unmodifiableSet(ids);
  }

  /** The campaigns whose latest entry is ARCHIVED. */
  public Collection<String> archived() {
    return Collections.unmodifiableSet(archived);
  }

  /**
   * The compiled definition of a timeline entry of this catalog. Right after {@link #timeline}
   * (or {@link #compiledAt}) for the same campaign it is found next to the entry, with no map
   * lookup; otherwise by campaign id and seq. An update the catalog does not hold is compiled
   * for the caller and not kept.
   */
  public Compiled compiled(CampaignUpdate u) {
    Slot s = last;
    if (s != null) {
      Compiled c = s.sameInstance(u);
      if (c != null) {
        return c;
      }
    }
    s = slots.get(u.campaignId());
    if (s != null) {
      Compiled c = s.sameInstance(u);
      if (c == null) {
        c = s.sameSeq(u);
      }
      if (c != null) {
        return c;
      }
    }
    return compile(u);
  }

  /**
   * The compiled version of a campaign in force at {@code t}, or null if the campaign is unknown
   * or did not exist yet: {@code compiled(timeline(id).at(t))} in one lookup.
   */
  public Compiled compiledAt(String campaignId, long t) {
    Slot s = slots.get(campaignId);
    if (s == null) {
      return null;
    }
    last = s;
    return s.at(t);
  }

  // ---- slots ------------------------------------------------------------------------------------

  /** One campaign: its timeline, each entry's compiled definition, and what the indexes need. */
  private static final class Slot {
    final CampaignTimeline timeline;
    final CampaignUpdate[] entries;
    final Compiled[] compiled;
    /**
     * Event name → (prop → accepted values) for every name a version listens to; an empty map
     * when some match on that name has no usable eq/in condition.
     */
    final Map<String, Map<String, Set<Object>>> keys;
    final String ledgerKey;

    Slot(CampaignTimeline t, Slot previous) {
      this.timeline = t;
      this.entries = t.entries().toArray(new CampaignUpdate[0]);
      this.compiled = new Compiled[entries.length];
      for (int i = 0; i < entries.length; i++) {
        Compiled c = previous == null ? null : previous.sameSeq(entries[i]);
        compiled[i] = c != null && c.update().equals(entries[i]) ? c : compile(entries[i]);
      }
      Map<String, Map<String, Set<Object>>> k = new HashMap<>();
      for (Compiled c : compiled) {
        Trigger trigger = c.campaign() == null ? null : c.campaign().trigger();
        if (trigger == null) {
          continue;
        }
        for (Match m : trigger.matches()) {
          Map<String, Set<Object>> own = keysOf(m);
          Map<String, Set<Object>> seen = k.get(m.event());
          if (seen == null) {
            k.put(m.event(), own);
          } else {
            // Usable only if every match on the name constrains the prop; then any of the values.
            seen.keySet().retainAll(own.keySet());
            seen.forEach((prop, values) -> values.addAll(own.get(prop)));
          }
        }
      }
      this.keys = k;
      Campaign latest = compiled.length == 0 ? null : compiled[compiled.length - 1].campaign();
      this.ledgerKey = latest == null || latest.reward() == null ? null : latest.ledgerKey();
    }

    String id() {
      return timeline.campaignId();
    }

    boolean archived() {
      return entries.length > 0 && Lifecycle.ARCHIVED.equals(entries[entries.length - 1].status());
    }

    Compiled sameInstance(CampaignUpdate u) {
      for (int i = 0; i < entries.length; i++) {
        if (entries[i] == u) {
          return compiled[i];
        }
      }
      return null;
    }

    Compiled sameSeq(CampaignUpdate u) {
      for (int i = 0; i < entries.length; i++) {
        if (entries[i].seq() == u.seq() && entries[i].campaignId().equals(u.campaignId())) {
          return compiled[i];
        }
      }
      return null;
    }

    /** As {@link CampaignTimeline#at}: the last entry with {@code at <= t}. */
    Compiled at(long t) {
      Compiled found = null;
      for (int i = 0; i < entries.length && entries[i].at() <= t; i++) {
        found = compiled[i];
      }
      return found;
    }
  }

  /**
   * The props a match constrains to a finite set of values by a top-level eq/in condition, with
   * that set. When several conditions name the same prop the smallest set is kept, not their
   * intersection: on an array prop each condition may hold through a different element.
   */
  private static Map<String, Set<Object>> keysOf(Match m) {
    Map<String, Set<Object>> out = new HashMap<>();
    for (Cond c : m.where()) {
      if (c.prop().startsWith("$")) {
        continue; // pseudo-props (local time) are not in the event's props
      }
      Set<Object> values = acceptedValues(c);
      if (values == null) {
        continue;
      }
      Set<Object> before = out.get(c.prop());
      if (before == null || values.size() < before.size()) {
        out.put(c.prop(), values);
      }
    }
    return out;
  }

  /** The keys of the values an eq/in condition accepts, or null if it is not indexable. */
  private static Set<Object> acceptedValues(Cond c) {
    Set<Object> values = new HashSet<>();
    if (c.op() == Op.EQ) {
      Object k = c.value() == null ? UNKNOWN : key(c.value());
      if (k == UNKNOWN) {
        return null;
      }
      values.add(k);
      return values;
    }
    if (c.op() == Op.IN && c.value() instanceof List<?> list) {
      for (Object v : list) {
        Object k = v == null ? UNKNOWN : key(v);
        if (k == UNKNOWN) {
          return null;
        }
        values.add(k);
      }
      return values;
    }
    return null;
  }

  private static final Object UNKNOWN = new Object();

  /**
   * The index key of a scalar, equal for two values exactly when {@link Cond} calls them the
   * same: numbers by their double value (so 50, 50L and 50.0 meet; -0.0 is 0.0), strings and
   * booleans by equals, never a number with a string. Anything else is {@link #UNKNOWN}.
   */
  static Object key(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == 0 ? Double.valueOf(0.0) : Double.valueOf(d);
    }
    if (v instanceof String || v instanceof Boolean) {
      return v;
    }
    return UNKNOWN;
  }

  private void track(Slot s) {
    if (s.ledgerKey != null) {
      byLedgerKey.computeIfAbsent(s.ledgerKey, k -> new TreeSet<>()).add(s.id());
    }
    if (s.archived()) {
      archived.add(s.id());
    }
  }

  private void untrack(Slot s) {
    if (s.ledgerKey != null) {
      Set<String> ids = byLedgerKey.get(s.ledgerKey);
      if (ids != null) {
        ids.remove(s.id());
        if (ids.isEmpty()) {
          byLedgerKey.remove(s.ledgerKey);
        }
      }
    }
    archived.remove(s.id());
  }

  // ---- the event-name index ---------------------------------------------------------------------

  /** One event name: its listeners by id, and the value index on one prop. */
  private static final class NameIndex {
    final List<String> all;
    /** The indexed prop, or null when no listener constrains one (then every event gets all). */
    final String prop;
    final Map<Object, Bucket> byValue;
    /** Ranks (positions in {@code all}) of the listeners not filed by value, ascending. */
    final int[] unindexed;
    final List<String> unindexedIds;

    NameIndex(List<String> all, String prop, Map<Object, Bucket> byValue, int[] unindexed, List<String> unindexedIds) {
      this.all = all;
      this.prop = prop;
      this.byValue = byValue;
      this.unindexed = unindexed;
      this.unindexedIds = unindexedIds;
    }
  }

  /** The listeners filed under one value: ranks ascending, and their ids in that order. */
  private record Bucket(int[] ranks, List<String> ids) {}

  /** A name's listeners (kept sorted, updated per put) and its index, null while stale. */
  private static final class Listeners {
    final TreeSet<String> ids = new TreeSet<>();
    NameIndex index;
  }

  private void unlisten(String name, String campaignId) {
    Listeners l = byEventName.get(name);
    if (l != null) {
      l.ids.remove(campaignId);
      l.index = null;
      if (l.ids.isEmpty()) {
        byEventName.remove(name);
      }
    }
  }

  /** The name's index, rebuilt first if a put or remove made it stale; null if nobody listens. */
  private NameIndex index(String name) {
    Listeners l = byEventName.get(name);
    if (l == null) {
      return null;
    }
    NameIndex ix = l.index;
    if (ix == null) {
      ix = index(name, l.ids);
      l.index = ix;
    }
    return ix;
  }

  private NameIndex index(String name, TreeSet<String> sortedIds) {
    List<String> all = List.copyOf(sortedIds);
    List<Map<String, Set<Object>>> keys = new ArrayList<>(all.size());
    Map<String, Integer> props = new TreeMap<>();
    for (String id : all) {
      Map<String, Set<Object>> k = slots.get(id).keys.get(name);
      keys.add(k);
      for (String prop : k.keySet()) {
        props.merge(prop, 1, Integer::sum);
      }
    }
    String prop = null;
    int best = 0;
    for (Map.Entry<String, Integer> e : props.entrySet()) { // sorted: ties go to the first name
      if (e.getValue() > best) {
        best = e.getValue();
        prop = e.getKey();
      }
    }
    if (prop == null) {
      return new NameIndex(all, null, null, new int[0], all);
    }
    Map<Object, List<Integer>> ranks = new LinkedHashMap<>();
    List<Integer> unindexed = new ArrayList<>();
    for (int r = 0; r < all.size(); r++) {
      Set<Object> values = keys.get(r).get(prop);
      if (values == null) {
        unindexed.add(r);
      } else {
        for (Object v : values) {
          ranks.computeIfAbsent(v, x -> new ArrayList<>()).add(r);
        }
      }
    }
    Map<Object, Bucket> byValue = new HashMap<>();
    ranks.forEach((v, rs) -> byValue.put(v, new Bucket(toArray(rs), ids(all, rs))));
    return new NameIndex(all, prop, byValue, toArray(unindexed), ids(all, unindexed));
  }

  private static int[] toArray(List<Integer> ranks) {
    int[] out = new int[ranks.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ranks.get(i);
    }
    return out;
  }

  private static List<String> ids(List<String> all, List<Integer> ranks) {
    List<String> out = new ArrayList<>(ranks.size());
    for (int r : ranks) {
      out.add(all.get(r));
    }
    return List.copyOf(out);
  }

  /** A bucket and the unindexed listeners, in rank order, without duplicates. */
  private List<String> merge(NameIndex ix, Bucket b) {
    int[] a = b.ranks;
    int[] u = ix.unindexed;
    merged.clear();
    int i = 0;
    int j = 0;
    while (i < a.length || j < u.length) {
      int next;
      if (j >= u.length || (i < a.length && a[i] < u[j])) {
        next = a[i++];
      } else if (i >= a.length || u[j] < a[i]) {
        next = u[j++];
      } else {
        next = a[i++];
        j++;
      }
      merged.add(ix.all.get(next));
    }
    return mergedView;
  }

  private long[] clearMarks(int ranks) {
    int words = (ranks + 63) >>> 6;
    if (marks.length < words) {
      marks = new long[words];
    } else {
      Arrays.fill(marks, 0, words, 0L);
    }
    return marks;
  }

  private static void mark(long[] m, int[] ranks) {
    for (int r : ranks) {
      m[r >>> 6] |= 1L << (r & 63);
    }
  }

  private List<String> collect(NameIndex ix, long[] m) {
    merged.clear();
    int words = (ix.all.size() + 63) >>> 6;
    for (int w = 0; w < words; w++) {
      long bits = m[w];
      while (bits != 0) {
        int r = (w << 6) + Long.numberOfTrailingZeros(bits);
        merged.add(ix.all.get(r));
        bits &= bits - 1;
      }
    }
    return mergedView;
  }

  // ---- compiling --------------------------------------------------------------------------------

  private static Compiled compile(CampaignUpdate u) {
    try {
      JsonNode node = Json.tree(u.definitionJson());
      Campaign campaign = CampaignParser.parse(node).campaign();
      JsonNode trigger = node.path("qualification").path("trigger");
      return new Compiled(u, campaign, trigger.toString().hashCode());
    } catch (IOException e) {
      throw new IllegalStateException("a registered definition no longer parses: " + u.campaignId(), e);
    }
  }
}
