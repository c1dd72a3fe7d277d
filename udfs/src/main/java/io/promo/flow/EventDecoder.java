package io.promo.flow;

import io.promo.json.EventCodec;
import io.promo.model.Reasons;

/** Turns a raw events-topic record into an {@link EventRecord}; never throws. */
public final class EventDecoder implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final long futureBound;

  /** @param futureBoundMillis how far ahead of the wall clock an event's ts may be */
  public EventDecoder(long futureBoundMillis) {
    this.futureBound = futureBoundMillis;
  }

  public EventRecord decode(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, long now) {
    EventCodec.Result r = EventCodec.parse(value);
    String error = r.error();
    if (error == null && r.event().ts() > now + futureBound) {
      error = Reasons.FUTURE;
    }
    return new EventRecord(error == null ? r.event() : null, error, topic, partition, offset, key, value, timestamp);
  }
}
