package io.promo.flow;

import io.promo.model.Event;
import io.promo.serde.UserStateTypeInfoFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything the evaluator keeps about one user, in ONE state value so that an event costs
 * one read and one write: profile, recent event ids (dedupe), events waiting for the watermark
 * (only while the job starts, see {@link UserEvaluator}), per-campaign progress and grant counts, list memberships, activity by hour.
 */
@TypeInfo(UserStateTypeInfoFactory.class)
public final class UserState {
  public Map<String, Object> profile = new HashMap<>();
  /** 64-bit hashes of recent eventIds and their event times, oldest first. */
  public long[] seenHash = new long[0];
  public long[] seenTs = new long[0];
  public int seenCount;
  /** Events not yet judged, sorted by (ts, eventId); judged when the watermark passes them. */
  public List<Event> pending = new ArrayList<>();
  public Map<String, Progress> progress = new HashMap<>();
  public Set<String> lists = new HashSet<>();
  /** Events per local hour of day, for BEST_TIME delivery; null until the first event. */
  public int[] hours;
  /** The one event-time timer registered for this user, or Long.MIN_VALUE. */
  public long timer = Long.MIN_VALUE;

  /** True when nothing worth keeping is left (the state can be cleared). */
  public boolean isEmpty() {
    return profile.isEmpty() && seenCount == 0 && pending.isEmpty() && progress.isEmpty() && lists.isEmpty();
  }

  // ---- dedupe -----------------------------------------------------------------------------------

  public static long hash(String eventId) {
    long h = 1125899906842597L;
    for (int i = 0; i < eventId.length(); i++) {
      h = 31 * h + eventId.charAt(i);
    }
    return h ^ ((long) eventId.length() << 56);
  }

  /** Whether an event with this id hash was seen less than {@code horizon} before {@code ts}. */
  public boolean seen(long hash, long ts, long horizon) {
    for (int i = 0; i < seenCount; i++) {
      if (seenHash[i] == hash && seenTs[i] > ts - horizon) {
        return true;
      }
    }
    return false;
  }

  public void remember(long hash, long ts) {
    if (seenCount == seenHash.length) {
      int cap = Math.max(4, seenCount * 2);
      seenHash = java.util.Arrays.copyOf(seenHash, cap);
      seenTs = java.util.Arrays.copyOf(seenTs, cap);
    }
    seenHash[seenCount] = hash;
    seenTs[seenCount] = ts;
    seenCount++;
  }

  /** Forgets event ids older than {@code before}. */
  public void forgetSeenBefore(long before) {
    int w = 0;
    for (int i = 0; i < seenCount; i++) {
      if (seenTs[i] >= before) {
        seenHash[w] = seenHash[i];
        seenTs[w] = seenTs[i];
        w++;
      }
    }
    seenCount = w;
  }

  public long oldestSeen() {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < seenCount; i++) {
      min = Math.min(min, seenTs[i]);
    }
    return min;
  }

  // ---- reorder buffer ---------------------------------------------------------------------------

  public void addPending(Event e) {
    int i = pending.size();
    while (i > 0 && compare(pending.get(i - 1), e) > 0) {
      i--;
    }
    pending.add(i, e);
  }

  private static int compare(Event a, Event b) {
    int c = Long.compare(a.ts(), b.ts());
    return c != 0 ? c : a.eventId().compareTo(b.eventId());
  }

  // ---- activity ---------------------------------------------------------------------------------

  public void countHour(int hour) {
    if (hours == null) {
      hours = new int[24];
    }
    if (++hours[hour] > 1_000_000) {
      for (int h = 0; h < 24; h++) {
        hours[h] /= 2;
      }
    }
  }

  /** Progress of this user in one campaign. */
  public static final class Progress {
    /** Fingerprint of the trigger the items belong to; a changed trigger drops them. */
    public int fingerprint;
    /** FirstTime: the user did M already. */
    public boolean done;
    /** Whether the items fire at their due time (inaction triggers) rather than expire. */
    public boolean fires;
    /** The per-user limit span of the recorded grant times (0 when the limit has none). */
    public long grantSpan;
    /** Window items (pending M's, counted or summed M's, the last M), sorted by ts. */
    public List<Item> items = new ArrayList<>();
    /** Grants given to this user by the campaign, all versions together. */
    public long grants;
    /** Times of recent grants, kept only for limits with a span. */
    public List<Long> grantTimes = new ArrayList<>();

    public boolean isEmpty() {
      return !done && items.isEmpty() && grants == 0 && grantTimes.isEmpty();
    }

    public Progress copy() {
      Progress p = new Progress();
      p.fingerprint = fingerprint;
      p.done = done;
      p.fires = fires;
      p.grantSpan = grantSpan;
      p.items = new ArrayList<>(items);
      p.grants = grants;
      p.grantTimes = new ArrayList<>(grantTimes);
      return p;
    }
  }

  /**
   * One remembered event of a window: its time, id, value (summed amount, or base of a percent
   * reward), sameProps signature, and when it fires or expires.
   */
  public record Item(long ts, String eventId, double value, String signature, long due) {}
}
