package io.promo.flow;

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
   * Applies an update to broadcast state and to the subtask's catalog; drops an archived
   * campaign once no event can be judged by it any more.
   */
  public static CampaignTimeline apply(
      org.apache.flink.api.common.state.BroadcastState<String, CampaignTimeline> state,
      CampaignCatalog catalog,
      CampaignUpdate u,
      long watermark)
      throws Exception {
    CampaignTimeline t = state.get(u.campaignId());
    t = (t == null ? CampaignTimeline.of(u) : t.with(u)).prunedBefore(watermark);
    if (Lifecycle.ARCHIVED.equals(t.latest().status()) && t.latest().at() <= watermark) {
      state.remove(u.campaignId());
      catalog.remove(u.campaignId());
      return null;
    }
    state.put(u.campaignId(), t);
    catalog.put(t);
    return t;
  }
}
