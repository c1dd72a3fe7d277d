package io.promo.serde;

import io.promo.flow.UserState;
import io.promo.model.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** Binary form of {@link UserState}; the first byte is a format version for later evolution. */
public final class UserStateSerializer extends CodecSerializer<UserState> {
  private static final long serialVersionUID = 1L;
  /** 2: counts and the hour histogram as varints (1: fixed ints; still read). */
  private static final byte FORMAT = 2;

  @Override
  protected boolean immutable() {
    return false;
  }

  @Override
  public UserState createInstance() {
    return new UserState();
  }

  @Override
  public void serialize(UserState s, DataOutputView out) throws IOException {
    out.writeByte(FORMAT);
    ValueCodec.writeProps(out, s.profile);
    ValueCodec.writeVarInt(out, s.seenCount);
    for (int i = 0; i < s.seenCount; i++) {
      out.writeLong(s.seenHash[i]);
      out.writeLong(s.seenTs[i]);
    }
    ValueCodec.writeVarInt(out, s.pending.size());
    for (Event e : s.pending) {
      EventSerializer.write(e, out);
    }
    ValueCodec.writeVarInt(out, s.progress.size());
    for (Map.Entry<String, UserState.Progress> e : s.progress.entrySet()) {
      StringValue.writeString(e.getKey(), out);
      UserState.Progress p = e.getValue();
      out.writeInt(p.fingerprint);
      out.writeBoolean(p.done);
      out.writeBoolean(p.fires);
      out.writeLong(p.grantSpan);
      out.writeLong(p.grants);
      ValueCodec.writeVarInt(out, p.grantTimes.size());
      for (long t : p.grantTimes) {
        out.writeLong(t);
      }
      ValueCodec.writeVarInt(out, p.items.size());
      for (UserState.Item it : p.items) {
        out.writeLong(it.ts());
        ValueCodec.writeNullableString(out, it.eventId());
        out.writeDouble(it.value());
        ValueCodec.writeNullableString(out, it.signature());
        out.writeLong(it.due());
      }
    }
    ValueCodec.writeVarInt(out, s.lists.size());
    for (String l : s.lists) {
      StringValue.writeString(l, out);
    }
    out.writeBoolean(s.hours != null);
    if (s.hours != null) {
      for (int h : s.hours) {
        ValueCodec.writeVarInt(out, h);
      }
    }
    out.writeLong(s.timer);
  }

  @Override
  public UserState deserialize(DataInputView in) throws IOException {
    byte format = in.readByte();
    if (format != FORMAT && format != 1) {
      throw new IOException("unknown UserState format " + format);
    }
    boolean v1 = format == 1;
    UserState s = new UserState();
    s.profile = new HashMap<>(ValueCodec.readProps(in));
    int seen = count(in, v1);
    s.seenHash = new long[Math.max(4, seen)];
    s.seenTs = new long[Math.max(4, seen)];
    for (int i = 0; i < seen; i++) {
      s.seenHash[i] = in.readLong();
      s.seenTs[i] = in.readLong();
    }
    s.seenCount = seen;
    int pending = count(in, v1);
    s.pending = new ArrayList<>(pending);
    for (int i = 0; i < pending; i++) {
      s.pending.add(EventSerializer.read(in));
    }
    int progress = count(in, v1);
    s.progress = new HashMap<>(Math.max(4, progress * 2));
    for (int i = 0; i < progress; i++) {
      String id = StringValue.readString(in);
      UserState.Progress p = new UserState.Progress();
      p.fingerprint = in.readInt();
      p.done = in.readBoolean();
      p.fires = in.readBoolean();
      p.grantSpan = in.readLong();
      p.grants = in.readLong();
      int gt = count(in, v1);
      for (int j = 0; j < gt; j++) {
        p.grantTimes.add(in.readLong());
      }
      int items = count(in, v1);
      for (int j = 0; j < items; j++) {
        p.items.add(
            new UserState.Item(
                in.readLong(),
                ValueCodec.readNullableString(in),
                in.readDouble(),
                ValueCodec.readNullableString(in),
                in.readLong()));
      }
      s.progress.put(id, p);
    }
    int lists = count(in, v1);
    s.lists = new HashSet<>();
    for (int i = 0; i < lists; i++) {
      s.lists.add(StringValue.readString(in));
    }
    if (in.readBoolean()) {
      s.hours = new int[24];
      for (int h = 0; h < 24; h++) {
        s.hours[h] = count(in, v1);
      }
    }
    s.timer = in.readLong();
    return s;
  }

  private static int count(DataInputView in, boolean fixed) throws IOException {
    return fixed ? in.readInt() : ValueCodec.readVarInt(in);
  }

  @Override
  public TypeSerializerSnapshot<UserState> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from savepoints. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<UserState> {
    public Snapshot() {
      super(UserStateSerializer::new);
    }
  }
}
