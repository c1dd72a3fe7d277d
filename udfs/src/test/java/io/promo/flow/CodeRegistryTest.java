package io.promo.flow;

import static io.promo.testing.Fixtures.MIN;
import static io.promo.testing.Fixtures.T0;
import static io.promo.testing.Fixtures.codesUpload;
import static io.promo.testing.Harnesses.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Alert;
import io.promo.model.Command;
import io.promo.model.Reasons;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CodeRegistryTest {
  private KeyedOneInputStreamOperatorTestHarness<String, Command, CodeBatch> h;

  @BeforeEach
  void open() throws Exception {
    h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new CodeRegistry(), CodeRegistry::keyOf, Types.STRING);
  }

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  private List<CodeBatch> upload(Command c) throws Exception {
    h.processElement(c, c.at());
    return drain(h);
  }

  private List<Alert> alerts() {
    return drain(h, Tags.ALERTS);
  }

  @Test
  void codesAlreadyInASeriesOfThePartnerAreRefusedAndReported() throws Exception {
    assertThat(upload(codesUpload("up-1", "S1", "acme", T0, "A", "B", "C")))
        .containsExactly(new CodeBatch("S1", "acme", List.of("A", "B", "C"), null, "up-1", T0));
    assertThat(alerts()).isEmpty();

    assertThat(upload(codesUpload("up-2", "S2", "acme", T0 + MIN, "C", "D", "A")))
        .containsExactly(new CodeBatch("S2", "acme", List.of("D"), null, "up-2", T0 + MIN));
    assertThat(alerts()).containsExactly(new Alert(Reasons.DUPLICATE_CODES, null, "S2", "up-2",
        "2 of 3 codes refused: they were uploaded before for partner acme: C, A", T0 + MIN));

    // Re-uploading into the same series is refused as well: a code is issued at most once.
    assertThat(upload(codesUpload("up-3", "S1", "acme", T0 + 2 * MIN, "B"))).isEmpty();
    assertThat(alerts()).extracting(Alert::message)
        .containsExactly("1 of 1 codes refused: they were uploaded before for partner acme: B");
  }

  @Test
  void theSameCodeIsFineForAnotherPartnerOrWithoutOne() throws Exception {
    upload(codesUpload("up-1", "S1", "acme", T0, "A"));
    assertThat(upload(codesUpload("up-2", "S9", "globex", T0, "A")))
        .containsExactly(new CodeBatch("S9", "globex", List.of("A"), null, "up-2", T0));
    assertThat(upload(codesUpload("up-3", "COUPONS", null, T0, "A")))
        .containsExactly(new CodeBatch("COUPONS", null, List.of("A"), null, "up-3", T0));
    assertThat(upload(codesUpload("up-4", "MORE", null, T0, "A"))).isEmpty();
    assertThat(alerts()).containsExactly(new Alert(Reasons.DUPLICATE_CODES, null, "MORE", "up-4",
        "1 of 1 codes refused: they were uploaded before: A", T0));
    assertThat(h.numKeyedStateEntries()).as("codes and applied commands of 3 partner keys").isEqualTo(6);
  }

  @Test
  void aRepeatedCommandIdIsIgnored() throws Exception {
    upload(codesUpload("up-1", "S1", "acme", T0, "A"));
    assertThat(upload(codesUpload("up-1", "S1", "acme", T0, "A"))).isEmpty();
    assertThat(upload(codesUpload("up-1", "S1", "acme", T0, "Z"))).isEmpty();
    assertThat(alerts()).isEmpty();
    assertThat(upload(codesUpload("up-2", "S1", "acme", T0, "Z"))).extracting(CodeBatch::codes)
        .containsExactly(List.of("Z"));
  }

  @Test
  void expiryIsCarriedAndAnAlertNamesAtMost20Codes() throws Exception {
    Command withExpiry = io.promo.testing.Fixtures.command(
        "{'type': 'codes.upload', 'commandId': 'up-0', 'series': 'S', 'codes': ['X'], 'expiresAt': 5, 'at': 1}", 0);
    assertThat(upload(withExpiry)).containsExactly(new CodeBatch("S", null, List.of("X"), 5L, "up-0", 1));

    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      codes.add("C" + i);
    }
    upload(codesUpload("up-1", "S", null, T0, codes.toArray(String[]::new)));
    codes.add("NEW");
    assertThat(upload(codesUpload("up-2", "S", null, T0, codes.toArray(String[]::new))))
        .containsExactly(new CodeBatch("S", null, List.of("NEW"), null, "up-2", T0));
    assertThat(alerts()).extracting(Alert::message).containsExactly("25 of 26 codes refused: they were uploaded before: "
        + String.join(", ", codes.subList(0, 20)) + ", ...");
  }
}
