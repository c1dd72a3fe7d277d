package io.promo.model;

import io.promo.serde.EventTypeInfoFactory;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A user's action, as accepted from {@code promo.events}. Immutable.
 *
 * <p>Property values are restricted to what the contract allows: {@link String}, {@link Double}
 * (every JSON number), {@link Boolean}, or a {@link java.util.List} of those. A hand-written
 * serializer carries it between operators and in state (no Kryo, no reflection).
 */
@TypeInfo(EventTypeInfoFactory.class)
public final class Event {
  private final String eventId;
  private final String userId;
  private final String name;
  private final long ts;
  private final Map<String, Object> props;
  private final Map<String, Object> profile;

  public Event(
      String eventId,
      String userId,
      String name,
      long ts,
      Map<String, Object> props,
      Map<String, Object> profile) {
    this.eventId = Objects.requireNonNull(eventId);
    this.userId = Objects.requireNonNull(userId);
    this.name = Objects.requireNonNull(name);
    this.ts = ts;
    this.props = props == null ? Map.of() : props;
    this.profile = profile == null ? Map.of() : profile;
  }

  public String eventId() {
    return eventId;
  }

  public String userId() {
    return userId;
  }

  public String name() {
    return name;
  }

  public long ts() {
    return ts;
  }

  public Map<String, Object> props() {
    return props;
  }

  public Map<String, Object> profile() {
    return profile;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e
        && ts == e.ts
        && eventId.equals(e.eventId)
        && userId.equals(e.userId)
        && name.equals(e.name)
        && props.equals(e.props)
        && profile.equals(e.profile);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, userId, ts);
  }

  @Override
  public String toString() {
    return "Event{" + eventId + ", " + userId + ", " + name + ", " + ts + ", " + props + ", " + profile + "}";
  }
}
