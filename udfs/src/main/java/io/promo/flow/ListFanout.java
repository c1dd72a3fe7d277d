package io.promo.flow;

import io.promo.model.Command;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Applies each list command once (keyed by list name) and fans it out to its users. */
public class ListFanout extends KeyedProcessFunction<String, Command, ListChange> {
  private static final long serialVersionUID = 1L;

  private transient MapState<String, Boolean> applied;

  @Override
  public void open(OpenContext ctx) {
    applied = getRuntimeContext().getMapState(new MapStateDescriptor<>("applied-commands", Types.STRING, Types.BOOLEAN));
  }

  @Override
  public void processElement(Command c, Context ctx, Collector<ListChange> out) throws Exception {
    if (applied.contains(c.commandId())) {
      return;
    }
    applied.put(c.commandId(), true);
    boolean add = Command.LIST_ADD.equals(c.type());
    for (String user : c.userIds()) {
      out.collect(new ListChange(user, c.list(), add, c.at(), c.commandId()));
    }
  }
}
