package io.promo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.json.Json;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class GrantPrinterTest {
  private static final long T = Instant.parse("2026-11-28T08:15:30Z").toEpochMilli();

  private static JsonNode grant(String reward, long qualifiedAt) throws Exception {
    return Json.MAPPER.readTree("""
        {"grantId": "g-1", "campaignId": "game-spend-1000-coins", "campaignVersion": 1, "userId": "u-00042",
         "reward": %s, "trigger": {"eventId": "e-1", "ts": %d},
         "qualifiedAt": %d, "deliverAt": %d, "issuedAt": %d}
        """.formatted(reward, qualifiedAt, qualifiedAt, T, T + 400));
  }

  private static String hms(long ms) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneId.systemDefault()).toLocalTime().toString();
  }

  @Test
  void oneLinePerGrant() throws Exception {
    assertThat(GrantPrinter.line(grant("{\"type\": \"WALLET_POINTS\", \"points\": 1250}", T)))
        .isEqualTo(hms(T) + "  u-00042      game-spend-1000-coins    +1,250 points");
    assertThat(GrantPrinter.line(grant("{\"type\": \"PARTNER_VOUCHER\", \"series\": \"MOVIES-Q4\", "
        + "\"partner\": \"cineplex\", \"code\": \"CNX-4V986JZJ\"}", T)))
        .endsWith("voucher CNX-4V986JZJ (cineplex)");
    String coupon = GrantPrinter.line(grant("{\"type\": \"BULK_COUPON_CODES\", \"series\": \"CART10\", "
        + "\"code\": \"CART10-7F3K\", \"expiresAt\": " + (T + 7 * 86_400_000L) + "}", T - 3_600_000));
    assertThat(coupon).contains("code CART10-7F3K (series CART10, valid to ")
        .contains("(qualified " + hms(T - 3_600_000) + ", deferred by its delivery rule)");
  }

  @Test
  void summaryCountsGrantsPointsAndCodes() throws Exception {
    GrantPrinter.Summary s = new GrantPrinter.Summary();
    s.add(grant("{\"type\": \"WALLET_POINTS\", \"points\": 100}", T));
    s.add(grant("{\"type\": \"WALLET_POINTS\", \"points\": 50}", T));
    s.add(grant("{\"type\": \"PARTNER_VOUCHER\", \"partner\": \"cineplex\", \"code\": \"CNX-1\"}", T));
    assertThat(s.changed()).isTrue();
    String out = s.render(false);
    assertThat(out).contains("3 grants").containsPattern("game-spend-1000-coins +3 +150 +1")
        .containsPattern("total +3 +150 +1");
    assertThat(s.changed()).isFalse();
  }

  @Test
  void lineBudgetCountsWhatItDoesNotPrint() {
    GrantPrinter.LineBudget b = new GrantPrinter.LineBudget(2);
    int printed = 0;
    for (int i = 0; i < 10; i++) {
      if (b.take()) {
        printed++;
      } else {
        b.skipped("c");
      }
    }
    assertThat(printed).isEqualTo(4); // two seconds' worth at once
    assertThat(new GrantPrinter.LineBudget(0).take()).isTrue();
  }
}
