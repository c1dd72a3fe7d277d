package io.promo.job.kafka;

import io.promo.flow.EventDecoder;
import io.promo.flow.EventRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the events topic; every record becomes an {@link EventRecord}, bad ones included. */
public final class EventsDeserializer implements KafkaRecordDeserializationSchema<EventRecord> {
  private static final long serialVersionUID = 1L;
  private final EventDecoder decoder;

  public EventsDeserializer(EventDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<EventRecord> out) {
    out.collect(decoder.decode(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(),
        System.currentTimeMillis()));
  }

  @Override
  public TypeInformation<EventRecord> getProducedType() {
    return TypeInformation.of(EventRecord.class);
  }
}
