package io.promo.job.kafka;

import io.promo.flow.EventDecoder;
import io.promo.flow.EventRecord;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import io.promo.job.Io;
import io.promo.job.JobConfig;
import io.promo.model.Alert;
import io.promo.model.CampaignStatus;
import io.promo.model.DeadLetter;
import io.promo.model.Grant;
import io.promo.model.Rejection;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The job's Kafka sources and sinks, built from the config. */
public final class KafkaIo {
  private KafkaIo() {}

  public static Io create(JobConfig cfg) {
    Properties kafka = cfg.kafka();
    String servers = cfg.get("bootstrap.servers");

    KafkaSource<EventRecord> events =
        eventsSource(cfg, new EventsDeserializer(new EventDecoder(cfg.duration("future-bound").toMillis())));

    // The control log is always read from its beginning: a stateless start rebuilds every campaign.
    KafkaSource<io.promo.model.Command> control = KafkaSource.<io.promo.model.Command>builder()
        .setBootstrapServers(servers)
        .setProperties(kafka)
        .setTopics(cfg.get("topic.control"))
        .setGroupId(cfg.get("group.id") + "-control")
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setProperty("isolation.level", "read_committed")
        .setDeserializer(new CommandsDeserializer())
        .build();

    return new Io(
        events,
        new EventsEndLookup(kafka),
        control,
        new ControlLogEndLookup(kafka, cfg.get("topic.control")),
        sink(cfg, "grants", new JsonRecords<Grant>(cfg.get("topic.grants"), Grant::userId), true),
        sink(cfg, "rejections", new JsonRecords<Rejection>(cfg.get("topic.rejections"), Rejection::userId), true),
        sink(cfg, "alerts", new JsonRecords<Alert>(cfg.get("topic.alerts"), KafkaIo::alertKey), false),
        sink(cfg, "status", new JsonRecords<CampaignStatus>(cfg.get("topic.campaign-status"), CampaignStatus::id), false),
        sink(cfg, "dead-letters", new JsonRecords<DeadLetter>(cfg.get("topic.dead-letters"), DeadLetter::key), false));
  }

  /** The events source with the given deserializer (tests wrap it to inject failures). */
  public static KafkaSource<EventRecord> eventsSource(JobConfig cfg, KafkaRecordDeserializationSchema<EventRecord> deserializer) {
    return KafkaSource.<EventRecord>builder()
        .setBootstrapServers(cfg.get("bootstrap.servers"))
        .setProperties(cfg.kafka())
        .setTopics(cfg.get("topic.events"))
        .setGroupId(cfg.get("group.id"))
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setProperty("isolation.level", "read_committed")
        .setProperty("partition.discovery.interval.ms", "60000")
        .setDeserializer(deserializer)
        .build();
  }

  private static String alertKey(Alert a) {
    return a.campaignId() != null ? a.campaignId() : a.series() != null ? a.series() : a.commandId();
  }

  /**
   * Grants and rejections are written in Kafka transactions committed on checkpoints (exactly
   * once for read_committed readers). Alerts, status and dead letters are operator feedback:
   * written at once, at least once (status is compacted, so a repeat is harmless).
   */
  private static <T> KafkaSink<T> sink(JobConfig cfg, String name, KafkaRecordSerializationSchema<T> schema, boolean exactlyOnce) {
    var b = KafkaSink.<T>builder()
        .setBootstrapServers(cfg.get("bootstrap.servers"))
        .setKafkaProducerConfig(cfg.kafka())
        .setRecordSerializer(schema);
    if (exactlyOnce) {
      b.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
          .setTransactionalIdPrefix(cfg.get("transactional.id.prefix") + "-" + name)
          .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
          .setProperty("transaction.timeout.ms", String.valueOf(cfg.duration("transaction.timeout").toMillis()));
    } else {
      b.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
    }
    return b.build();
  }
}
