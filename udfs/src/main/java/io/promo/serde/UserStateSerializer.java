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
  private static final byte FORMAT = 1;

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
    out.writeInt(s.seenCount);
    for (int i = 0; i < s.seenCount; i++) {
      out.writeLong(s.seenHash[i]);
      out.writeLong(s.seenTs[i]);
    }
    out.writeInt(s.pending.size());
    for (Event e : s.pending) {
      EventSerializer.write(e, out);
    }
    out.writeInt(s.progress.size());
    for (Map.Entry<String, UserState.Progress> e : s.progress.entrySet()) {
      StringValue.writeString(e.getKey(), out);
      UserState.Progress p = e.getValue();
      out.writeInt(p.fingerprint);
      out.writeBoolean(p.done);
      out.writeBoolean(p.fires);
      out.writeLong(p.grantSpan);
      out.writeLong(p.grants);
      out.writeInt(p.grantTimes.size());
      for (long t : p.grantTimes) {
        out.writeLong(t);
      }
      out.writeInt(p.items.size());
      for (UserState.Item it : p.items) {
        out.writeLong(it.ts());
        ValueCodec.writeNullableString(out, it.eventId());
        out.writeDouble(it.value());
        ValueCodec.writeNullableString(out, it.signature());
        out.writeLong(it.due());
      }
    }
    out.writeInt(s.lists.size());
    for (String l : s.lists) {
      StringValue.writeString(l, out);
    }
    out.writeBoolean(s.hours != null);
    if (s.hours != null) {
      for (int h : s.hours) {
        out.writeInt(h);
      }
    }
    out.writeLong(s.timer);
  }

  @Override
  public UserState deserialize(DataInputView in) throws IOException {
    byte format = in.readByte();
    if (format != FORMAT) {
      throw new IOException("unknown UserState format " + format);
    }
    UserState s = new UserState();
    s.profile = new HashMap<>(ValueCodec.readProps(in));
    int seen = in.readInt();
    s.seenHash = new long[Math.max(4, seen)];
    s.seenTs = new long[Math.max(4, seen)];
    for (int i = 0; i < seen; i++) {
      s.seenHash[i] = in.readLong();
      s.seenTs[i] = in.readLong();
    }
    s.seenCount = seen;
    int pending = in.readInt();
    s.pending = new ArrayList<>(pending);
    for (int i = 0; i < pending; i++) {
      s.pending.add(EventSerializer.read(in));
    }
    int progress = in.readInt();
    s.progress = new HashMap<>(Math.max(4, progress * 2));
    for (int i = 0; i < progress; i++) {
      String id = StringValue.readString(in);
      UserState.Progress p = new UserState.Progress();
      p.fingerprint = in.readInt();
      p.done = in.readBoolean();
      p.fires = in.readBoolean();
      p.grantSpan = in.readLong();
      p.grants = in.readLong();
      int gt = in.readInt();
      for (int j = 0; j < gt; j++) {
        p.grantTimes.add(in.readLong());
      }
      int items = in.readInt();
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
    int lists = in.readInt();
    s.lists = new HashSet<>();
    for (int i = 0; i < lists; i++) {
      s.lists.add(StringValue.readString(in));
    }
    if (in.readBoolean()) {
      s.hours = new int[24];
      for (int h = 0; h < 24; h++) {
        s.hours[h] = in.readInt();
      }
    }
    s.timer = in.readLong();
    return s;
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
