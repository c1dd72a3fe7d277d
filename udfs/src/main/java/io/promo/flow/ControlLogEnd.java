package io.promo.flow;

import java.io.Serializable;
import java.util.Map;

/**
 * Tells where the control log ends right now: for each partition, the offset of the last record
 * (or -1 when the partition is empty). Implemented with a Kafka admin client by the job.
 */
@FunctionalInterface
public interface ControlLogEnd extends Serializable {
  Map<Integer, Long> lastOffsets() throws Exception;
}
