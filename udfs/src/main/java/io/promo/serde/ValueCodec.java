package io.promo.serde;

import java.io.IOException;
import org.apache.flink.types.StringValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Binary form of the contract's property values: string, number (as double), boolean, or a list
 * of those. One tag byte per value; used by every hand-written serializer of the job.
 */
public final class ValueCodec {
  private ValueCodec() {}

  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte NUMBER = 2;
  private static final byte TRUE = 3;
  private static final byte FALSE = 4;
  private static final byte LIST = 5;

  public static void writeValue(DataOutputView out, Object v) throws IOException {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof String s) {
      out.writeByte(STRING);
      StringValue.writeString(s, out);
    } else if (v instanceof Number n) {
      out.writeByte(NUMBER);
      out.writeDouble(n.doubleValue());
    } else if (v instanceof Boolean b) {
      out.writeByte(b ? TRUE : FALSE);
    } else if (v instanceof List<?> list) {
      out.writeByte(LIST);
      out.writeInt(list.size());
      for (Object e : list) {
        writeValue(out, e);
      }
    } else {
      throw new IOException("not a property value: " + v.getClass());
    }
  }

  public static Object readValue(DataInputView in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return StringValue.readString(in);
      case NUMBER:
        return in.readDouble();
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      case LIST:
        int n = in.readInt();
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(readValue(in));
        }
        return Collections.unmodifiableList(list);
      default:
        throw new IOException("corrupt value tag " + tag);
    }
  }

  public static void writeProps(DataOutputView out, Map<String, Object> props) throws IOException {
    out.writeInt(props.size());
    for (Map.Entry<String, Object> e : props.entrySet()) {
      StringValue.writeString(e.getKey(), out);
      writeValue(out, e.getValue());
    }
  }

  public static Map<String, Object> readProps(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n == 0) {
      return Map.of();
    }
    Map<String, Object> m = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      m.put(StringValue.readString(in), readValue(in));
    }
    return m;
  }

  public static void writeNullableString(DataOutputView out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      StringValue.writeString(s, out);
    }
  }

  public static String readNullableString(DataInputView in) throws IOException {
    return in.readBoolean() ? StringValue.readString(in) : null;
  }

  /** An unsigned LEB128 varint: counts and small numbers take one byte instead of four. */
  public static void writeVarInt(DataOutputView out, int v) throws IOException {
    while ((v & ~0x7F) != 0) {
      out.writeByte((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.writeByte(v);
  }

  public static int readVarInt(DataInputView in) throws IOException {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      byte b = in.readByte();
      v |= (b & 0x7F) << shift;
      if (b >= 0) {
        return v;
      }
    }
    throw new IOException("malformed varint");
  }
}
