package io.promo.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's synthetic traffic, deterministic in (seed, index): N live campaigns mixing the
 * four commonest trigger forms (action {@code on}, inaction {@code thenNot}, count {@code
 * atLeast}, {@code sum}) over 50 event names, and contract Events of {@code users} users.
 *
 * <p>Campaign {@code c} listens to event name {@code names[c % 50]} and matches only events
 * carrying {@code sku = "sku-<c>"} and {@code amount >= 50}. An event is "matching" with
 * probability {@code matchShare}: it then carries the name and sku of one campaign chosen at
 * random and an amount of 50..249, so it matches exactly one campaign's {@code on}; otherwise it
 * has a random name of the 50 (still looked up in the index and tested against every campaign
 * listening to it) and fails every condition. So the output volume does not grow with the number
 * of campaigns, while the matching work per event does (about campaigns/50 per event once every
 * name has listeners).
 */
public final class Workload {
  static final int NAMES = 50;

  final int campaigns;
  final int users;
  final double matchShare;
  /** Event time of event 0 (epoch ms); campaigns are in force an hour before it. */
  final long t0;
  /** Events per second of event time (sets how far apart a user's events are in event time). */
  final int eventTimeRate;
  final long seed;
  final List<String> names;
  /** Per-user limit of the campaigns (high so that matches become grants, not USER_LIMIT). */
  final int perUserMax;
  /** Whether campaign c also requires sku = "sku-c" (off when replaying someone else's events). */
  boolean skuCondition = true;

  public Workload(int campaigns, int users, double matchShare, long t0, int eventTimeRate, long seed, List<String> names,
      int perUserMax) {
    this.campaigns = campaigns;
    this.users = users;
    this.matchShare = matchShare;
    this.t0 = t0;
    this.eventTimeRate = eventTimeRate;
    this.seed = seed;
    this.names = names == null ? defaultNames() : List.copyOf(names);
    this.perUserMax = perUserMax;
  }

  static List<String> defaultNames() {
    String[] base = {"view", "search", "add_to_cart", "checkout", "purchase", "login", "share", "review",
        "wishlist", "coupon_view"};
    List<String> out = new ArrayList<>(NAMES);
    for (int i = 0; i < NAMES; i++) {
      out.add(base[i % base.length] + (i < base.length ? "" : "_" + (i / base.length)));
    }
    return out;
  }

  // ---- campaigns ------------------------------------------------------------------------------

  /** The form of campaign c: 0 on, 1 thenNot, 2 atLeast, 3 sum. */
  static int form(int c) {
    return c % 4;
  }

  String onName(int c) {
    return names.get(c % names.size());
  }

  public String campaignJson(int c) {
    String match = "{\"event\":\"" + onName(c) + "\",\"where\":["
        + (skuCondition ? "{\"prop\":\"sku\",\"op\":\"eq\",\"value\":\"sku-" + c + "\"}," : "")
        + "{\"prop\":\"amount\",\"op\":\"gte\",\"value\":50}]}";
    String trigger = switch (form(c)) {
      case 0 -> "{\"on\":" + match + "}";
      case 1 -> "{\"on\":" + match + ",\"thenNot\":{\"event\":\"" + names.get((c + names.size() / 2) % names.size())
          + "\"},\"within\":\"PT10M\"}";
      case 2 -> "{\"on\":" + match + ",\"atLeast\":3,\"within\":\"PT30M\"}";
      default -> "{\"on\":" + match + ",\"sum\":\"amount\",\"atLeast\":300,\"within\":\"PT1H\"}";
    };
    return "{\"id\":\"bench-" + c + "\",\"name\":\"Bench campaign " + c + "\",\"createdBy\":\"bench\","
        + "\"labels\":[\"bench\"],\"qualification\":{\"kind\":\"LIVE\",\"trigger\":" + trigger + "},"
        + "\"reward\":{\"type\":\"WALLET_POINTS\",\"points\":10},"
        + "\"limits\":{\"perUser\":{\"max\":" + perUserMax + "}},"
        + "\"schedule\":{\"start\":" + (t0 - 3_600_000L) + ",\"end\":" + (t0 + 30L * 86_400_000L) + "}}";
  }

  /** campaign.upsert commands, in force an hour before the first event. */
  List<byte[]> commands() {
    List<byte[]> out = new ArrayList<>(campaigns);
    for (int c = 0; c < campaigns; c++) {
      out.add(upsert("bench-upsert-" + c, campaignJson(c)));
    }
    return out;
  }

  byte[] upsert(String commandId, String campaignJson) {
    return ("{\"type\":\"campaign.upsert\",\"commandId\":\"" + commandId + "\",\"actor\":\"bench\",\"at\":"
        + (t0 - 3_600_000L) + ",\"campaign\":" + campaignJson + "}").getBytes(StandardCharsets.UTF_8);
  }

  // ---- events ---------------------------------------------------------------------------------

  public long ts(long i) {
    return t0 + i * 1000L / eventTimeRate;
  }

  private static final String[] CITIES = {"Pune", "Delhi", "Mumbai", "Bengaluru", "Chennai", "Kolkata", "Jaipur", "Surat"};
  private static final String[] ZONES = {"Asia/Kolkata", "UTC", "Europe/Berlin", "America/New_York"};

  /** Event i as JSON bytes, at its own event time. */
  public byte[] event(long i) {
    return event(i, ts(i));
  }

  /** Event i as JSON bytes, at the given event time (the paced latency generator uses now). */
  byte[] event(long i, long ts) {
    long r = mix(seed ^ (i * 0x9E3779B97F4A7C15L));
    int user = (int) Long.remainderUnsigned(r, users);
    long r2 = mix(r);
    boolean match = campaigns > 0 && (r2 >>> 11) * 0x1.0p-53 < matchShare;
    long r3 = mix(r2);
    String name;
    String sku;
    int amount;
    if (match) {
      int c = (int) Long.remainderUnsigned(r3, campaigns);
      name = onName(c);
      sku = "sku-" + c;
      amount = 50 + (int) ((r3 >>> 40) % 200);
    } else {
      name = names.get((int) Long.remainderUnsigned(r3, names.size()));
      sku = "sku-x" + ((r3 >>> 20) % 100);
      amount = (int) ((r3 >>> 40) % 50);
    }
    StringBuilder sb = new StringBuilder(200);
    sb.append("{\"eventId\":\"e").append(i).append("\",\"userId\":\"u").append(user)
        .append("\",\"name\":\"").append(name).append("\",\"ts\":").append(ts)
        .append(",\"props\":{\"amount\":").append(amount).append(",\"sku\":\"").append(sku).append("\"}");
    long r4 = mix(r3);
    if ((r4 & 0xFF) < 13) { // ~5% carry a profile update
      sb.append(",\"profile\":{\"city\":\"").append(CITIES[(int) ((r4 >>> 8) % CITIES.length)])
          .append("\",\"tz\":\"").append(ZONES[(int) ((r4 >>> 16) % ZONES.length)]).append("\"}");
    }
    sb.append('}');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Pre-serializes events 0..n-1. */
  byte[][] events(int n) {
    byte[][] out = new byte[n][];
    java.util.stream.IntStream.range(0, n).parallel().forEach(i -> out[i] = event(i));
    return out;
  }

  /** SplitMix64 finalizer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  String describe() {
    return campaigns + " campaigns, " + users + " users, match share " + matchShare;
  }
}
