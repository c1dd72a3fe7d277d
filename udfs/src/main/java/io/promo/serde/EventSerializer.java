package io.promo.serde;

import io.promo.model.Event;
import java.io.IOException;
import org.apache.flink.types.StringValue;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Compact binary form of {@link Event}, in flight and in state. */
public final class EventSerializer extends CodecSerializer<Event> {
  private static final long serialVersionUID = 1L;
  public static final EventSerializer INSTANCE = new EventSerializer();

  @Override
  protected boolean immutable() {
    return true;
  }

  @Override
  public void serialize(Event e, DataOutputView out) throws IOException {
    write(e, out);
  }

  @Override
  public Event deserialize(DataInputView in) throws IOException {
    return read(in);
  }

  public static void write(Event e, DataOutputView out) throws IOException {
    StringValue.writeString(e.eventId(), out);
    StringValue.writeString(e.userId(), out);
    StringValue.writeString(e.name(), out);
    out.writeLong(e.ts());
    ValueCodec.writeProps(out, e.props());
    ValueCodec.writeProps(out, e.profile());
  }

  public static Event read(DataInputView in) throws IOException {
    return new Event(
        StringValue.readString(in),
        StringValue.readString(in),
        StringValue.readString(in),
        in.readLong(),
        ValueCodec.readProps(in),
        ValueCodec.readProps(in));
  }

  @Override
  public TypeSerializerSnapshot<Event> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from savepoints. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Event> {
    public Snapshot() {
      super(EventSerializer::new);
    }
  }
}
