package io.promo.serde;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the job's hand-written serializers: subclasses only write and read their fields.
 * Immutable types are copied by reference; mutable ones by a serialize/deserialize round trip
 * (rare: RocksDB state does not copy, and object reuse is on between chained operators).
 */
public abstract class CodecSerializer<T> extends TypeSerializerSingleton<T> {
  private static final long serialVersionUID = 1L;

  protected abstract boolean immutable();

  @Override
  public boolean isImmutableType() {
    return immutable();
  }

  @Override
  public T createInstance() {
    return null;
  }

  @Override
  public T copy(T from) {
    if (from == null || immutable()) {
      return from;
    }
    try {
      DataOutputSerializer out = new DataOutputSerializer(256);
      serialize(from, out);
      return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy " + from, e);
    }
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }
}
