package io.promo.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * Every change of one campaign with the time it took effect, so an event is judged by the
 * campaign as it stood at the event's time (contract: replays and backfills give the same
 * grants as the live run). Entries are sorted by (at, seq). Immutable.
 */
public record CampaignTimeline(String campaignId, List<CampaignUpdate> entries) {

  public static CampaignTimeline of(CampaignUpdate first) {
    return new CampaignTimeline(first.campaignId(), List.of(first));
  }

  /** This timeline with the update added; unchanged if the update was applied already. */
  public CampaignTimeline with(CampaignUpdate u) {
    List<CampaignUpdate> out = new ArrayList<>(entries.size() + 1);
    boolean placed = false;
    for (CampaignUpdate e : entries) {
      if (e.seq() == u.seq()) {
        return this;
      }
      if (!placed && (u.at() < e.at() || (u.at() == e.at() && u.seq() < e.seq()))) {
        out.add(u);
        placed = true;
      }
      out.add(e);
    }
    if (!placed) {
      out.add(u);
    }
    return new CampaignTimeline(campaignId, List.copyOf(out));
  }

  /** The entry in force at {@code t}, or null if the campaign did not exist yet. */
  public CampaignUpdate at(long t) {
    CampaignUpdate found = null;
    for (CampaignUpdate e : entries) {
      if (e.at() > t) {
        break;
      }
      found = e;
    }
    return found;
  }

  /** The latest entry. */
  public CampaignUpdate latest() {
    return entries.get(entries.size() - 1);
  }

  /** The effective status at {@code t}, or null if the campaign did not exist yet. */
  public String statusAt(long t) {
    CampaignUpdate e = at(t);
    return e == null ? null : Lifecycle.effective(e.status(), e.start(), e.end(), t);
  }

  /**
   * Drops entries no event can be judged by any more: those superseded before {@code
   * watermark} (events at or before the watermark are late). Keeps the one in force then.
   */
  public CampaignTimeline prunedBefore(long watermark) {
    int firstKept = 0;
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).at() <= watermark) {
        firstKept = i;
      }
    }
    return firstKept == 0 ? this : new CampaignTimeline(campaignId, List.copyOf(entries.subList(firstKept, entries.size())));
  }
}
