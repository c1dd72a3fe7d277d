package io.promo.job.it;

/** Campaign JSON for integration tests; every campaign starts an hour ago and runs two hours. */
final class Campaigns {
  private Campaigns() {}

  static final long T0 = System.currentTimeMillis() - 3_600_000L;

  static String live(String id, String trigger, String reward) {
    return live(id, trigger, reward, "{\"perUser\":{\"max\":1}}", null);
  }

  static String live(String id, String trigger, String reward, String limits, String segment) {
    return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"createdBy\":\"it\","
        + "\"qualification\":{\"kind\":\"LIVE\",\"trigger\":" + trigger + "},"
        + (segment == null ? "" : "\"segment\":" + segment + ",")
        + "\"reward\":" + reward + ",\"limits\":" + limits + ","
        + "\"schedule\":{\"start\":" + (T0 - 60_000) + ",\"end\":" + (T0 + 7_200_000) + "}}";
  }

  static String points(int n) {
    return "{\"type\":\"WALLET_POINTS\",\"points\":" + n + "}";
  }
}
