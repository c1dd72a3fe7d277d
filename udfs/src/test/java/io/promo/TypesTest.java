package io.promo;

import static org.assertj.core.api.Assertions.assertThat;

import io.promo.flow.CampaignTimeline;
import io.promo.flow.CampaignUpdate;
import io.promo.flow.CodeBatch;
import io.promo.flow.EventRecord;
import io.promo.flow.Inventory;
import io.promo.flow.LedgerCounters;
import io.promo.flow.LedgerInput;
import io.promo.flow.ListChange;
import io.promo.flow.Qualification;
import io.promo.flow.RegistryEntry;
import io.promo.flow.StockCode;
import io.promo.flow.UserInput;
import io.promo.flow.UserState;
import io.promo.model.Alert;
import io.promo.model.CampaignStats;
import io.promo.model.CampaignStatus;
import io.promo.model.Command;
import io.promo.model.DeadLetter;
import io.promo.model.Event;
import io.promo.model.Grant;
import io.promo.model.Rejection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every type that crosses an operator boundary or sits in state is serialized without Kryo. */
class TypesTest {
  @ParameterizedTest
  @ValueSource(
      classes = {
        Event.class, EventRecord.class, UserState.class, UserInput.class, ListChange.class, Qualification.class,
        LedgerInput.class, CodeBatch.class, CampaignUpdate.class, CampaignTimeline.class, RegistryEntry.class,
        LedgerCounters.class, Inventory.class, StockCode.class, Command.class, Grant.class, Rejection.class,
        Alert.class, DeadLetter.class, CampaignStats.class, CampaignStatus.class
      })
  void noGenericTypes(Class<?> type) {
    TypeInformation<?> info = TypeInformation.of(type);
    assertThat(info).isNotInstanceOf(GenericTypeInfo.class);
    ExecutionConfig config = new ExecutionConfig();
    ((org.apache.flink.api.common.serialization.SerializerConfigImpl) config.getSerializerConfig()).setGenericTypes(false);
    TypeSerializer<?> serializer = info.createSerializer(config.getSerializerConfig());
    assertThat(serializer).isNotInstanceOf(KryoSerializer.class);
    assertThat(List.of(serializer.toString())).isNotEmpty();
  }
}
