package io.promo.bench;

import io.promo.json.Json;
import io.promo.model.Grant;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A discarding Sink V2 that still does what a Kafka sink's record serializer does per record
 * (JSON via {@link Json#bytes}, as {@code JsonRecords} does), counts records and bytes into the
 * run's {@link Probe}, and records grant latency when the run is paced.
 */
final class CountingSink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;

  private final String probeId;
  private final String name;
  private final SerializableFunction<T, Object> view;

  CountingSink(String probeId, String name, SerializableFunction<T, Object> view) {
    this.probeId = probeId;
    this.name = name;
    this.view = view;
  }

  static <T> CountingSink<T> json(String probeId, String name) {
    return new CountingSink<>(probeId, name, v -> v);
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext ctx) {
    Probe probe = Probe.get(probeId);
    return new SinkWriter<>() {
      @Override
      public void write(T value, Context c) {
        byte[] b = Json.bytes(view.apply(value));
        probe.sunk(name, b.length);
        if (value instanceof Grant g) {
          probe.grant(g);
        }
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
