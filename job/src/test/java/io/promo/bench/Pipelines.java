package io.promo.bench;

import io.promo.flow.EventDecoder;
import io.promo.flow.EventRecord;
import io.promo.flow.EventWatermarks;
import io.promo.job.Io;
import io.promo.job.JobConfig;
import io.promo.job.PromoWorkflow;
import io.promo.json.CommandCodec;
import io.promo.model.Command;
import io.promo.model.Event;
import io.promo.serde.EventTypeInfoFactory;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/** The two graphs a pair compares, over the same source. */
final class Pipelines {
  private Pipelines() {}

  static final String EVENTS_TOPIC = "bench.events";
  static final String CONTROL_TOPIC = "bench.control";

  /** The events' watermark strategy, built as PromoWorkflow builds it. */
  static EventWatermarks watermarks(JobConfig cfg) {
    return new EventWatermarks(cfg.duration("out-of-orderness"), cfg.duration("quiet-after"), cfg.duration("idle-timeout"),
        System::currentTimeMillis);
  }

  /** The events source: EventDecoder in the reader thread, as the Kafka deserializer does it. */
  static IndexSource<EventRecord> events(String feedId, String probeId, JobConfig cfg) {
    EventDecoder decoder = new EventDecoder(cfg.duration("future-bound").toMillis());
    return new IndexSource<>(feedId, probeId,
        (i, v, now) -> decoder.decode(EVENTS_TOPIC, 0, i, now, null, v, now),
        TypeInformation.of(EventRecord.class));
  }

  /** The control source: commands of partition 0 at offsets 0..n-1, parsed as the Kafka deserializer does. */
  static IndexSource<Command> control(String feedId) {
    return new IndexSource<>(feedId, null,
        new IndexSource.Decoder<Command>() {
          @Override
          public Command decode(long i, byte[] v, long now) {
            return CommandCodec.parse(CONTROL_TOPIC, 0, i, now, v).command();
          }

          @Override
          public long timestamp(Command c, long now) {
            return c.at();
          }
        },
        TypeInformation.of(Command.class));
  }

  /**
   * B0, the passthrough: the same source and parsing, keyBy(userId), a no-op keyed map, keyBy
   * again, the same JSON serialization (in the sink, as a Kafka sink does it), discarded.
   */
  static void baseline(StreamExecutionEnvironment env, JobConfig cfg, String feedId, String probeId) {
    env.fromSource(events(feedId, probeId, cfg),
            new EventWatermarks(cfg.duration("out-of-orderness"), cfg.duration("quiet-after"), cfg.duration("idle-timeout"), System::currentTimeMillis),
            "Events source")
        .uid("events-source")
        .flatMap((FlatMapFunction<EventRecord, Event>) (r, out) -> {
          if (r.event() != null) {
            out.collect(r.event());
          }
        })
        .returns(EventTypeInfoFactory.TYPE)
        .name("Valid events")
        .keyBy(Event::userId)
        .map((MapFunction<Event, Event>) e -> e)
        .returns(EventTypeInfoFactory.TYPE)
        .name("No-op keyed map")
        .keyBy(Event::userId)
        .sinkTo(new CountingSink<Event>(probeId, "out", EventOut::of))
        .name("Discard");
  }

  /**
   * B1: B0 with the state access the architecture aims for, one RocksDB read and one write of a
   * user value per event (the value: the last 8 event ids and a small profile, ~150 bytes).
   * What Flink and RocksDB allow for a keyed job that touches its state once per event.
   */
  static void oneReadOneWrite(StreamExecutionEnvironment env, JobConfig cfg, String feedId, String probeId) {
    keyedStepThenDiscard(env, cfg, feedId, probeId, new OneReadOneWrite(), "One read, one write");
  }

  /**
   * B2: B1 with the job's event-time reordering pattern: the event is written to the user's
   * value on arrival with an event-time timer at its ts, and read, judged (no-op) and written
   * again when the watermark passes it. Two reads, two writes and a timer per event.
   */
  static void bufferedUntilWatermark(StreamExecutionEnvironment env, JobConfig cfg, String feedId, String probeId) {
    keyedStepThenDiscard(env, cfg, feedId, probeId, new BufferUntilWatermark(), "Buffer until the watermark");
  }

