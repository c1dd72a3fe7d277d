package io.promo.flow;

import io.promo.model.Alert;
import io.promo.model.Command;
import io.promo.model.Reasons;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Every code ever uploaded for a partner (keyed by partner; coupons without a partner share
 * one key), so that a code can sit in only one series: an upload's codes that already exist
 * are refused and reported (DUPLICATE_CODES); the rest go on to the series' ledger.
 */
public class CodeRegistry extends KeyedProcessFunction<String, Command, CodeBatch> {
  private static final long serialVersionUID = 1L;
  /** How many refused codes an alert names (the count is always complete). */
  static final int NAMED_IN_ALERT = 20;

  private transient MapState<String, String> seriesOfCode;
  private transient MapState<String, Boolean> applied;

  /** The key of an upload: its partner, or "" for coupons without one. */
  public static String keyOf(Command c) {
    return c.partner() == null ? "" : c.partner();
  }

  @Override
  public void open(OpenContext ctx) {
    seriesOfCode = getRuntimeContext().getMapState(new MapStateDescriptor<>("series-of-code", Types.STRING, Types.STRING));
    applied = getRuntimeContext().getMapState(new MapStateDescriptor<>("applied-commands", Types.STRING, Types.BOOLEAN));
  }

  @Override
  public void processElement(Command c, Context ctx, Collector<CodeBatch> out) throws Exception {
    if (applied.contains(c.commandId())) {
      return;
    }
    applied.put(c.commandId(), true);
    List<String> accepted = new ArrayList<>(c.codes().size());
    List<String> refused = new ArrayList<>();
    for (String code : c.codes()) {
      if (seriesOfCode.contains(code)) {
        refused.add(code);
      } else {
        seriesOfCode.put(code, c.series());
        accepted.add(code);
      }
    }
    if (!accepted.isEmpty()) {
      out.collect(new CodeBatch(c.series(), c.partner(), List.copyOf(accepted), c.expiresAt(), c.commandId(), c.at()));
    }
    if (!refused.isEmpty()) {
      String named = String.join(", ", refused.subList(0, Math.min(NAMED_IN_ALERT, refused.size())));
      ctx.output(
          Tags.ALERTS,
          new Alert(Reasons.DUPLICATE_CODES, null, c.series(), c.commandId(),
              refused.size() + " of " + c.codes().size() + " codes refused: they were uploaded before"
                  + (c.partner() == null ? "" : " for partner " + c.partner()) + ": " + named
                  + (refused.size() > NAMED_IN_ALERT ? ", ..." : ""),
              c.at()));
    }
  }
}
