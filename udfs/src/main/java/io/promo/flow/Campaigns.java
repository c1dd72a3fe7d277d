package io.promo.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
   * when it was forgotten.
   */
  public static CampaignTimeline apply(
      org.apache.flink.api.common.state.BroadcastState<String, CampaignTimeline> state,
      CampaignCatalog catalog,
      CampaignUpdate u,
      long watermark)
      throws Exception {
    long horizon = watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - KEEP_BEHIND_WATERMARK;
    CampaignTimeline t = state.get(u.campaignId());
    state.put(u.campaignId(), (t == null ? CampaignTimeline.of(u) : t.with(u)).prunedBefore(horizon));
    List<String> forgotten = new ArrayList<>();
    for (Map.Entry<String, CampaignTimeline> e : state.entries()) {
      CampaignUpdate latest = e.getValue().latest();
      if (Lifecycle.ARCHIVED.equals(latest.status()) && latest.at() <= horizon) {
        forgotten.add(e.getKey());
      }
    }
    for (String id : forgotten) {
      state.remove(id);
      catalog.remove(id);
    }
    CampaignTimeline now = state.get(u.campaignId());
    if (now != null) {
      catalog.put(now);
    }
    return now;
  }
}
