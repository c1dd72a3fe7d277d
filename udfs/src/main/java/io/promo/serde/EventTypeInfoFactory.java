package io.promo.serde;

import io.promo.model.Event;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link EventSerializer} wherever an {@link Event} appears. */
public final class EventTypeInfoFactory extends TypeInfoFactory<Event> {
  public static final TypeInformation<Event> TYPE = new CodecTypeInfo<>(Event.class, EventSerializer::new);

  @Override
  public TypeInformation<Event> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
    return TYPE;
  }
}
