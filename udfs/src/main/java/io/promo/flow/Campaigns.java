package io.promo.flow;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/** The broadcast state that every campaign-aware operator keeps: campaign id → timeline. */
public final class Campaigns {
  private Campaigns() {}

  public static final TypeInformation<CampaignTimeline> TIMELINE = TypeInformation.of(CampaignTimeline.class);

  public static final MapStateDescriptor<String, CampaignTimeline> STATE =
      new MapStateDescriptor<>("campaigns", Types.STRING, TIMELINE);

  /**
   * How far behind the watermark campaign history is kept. An event can reach the evaluator
   * behind its watermark (in flight while another, quiet subtask let event time follow the wall
   * clock); it must still find the campaign as it stood at its time.
   */
  public static final long KEEP_BEHIND_WATERMARK = 3_600_000L;

  /**
   * Applies an update to broadcast state and to the subtask's catalog, and forgets what no event
   * can be judged by any more: timeline entries superseded, and campaigns archived, more than
   * {@link #KEEP_BEHIND_WATERMARK} before the watermark. Returns the campaign's timeline, or null
   * when it was forgotten. The catalog must hold what the state holds (loaded from it, then
   * changed only through this method).
   */
  public static CampaignTimeline apply(
      org.apache.flink.api.common.state.BroadcastState<String, CampaignTimeline> state,
      CampaignCatalog catalog,
      CampaignUpdate u,
      long watermark)
      throws Exception {
    long horizon = watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - KEEP_BEHIND_WATERMARK;
    CampaignTimeline t = state.get(u.campaignId());
    CampaignTimeline now = (t == null ? CampaignTimeline.of(u) : t.with(u)).prunedBefore(horizon);
    state.put(u.campaignId(), now);
    catalog.put(now);
    // Only archived campaigns can be forgotten: look at those (the catalog tracks them), not at
    // every campaign, so that applying N updates stays O(N).
    List<String> forgotten = new ArrayList<>();
    for (String id : catalog.archived()) {
      if (catalog.timeline(id).latest().at() <= horizon) {
        forgotten.add(id);
      }
    }
    for (String id : forgotten) {
      state.remove(id);
      catalog.remove(id);
    }
    return state.get(u.campaignId());
  }
}
