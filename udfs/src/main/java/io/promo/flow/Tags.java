package io.promo.flow;

import io.promo.model.Alert;
import io.promo.model.CampaignStats;
import io.promo.model.CampaignStatus;
import io.promo.model.Command;
import io.promo.model.DeadLetter;
import io.promo.model.Rejection;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** The side outputs of the graph, shared by the functions that write them and the wiring. */
public final class Tags {
  private Tags() {}

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
  public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", TypeInformation.of(Alert.class));
  public static final OutputTag<Rejection> REJECTIONS =
      new OutputTag<>("rejections", TypeInformation.of(Rejection.class));
  public static final OutputTag<CampaignStats> STATS =
      new OutputTag<>("campaign-stats", TypeInformation.of(CampaignStats.class));
  public static final OutputTag<CampaignStatus> STATUS =
      new OutputTag<>("campaign-status", TypeInformation.of(CampaignStatus.class));
  public static final OutputTag<Command> CODE_COMMANDS =
      new OutputTag<>("code-commands", TypeInformation.of(Command.class));
  public static final OutputTag<Command> LIST_COMMANDS =
      new OutputTag<>("list-commands", TypeInformation.of(Command.class));
}
