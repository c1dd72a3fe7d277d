package io.promo.flow;

import io.promo.model.Command;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Holds event time back until the control log has been read to the end it had at start-up, so
 * that no event is judged before the campaigns it should be judged by are known; then declares
 * the control path idle for good, so it neither holds back nor pushes event time.
 *
 * <p>Runs at parallelism 1 right after the control source. Once caught up it stays caught up
 * across restores (operator state). If the end cannot be looked up, it waits at most {@code
 * maxWait} and then lets events through, logging why.
 */
public final class ControlGate extends AbstractStreamOperator<Command> implements OneInputStreamOperator<Command, Command> {
  private static final long serialVersionUID = 1L;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControlGate.class);
  private static final long CHECK_EVERY_MS = 200;

  private final ControlLogEnd logEnd;
  private final long maxWait;

  private transient Map<Integer, Long> remaining;
  private transient boolean caughtUp;
  private transient long openedAt;
  private transient ListState<Boolean> caughtUpState;

  public ControlGate(ControlLogEnd logEnd, long maxWaitMillis) {
    this.logEnd = logEnd;
    this.maxWait = maxWaitMillis;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    caughtUpState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("caught-up", Types.BOOLEAN));
    for (Boolean b : caughtUpState.get()) {
      caughtUp |= b;
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    openedAt = getProcessingTimeService().getCurrentProcessingTime();
    remaining = new HashMap<>();
    if (!caughtUp) {
      try {
        for (Map.Entry<Integer, Long> e : logEnd.lastOffsets().entrySet()) {
          if (e.getValue() >= 0) {
            remaining.put(e.getKey(), e.getValue());
          }
        }
      } catch (Exception e) {
        LOG.warn("Cannot look up the end of the control log; events wait at most {} ms for commands", maxWait, e);
        remaining.put(-1, Long.MAX_VALUE);
      }
    }
    check();
  }

  @Override
  public void processElement(StreamRecord<Command> element) throws Exception {
    Command c = element.getValue();
    Long last = remaining.get(c.partition());
    if (last != null && c.offset() >= last) {
      remaining.remove(c.partition());
    }
    output.collect(element);
    check();
  }

  private void check() {
    if (caughtUp) {
      declareIdle();
      return;
    }
    long now = getProcessingTimeService().getCurrentProcessingTime();
    if (remaining.isEmpty() || now - openedAt >= maxWait) {
      if (!remaining.isEmpty()) {
        LOG.warn("Control log not read to its end after {} ms; letting events through", maxWait);
      }
      caughtUp = true;
      LOG.info("Control log read to its end; events are judged from now on");
      declareIdle();
      return;
    }
    getProcessingTimeService().registerTimer(now + CHECK_EVERY_MS, t -> check());
  }

  private boolean idleDeclared;

  private void declareIdle() {
    if (!idleDeclared) {
      idleDeclared = true;
      output.emitWatermarkStatus(WatermarkStatus.IDLE);
    }
  }

  @Override
  public void processWatermark(Watermark mark) {
    // The control path carries no event time of its own.
  }

  @Override
  public void processWatermarkStatus(WatermarkStatus status) {
    // Idleness of the control path is decided here, not by the source.
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    caughtUpState.update(List.of(caughtUp));
  }
}