  /** The baselines' shape around one keyed step: valid events → keyBy → step → keyBy → discard. */
  private static void keyedStepThenDiscard(StreamExecutionEnvironment env, JobConfig cfg, String feedId, String probeId,
      org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, Event, Event> step, String name) {
    valid(env, cfg, feedId, probeId)
        .keyBy(Event::userId)
        .process(step)
        .returns(EventTypeInfoFactory.TYPE)
        .name(name)
        .keyBy(Event::userId)
        .sinkTo(new CountingSink<Event>(probeId, "out", EventOut::of))
        .name("Discard");
  }

  private static org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator<Event> valid(
      StreamExecutionEnvironment env, JobConfig cfg, String feedId, String probeId) {
    return env.fromSource(events(feedId, probeId, cfg),
            watermarks(cfg),
            "Events source")
        .uid("events-source")
        .flatMap((FlatMapFunction<EventRecord, Event>) (r, out) -> {
          if (r.event() != null) {
            out.collect(r.event());
          }
        })
        .returns(EventTypeInfoFactory.TYPE)
        .name("Valid events");
  }

  /** A user's value: 8 recent event ids and a 64-byte profile blob, rewritten per event. */
  static byte[] touch(byte[] v, Event e) {
    byte[] id = e.eventId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int slot = 16;
    byte[] out = v == null ? new byte[64 + 8 * slot] : v;
    int i = (int) Math.floorMod(e.ts(), 8L);
    java.util.Arrays.fill(out, 64 + i * slot, 64 + (i + 1) * slot, (byte) 0);
    System.arraycopy(id, 0, out, 64 + i * slot, Math.min(slot, id.length));
    return out;
  }

  static final class OneReadOneWrite extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, Event, Event> {
    private transient org.apache.flink.api.common.state.ValueState<byte[]> value;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
      value = getRuntimeContext().getState(new org.apache.flink.api.common.state.ValueStateDescriptor<>("user",
          org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
      value.update(touch(value.value(), e));
      out.collect(e);
    }
  }

  static final class BufferUntilWatermark extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, Event, Event> {
    private transient org.apache.flink.api.common.state.ValueState<org.apache.flink.api.java.tuple.Tuple2<byte[], java.util.List<Event>>> value;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
      value = getRuntimeContext().getState(new org.apache.flink.api.common.state.ValueStateDescriptor<>("user",
          new org.apache.flink.api.java.typeutils.TupleTypeInfo<org.apache.flink.api.java.tuple.Tuple2<byte[], java.util.List<Event>>>(
              org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO,
              new org.apache.flink.api.java.typeutils.ListTypeInfo<>(EventTypeInfoFactory.TYPE))));
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
      // One value holds the user's data and the events waiting for the watermark, as UserState does.
      var v = value.value();
      if (v == null) {
        v = org.apache.flink.api.java.tuple.Tuple2.of(touch(null, e), new java.util.ArrayList<>(1));
      }
      v.f1.add(e);
      value.update(v);
      ctx.timerService().registerEventTimeTimer(e.ts());
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<Event> out) throws Exception {
      var v = value.value();
      if (v == null) {
        return;
      }
      java.util.List<Event> keep = new java.util.ArrayList<>();
      for (Event e : v.f1) {
        if (e.ts() <= t) {
          v.f0 = touch(v.f0, e);
          out.collect(e);
        } else {
          keep.add(e);
        }
      }
      v.f1 = keep;
      value.update(v);
    }
  }

  /** J, the whole job ({@link PromoWorkflow#define}) between the same source and discarding sinks. */
  static void job(StreamExecutionEnvironment env, JobConfig cfg, String eventsFeed, String controlFeed,
      long controlRecords, String probeId) {
    long last = controlRecords - 1;
    Io io = new Io(
        events(eventsFeed, probeId, cfg),
        control(controlFeed),
        last >= 0 ? () -> Map.of(0, last) : Map::of,
        CountingSink.json(probeId, "grants"),
        CountingSink.json(probeId, "rejections"),
        CountingSink.json(probeId, "alerts"),
        CountingSink.json(probeId, "status"),
        CountingSink.json(probeId, "dead-letters"));
    PromoWorkflow.define(env, io, cfg, System::currentTimeMillis);
  }

  /** What B0 writes: the event as JSON (Event itself has no bean accessors). */
  record EventOut(String eventId, String userId, String name, long ts, Map<String, Object> props,
      Map<String, Object> profile) {
    static Object of(Event e) {
      return new EventOut(e.eventId(), e.userId(), e.name(), e.ts(), e.props(), e.profile());
    }
  }
}
