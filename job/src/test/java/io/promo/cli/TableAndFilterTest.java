package io.promo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.json.Json;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableAndFilterTest {
  static StatusView status(String json) throws Exception {
    return new StatusView(Json.tree(json));
  }

  static final String CART = "{\"id\":\"cart-abandon-10\",\"name\":\"Cart abandonment 10% off\",\"createdBy\":\"alice\","
      + "\"labels\":[\"ecommerce\",\"retention\"],\"kind\":\"LIVE\",\"rewardType\":\"BULK_COUPON_CODES\","
      + "\"status\":\"RUNNING\",\"version\":3,\"schedule\":{\"start\":1764547200000,\"end\":1767225599000},"
      + "\"updatedAt\":1764324900000,\"stats\":{\"qualified\":130,\"granted\":120,\"points\":0,"
      + "\"rejected\":{\"USER_LIMIT\":7,\"INVENTORY_EXHAUSTED\":3},\"inventory\":{\"uploaded\":300,\"issued\":120,"
      + "\"remaining\":180}},\"limits\":{\"perUserMax\":1,\"maxGrants\":10000},\"lastCommandId\":\"c-9\"}";
  static final String POINTS = "{\"id\":\"high-spender-5pct\",\"name\":\"High spenders\",\"createdBy\":\"bob\","
      + "\"labels\":[\"loyalty\"],\"kind\":\"LIVE\",\"rewardType\":\"WALLET_POINTS\",\"status\":\"PAUSED\","
      + "\"version\":1,\"updatedAt\":1764324900000,\"stats\":{\"qualified\":5,\"granted\":4,\"points\":900,"
      + "\"rejected\":{}},\"limits\":{\"perUserMax\":3,\"maxPoints\":1000000}}";
  static final String BARE = "{\"id\":\"a-draft\",\"status\":\"DRAFT\",\"kind\":\"LIVE\",\"rewardType\":\"WALLET_POINTS\"}";

  @Test
  void tablePadsColumnsAndRightAlignsNumbers() {
    Table t = new Table("ID", ">N", "NOTE");
    t.row("a", "1", "x");
    t.row("long-id", "1234", "");
    assertThat(t.render()).isEqualTo(
        "ID          N  NOTE\n"
            + "a           1  x\n"
            + "long-id  1234\n");
    assertThat(Table.cut("abcdefghij", 8)).isEqualTo("abcde...");
    assertThat(Table.cut("abc", 8)).isEqualTo("abc");
  }

  @Test
  void tableFlattensLineBreaks() {
    assertThat(new Table("A").row("x\ny").render()).isEqualTo("A\nx y\n");
  }

  @Test
  void campaignTable() throws Exception {
    List<StatusView> all = List.of(status(POINTS), status(CART), status(BARE));
    String table = CampaignCommand.render(CampaignCommand.select(all, StatusFilter.none()), all.size());
    assertThat(table).isEqualTo(
        "ID                 NAME                      STATUS   KIND  REWARD             CREATOR  GRANTED/LIMIT  INVENTORY LEFT\n"
      + "a-draft                                      DRAFT    LIVE  WALLET_POINTS                         0/-               -\n"
      + "cart-abandon-10    Cart abandonment 10% off  RUNNING  LIVE  BULK_COUPON_CODES  alice        120/10000             180\n"
      + "high-spender-5pct  High spenders             PAUSED   LIVE  WALLET_POINTS      bob                4/-               -\n"
      + "(3 campaigns)\n");
  }

  @Test
  void emptyTables() throws Exception {
    assertThat(CampaignCommand.render(List.of(), 0)).isEqualTo("no campaigns\n");
    assertThat(CampaignCommand.render(List.of(), 4)).isEqualTo("no campaigns match (4 campaigns in all)\n");
    StatusView one = status(CART);
    assertThat(CampaignCommand.render(List.of(one), 4)).endsWith("(1 of 4 campaigns)\n");
  }

  @Test
  void filters() throws Exception {
    StatusView cart = status(CART);
    StatusView points = status(POINTS);
    StatusView bare = status(BARE);
    List<StatusView> all = List.of(cart, points, bare);
    assertThat(ids(all, new StatusFilter(Set.of("RUNNING", "PAUSED"), Set.of(), Set.of(), null, null, null)))
        .containsExactly("cart-abandon-10", "high-spender-5pct");
    assertThat(ids(all, new StatusFilter(Set.of(), Set.of("LIVE"), Set.of("WALLET_POINTS"), null, null, null)))
        .containsExactly("a-draft", "high-spender-5pct");
    assertThat(ids(all, new StatusFilter(Set.of(), Set.of(), Set.of(), "ALICE", null, null)))
        .containsExactly("cart-abandon-10");
    assertThat(ids(all, new StatusFilter(Set.of(), Set.of(), Set.of(), null, "Loyalty", null)))
        .containsExactly("high-spender-5pct");
    assertThat(ids(all, new StatusFilter(Set.of(), Set.of(), Set.of(), null, null, "ABANDON")))
        .containsExactly("cart-abandon-10");
    assertThat(ids(all, new StatusFilter(Set.of(), Set.of(), Set.of(), null, null, "retent")))
        .as("search matches labels too").containsExactly("cart-abandon-10");
    assertThat(ids(all, new StatusFilter(Set.of("RUNNING"), Set.of(), Set.of(), "bob", null, null))).isEmpty();
    assertThat(ids(all, new StatusFilter(Set.of(), Set.of("PAST_BEHAVIOR"), Set.of(), null, null, null))).isEmpty();
  }

  @Test
  void listOptionsBecomeAFilter() {
    CampaignCommand.ListCampaigns l = new CampaignCommand.ListCampaigns();
    l.statuses = List.of("running", " paused ", "");
    l.rewards = List.of("wallet_points");
    StatusFilter f = l.filter();
    assertThat(f.statuses()).containsExactly("RUNNING", "PAUSED");
    assertThat(f.rewards()).containsExactly("WALLET_POINTS");
    assertThat(f.kinds()).isEmpty();
  }

  private static List<String> ids(List<StatusView> all, StatusFilter f) {
    return CampaignCommand.select(all, f).stream().map(StatusView::id).toList();
  }

  @Test
  void showRendersDefinitionCountersAndAlerts() throws Exception {
    JsonNode alert = Json.tree("{\"type\":\"INVENTORY_LOW\",\"campaignId\":\"cart-abandon-10\",\"series\":\"CART10\","
        + "\"message\":\"series CART10: 50 codes left\",\"at\":1764324960000}");
    String shown = CampaignCommand.render(status(CART), List.of(alert));
    assertThat(shown).isEqualTo(
        "id            cart-abandon-10\n"
      + "name          Cart abandonment 10% off\n"
      + "status        RUNNING\n"
      + "version       3\n"
      + "kind          LIVE\n"
      + "reward        BULK_COUPON_CODES\n"
      + "created by    alice\n"
      + "labels        ecommerce, retention\n"
      + "schedule      2025-12-01T00:00:00Z .. 2025-12-31T23:59:59Z\n"
      + "limits        per user 1, grants 10000, points unlimited\n"
      + "updated       2025-11-28T10:15:00Z\n"
      + "last command  c-9\n"
      + "\n"
      + "counters\n"
      + "  qualified              130\n"
      + "  granted                120 of 10000\n"
      + "  points                 0\n"
      + "  rejected               10\n"
      + "    INVENTORY_EXHAUSTED  3\n"
      + "    USER_LIMIT           7\n"
      + "  codes uploaded         300\n"
      + "  codes issued           120\n"
      + "  codes remaining        180\n"
      + "\n"
      + "recent alerts\n"
      + "  2025-11-28T10:16:00Z  INVENTORY_LOW  series CART10: 50 codes left\n");
  }

  @Test
  void showKeepsUnknownFieldsAndMissingOnes() throws Exception {
    String shown = CampaignCommand.render(status("{\"id\":\"x\",\"status\":\"DRAFT\",\"owner\":\"team-a\"}"), List.of());
    assertThat(shown).contains("owner         team-a").contains("schedule      at publish .. open-ended")
        .contains("recent alerts: none");
  }
}
