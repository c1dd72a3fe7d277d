package io.promo.job;

import io.promo.flow.ControlLogEnd;
import io.promo.flow.EventRecord;
import io.promo.flow.PartitionEnd;
import io.promo.model.Alert;
import io.promo.model.CampaignStatus;
import io.promo.model.Command;
import io.promo.model.DeadLetter;
import io.promo.model.Grant;
import io.promo.model.Rejection;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;

/**
 * The job's I/O, pluggable: Kafka in production and in integration tests, generators and
 * discarding sinks in benchmarks. {@link PromoWorkflow#define} only wires these together.
 * {@code eventsEnd} tells whether the events source has read a partition to its end (a quiet
 * partition's event time follows the wall clock only then).
 */
public record Io(
    Source<EventRecord, ?, ?> events,
    PartitionEnd eventsEnd,
    Source<Command, ?, ?> control,
    ControlLogEnd controlEnd,
    Sink<Grant> grants,
    Sink<Rejection> rejections,
    Sink<Alert> alerts,
    Sink<CampaignStatus> status,
    Sink<DeadLetter> deadLetters) {

  /** For an events source with no end to ask (generators): a quiet partition counts as caught up. */
  public Io(
      Source<EventRecord, ?, ?> events,
      Source<Command, ?, ?> control,
      ControlLogEnd controlEnd,
      Sink<Grant> grants,
      Sink<Rejection> rejections,
      Sink<Alert> alerts,
      Sink<CampaignStatus> status,
      Sink<DeadLetter> deadLetters) {
    this(events, PartitionEnd.ALWAYS, control, controlEnd, grants, rejections, alerts, status, deadLetters);
  }
}
