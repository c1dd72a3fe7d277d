package io.promo.job.kafka;

import io.promo.json.CommandCodec;
import io.promo.model.Command;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the control topic; every record becomes a {@link Command}, invalid ones with their errors. */
public final class CommandsDeserializer implements KafkaRecordDeserializationSchema<Command> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Command> out) {
    out.collect(CommandCodec.parse(r.topic(), r.partition(), r.offset(), r.timestamp(), r.value()).command());
  }

  @Override
  public TypeInformation<Command> getProducedType() {
    return TypeInformation.of(Command.class);
  }
}
