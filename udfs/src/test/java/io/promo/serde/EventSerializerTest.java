package io.promo.serde;

import static io.promo.testing.Fixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promo.model.Event;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Flink's own serializer contract tests, plus the property value kinds of the contract. */
class EventSerializerTest extends SerializerTestBase<Event> {
  static final String LONG_TEXT = "x€".repeat(40_000); // 80,000 chars, 160,000+ UTF-8 bytes

  static final Event[] EVENTS = {
    new Event("e-1", "u-42", "add_to_cart", 1764324900000L, Map.of(), Map.of()),
    new Event("e-2", "u-42", "add_to_cart", -1L,
        map("amount", 120.5, "sku", "A1", "gift", true, "used", false, "neg", -0.0, "max", Double.MAX_VALUE,
            "tags", List.of("a", 2.0, false), "empty", List.of(), "nan", Double.NaN),
        map("tz", "Asia/Kolkata", "city", "Pune")),
    new Event("é-ü-日本", "ユーザー", "名前 \u0000 with nul", Long.MAX_VALUE, map("text", LONG_TEXT), Map.of()),
    new Event(LONG_TEXT, "u".repeat(256), LONG_TEXT, Long.MIN_VALUE, Map.of(), map(LONG_TEXT, LONG_TEXT)),
  };

  @Override
  protected TypeSerializer<Event> createSerializer() {
    return new EventSerializer();
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<Event> getTypeClass() {
    return Event.class;
  }

  @Override
  protected Event[] getTestData() {
    return EVENTS;
  }

  @Override
  protected boolean allowNullInstances(TypeSerializer<Event> serializer) {
    return true; // an immutable type: there is nothing to reuse
  }

  @Test
  void everyValueKindSurvivesARoundTrip() throws IOException {
    for (Event e : EVENTS) {
      DataOutputSerializer out = new DataOutputSerializer(64);
      EventSerializer.INSTANCE.serialize(e, out);
      Event back = EventSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
      assertThat(back).isEqualTo(e);
      assertThat(back.props()).isEqualTo(e.props());
      assertThat(back.profile()).isEqualTo(e.profile());
    }
    Event lists = EVENTS[1];
    DataOutputSerializer out = new DataOutputSerializer(64);
    EventSerializer.write(lists, out);
    Event back = EventSerializer.read(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.props().get("tags")).isEqualTo(List.of("a", 2.0, false));
    assertThat((Double) back.props().get("nan")).isNaN();
    assertThat(back.props().get("gift")).isEqualTo(Boolean.TRUE);
  }

  @Test
  void immutableSoCopiesAreTheSameObject() {
    assertThat(EventSerializer.INSTANCE.isImmutableType()).isTrue();
    assertThat(EventSerializer.INSTANCE.copy(EVENTS[1])).isSameAs(EVENTS[1]);
  }

  @Test
  void valuesOutsideTheContractAreRefusedAndCorruptTagsDetected() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(16);
    assertThatThrownBy(() -> ValueCodec.writeValue(out, Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("not a property value: class java.util.");
    assertThatThrownBy(() -> ValueCodec.readValue(new DataInputDeserializer(new byte[] {9})))
        .isInstanceOf(IOException.class)
        .hasMessage("corrupt value tag 9");
    DataOutputSerializer nul = new DataOutputSerializer(16);
    ValueCodec.writeValue(nul, null);
    ValueCodec.writeNullableString(nul, null);
    ValueCodec.writeNullableString(nul, "s");
    DataInputDeserializer in = new DataInputDeserializer(nul.getCopyOfBuffer());
    assertThat(ValueCodec.readValue(in)).isNull();
    assertThat(ValueCodec.readNullableString(in)).isNull();
    assertThat(ValueCodec.readNullableString(in)).isEqualTo("s");
  }
}
