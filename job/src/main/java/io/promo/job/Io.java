package io.promo.job;

import io.promo.flow.ControlLogEnd;
import io.promo.flow.EventRecord;
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
 */
public record Io(
    Source<EventRecord, ?, ?> events,
    Source<Command, ?, ?> control,
    ControlLogEnd controlEnd,
    Sink<Grant> grants,
    Sink<Rejection> rejections,
    Sink<Alert> alerts,
    Sink<CampaignStatus> status,
    Sink<DeadLetter> deadLetters) {}
