package io.promo.serde;

import io.promo.flow.UserState;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Makes Flink use {@link UserStateSerializer} for {@link UserState}. */
public final class UserStateTypeInfoFactory extends TypeInfoFactory<UserState> {
  public static final TypeInformation<UserState> TYPE =
      new CodecTypeInfo<>(UserState.class, UserStateSerializer::new);

  @Override
  public TypeInformation<UserState> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
    return TYPE;
  }
}
