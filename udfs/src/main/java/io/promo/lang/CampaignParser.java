package io.promo.lang;

import com.fasterxml.jackson.databind.JsonNode;
import io.promo.json.EventCodec;
import io.promo.time.Times;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates a campaign definition, collecting every error with its JSON path, so an
 * operator fixes a definition in one round.
 */
public final class CampaignParser {
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "id", "name", "createdBy", "labels", "draft", "qualification", "segment", "reward",
          "limits", "schedule", "delivery", "description");

  /** Prefix of the errors for parts of the language this release does not evaluate yet. */
  static final String NOT_YET = "not supported by this release yet: ";

  private final List<String> errors = new ArrayList<>();

  private CampaignParser() {}

  /** A campaign, or the list of everything wrong with the definition. */
  public record Result(Campaign campaign, List<String> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  public static Result parse(JsonNode node) {
    CampaignParser p = new CampaignParser();
    Campaign c = p.campaign(node);
    return new Result(p.errors.isEmpty() ? c : null, List.copyOf(p.errors));
  }

  private Campaign campaign(JsonNode n) {
    if (n == null || !n.isObject()) {
      errors.add("campaign must be a JSON object");
      return null;
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP_LEVEL.contains(f)) {
        errors.add("campaign." + f + " is not a campaign field");
      }
    }
    String id = text(n, "id", "campaign.id", true);
    if (id != null && !ID.matcher(id).matches()) {
      errors.add("campaign.id must match [A-Za-z0-9._-]{1,64}");
    }
    String name = text(n, "name", "campaign.name", false);
    String createdBy = text(n, "createdBy", "campaign.createdBy", false);
    List<String> labels = stringList(n.get("labels"), "campaign.labels");
    boolean draft = bool(n.get("draft"), "campaign.draft");

    JsonNode q = n.get("qualification");
    String kind = null;
    Trigger trigger = null;
    long every = 0;
    String list = null;
    if (q == null || !q.isObject()) {
      errors.add("campaign.qualification is missing (an object with kind LIVE, PAST_BEHAVIOR or CUSTOM_LIST)");
    } else {
      kind = text(q, "kind", "qualification.kind", true);
      if (Campaign.LIVE.equals(kind)) {
        trigger = trigger(q.get("trigger"), "qualification.trigger");
      } else if (Campaign.PAST_BEHAVIOR.equals(kind)) {
        errors.add(NOT_YET + "qualification.kind PAST_BEHAVIOR");
        if (q.hasNonNull("every")) {
          every = duration(q.get("every"), "qualification.every");
        }
        if (n.get("segment") == null || n.get("segment").isNull()) {
          errors.add("campaign.segment is required for PAST_BEHAVIOR (it is the audience)");
        }
      } else if (Campaign.CUSTOM_LIST.equals(kind)) {
        errors.add(NOT_YET + "qualification.kind CUSTOM_LIST");
        list = text(q, "list", "qualification.list", true);
      } else if (kind != null) {
        errors.add("qualification.kind must be LIVE, PAST_BEHAVIOR or CUSTOM_LIST, not '" + kind + "'");
      }
    }
    Segment segment = n.hasNonNull("segment") ? segment(n.get("segment"), "segment") : null;
    Reward reward = reward(n.get("reward"));
    Limits limits = limits(n.get("limits"));
    Schedule schedule = schedule(n.get("schedule"));
    Delivery delivery = delivery(n.get("delivery"));
    if (reward != null && reward.percent() > 0 && kind != null && !Campaign.LIVE.equals(kind)) {
      errors.add("reward.percent needs a LIVE campaign: it is a percentage of the triggering event's property");
    }
    return new Campaign(
        id, name == null ? id : name, createdBy, labels, draft, kind, trigger, every, list, segment, reward,
        limits, schedule, delivery);
  }

  // ---- triggers -------------------------------------------------------------------------------

  private Trigger trigger(JsonNode t, String path) {
    if (t == null || !t.isObject()) {
      errors.add(path + " is missing (LIVE campaigns need a trigger)");
      return null;
    }
    if (t.has("inactive")) {
      Match m = match(t.get("inactive"), path + ".inactive");
      long d = duration(t.get("for"), path + ".for");
      return m == null ? null : new Trigger.Inactive(m, d);
    }
    Match on = match(t.get("on"), path + ".on");
    if (t.has("thenNot")) {
      Match not = match(t.get("thenNot"), path + ".thenNot");
      long within = duration(t.get("within"), path + ".within");
      List<String> same = stringList(t.get("sameProps"), path + ".sameProps");
      return on == null || not == null ? null : new Trigger.ThenNot(on, not, within, same);
    }
    if (t.has("then")) {
      Match then = match(t.get("then"), path + ".then");
      long within = duration(t.get("within"), path + ".within");
      return on == null || then == null ? null : new Trigger.Then(on, then, within);
    }
    if (t.has("sum")) {
      String prop = t.get("sum").isTextual() ? t.get("sum").textValue() : null;
      if (prop == null || prop.isEmpty()) {
        errors.add(path + ".sum must be the name of a numeric property");
      }
      double atLeast = positiveNumber(t.get("atLeast"), path + ".atLeast");
      long within = duration(t.get("within"), path + ".within");
      return on == null || prop == null ? null : new Trigger.Sum(on, prop, atLeast, within);
    }
    if (t.has("atLeast")) {
      long n = positiveInt(t.get("atLeast"), path + ".atLeast");
      long within = duration(t.get("within"), path + ".within");
      return on == null ? null : new Trigger.AtLeast(on, (int) n, within);
    }
    if (t.has("firstTime")) {
      if (!t.get("firstTime").isBoolean() || !t.get("firstTime").booleanValue()) {
        errors.add(path + ".firstTime must be true");
      }
      return on == null ? null : new Trigger.FirstTime(on);
    }
    if (t.has("within")) {
      errors.add(path + ".within needs one of thenNot, then, atLeast or sum");
    }
    return on == null ? null : new Trigger.On(on);
  }

  private Match match(JsonNode m, String path) {
    if (m == null || !m.isObject()) {
      errors.add(path + " is missing (an object {\"event\": NAME, \"where\": [..]})");
      return null;
    }
    String event = text(m, "event", path + ".event", true);
    List<Cond> where = new ArrayList<>();
    JsonNode w = m.get("where");
    if (w != null && !w.isNull()) {
      if (!w.isArray()) {
        errors.add(path + ".where must be an array of conditions");
      } else {
        for (int i = 0; i < w.size(); i++) {
          Cond c = cond(w.get(i), path + ".where[" + i + "]", true);
          if (c != null) {
            where.add(c);
          }
        }
      }
    }
    return event == null ? null : new Match(event, List.copyOf(where));
  }

  Cond cond(JsonNode c, String path, boolean allowPseudo) {
    if (c == null || !c.isObject()) {
      errors.add(path + " must be an object {\"prop\", \"op\", \"value\"}");
      return null;
    }
    String prop = text(c, "prop", path + ".prop", true);
    String opText = text(c, "op", path + ".op", true);
    Op op = opText == null ? null : Op.of(opText);
    if (opText != null && op == null) {
      errors.add(path + ".op '" + opText + "' is not one of " + Op.all());
    }
    if (prop != null && prop.startsWith("$")) {
      if (!allowPseudo || !(Match.HOUR.equals(prop) || Match.DAY_OF_WEEK.equals(prop))) {
        errors.add(path + ".prop '" + prop + "' is not a known pseudo-prop ($hour, $dayOfWeek in event conditions)");
      }
    }
    if (op == null || prop == null) {
      return null;
    }
    JsonNode v = c.get("value");
    Object value = null;
    if (!op.needsValue()) {
      if (v != null && !v.isNull()) {
        errors.add(path + ".value must be absent for " + op.text);
      }
    } else if (v == null || v.isNull()) {
      errors.add(path + ".value is missing");
    } else if (op == Op.IN || op == Op.NOT_IN) {
      if (!v.isArray()) {
        errors.add(path + ".value must be an array for " + op.text);
      } else {
        List<Object> list = new ArrayList<>();
        for (JsonNode x : v) {
          Object s = EventCodec.scalar(x);
          if (s == null) {
            errors.add(path + ".value must hold only strings, numbers or booleans");
            break;
          }
          list.add(s);
        }
        value = List.copyOf(list);
      }
    } else if (op == Op.GT || op == Op.GTE || op == Op.LT || op == Op.LTE) {
      if (!v.isNumber()) {
        errors.add(path + ".value must be a number for " + op.text);
      } else {
        value = v.doubleValue();
      }
    } else if (op == Op.STARTS_WITH) {
      if (!v.isTextual()) {
        errors.add(path + ".value must be a string for startsWith");
      } else {
        value = v.textValue();
      }
    } else {
      value = EventCodec.scalar(v);
      if (value == null) {
        errors.add(path + ".value must be a string, number or boolean for " + op.text);
      }
    }
    return new Cond(prop, op, value);
  }

  // ---- segments -------------------------------------------------------------------------------

  private Segment segment(JsonNode s, String path) {
    if (s == null || !s.isObject() || s.size() == 0) {
      errors.add(path + " must be a segment object (all, any, not, did, didNot, total, profile, inList)");
      return null;
    }
    if (s.has("all") || s.has("any")) {
      String key = s.has("all") ? "all" : "any";
      JsonNode arr = s.get(key);
      if (arr == null || !arr.isArray() || arr.isEmpty()) {
        errors.add(path + "." + key + " must be a non-empty array of segments");
        return null;
      }
      List<Segment> parts = new ArrayList<>();
      for (int i = 0; i < arr.size(); i++) {
        Segment p = segment(arr.get(i), path + "." + key + "[" + i + "]");
        if (p != null) {
          parts.add(p);
        }
      }
      return key.equals("all") ? new Segment.All(List.copyOf(parts)) : new Segment.Any(List.copyOf(parts));
    }
    if (s.has("not")) {
      Segment inner = segment(s.get("not"), path + ".not");
      return inner == null ? null : new Segment.Not(inner);
    }
    if (s.has("did")) {
      errors.add(NOT_YET + path + ".did (history segments)");
      Match m = match(s.get("did"), path + ".did");
      long inLast = duration(s.get("inLast"), path + ".inLast");
      long atLeast = s.has("atLeast") ? positiveInt(s.get("atLeast"), path + ".atLeast") : 1;
      return m == null ? null : new Segment.Did(m, inLast, (int) atLeast);
    }
    if (s.has("didNot")) {
      errors.add(NOT_YET + path + ".didNot (history segments)");
      Match m = match(s.get("didNot"), path + ".didNot");
      long inLast = duration(s.get("inLast"), path + ".inLast");
      return m == null ? null : new Segment.DidNot(m, inLast);
    }
    if (s.has("total")) {
      errors.add(NOT_YET + path + ".total (history segments)");
      Match m = match(s.get("total"), path + ".total");
      String prop = text(s, "prop", path + ".prop", true);
      long inLast = duration(s.get("inLast"), path + ".inLast");
      double atLeast = positiveNumber(s.get("atLeast"), path + ".atLeast");
      return m == null || prop == null ? null : new Segment.Total(m, prop, inLast, atLeast);
    }
    if (s.has("profile")) {
      Cond c = cond(s.get("profile"), path + ".profile", false);
      return c == null ? null : new Segment.Profile(c);
    }
    if (s.has("inList")) {
      String list = text(s, "inList", path + ".inList", true);
      return list == null ? null : new Segment.InList(list);
    }
    errors.add(path + " has no known segment form (all, any, not, did, didNot, total, profile, inList)");
    return null;
  }

  // ---- reward, limits, schedule, delivery ------------------------------------------------------

  private Reward reward(JsonNode r) {
    if (r == null || !r.isObject()) {
      errors.add("campaign.reward is missing");
      return null;
    }
    String type = text(r, "type", "reward.type", true);
    if (type == null) {
      return null;
    }
    switch (type) {
      case Reward.WALLET_POINTS: {
        boolean fixed = r.hasNonNull("points");
        boolean pct = r.hasNonNull("percent");
        if (fixed == pct) {
          errors.add("reward needs either points, or percent with of (not both)");
          return null;
        }
        if (fixed) {
          long points = positiveInt(r.get("points"), "reward.points");
          return new Reward(type, points, 0, null, 0, null, 0, null, null, 0);
        }
        double percent = positiveNumber(r.get("percent"), "reward.percent");
        String of = text(r, "of", "reward.of", true);
        long max = r.hasNonNull("maxPoints") ? positiveInt(r.get("maxPoints"), "reward.maxPoints") : 0;
        return new Reward(type, 0, percent, of, max, null, 0, null, null, 0);
      }
      case Reward.SINGLE_CODE_COUPON: {
        String code = text(r, "code", "reward.code", true);
        long validFor = r.hasNonNull("validFor") ? duration(r.get("validFor"), "reward.validFor") : 0;
        return new Reward(type, 0, 0, null, 0, code, validFor, null, null, 0);
      }
      case Reward.BULK_COUPON_CODES:
      case Reward.PARTNER_VOUCHER: {
        String series = text(r, "series", "reward.series", true);
        String partner = Reward.PARTNER_VOUCHER.equals(type) ? text(r, "partner", "reward.partner", true) : null;
        long validFor = r.hasNonNull("validFor") ? duration(r.get("validFor"), "reward.validFor") : 0;
        long lowStock = r.hasNonNull("lowStock") ? nonNegativeInt(r.get("lowStock"), "reward.lowStock") : 0;
        return new Reward(type, 0, 0, null, 0, null, validFor, series, partner, lowStock);
      }
      default:
        errors.add("reward.type must be WALLET_POINTS, SINGLE_CODE_COUPON, BULK_COUPON_CODES or PARTNER_VOUCHER, not '" + type + "'");
        return null;
    }
  }

  private Limits limits(JsonNode l) {
    int perUserMax = 1;
    long span = 0;
    long maxGrants = 0;
    long maxPoints = 0;
    if (l != null && !l.isNull()) {
      if (!l.isObject()) {
        errors.add("campaign.limits must be an object");
      } else {
        JsonNode pu = l.get("perUser");
        if (pu != null && !pu.isNull()) {
          if (pu.hasNonNull("max")) {
            perUserMax = (int) positiveInt(pu.get("max"), "limits.perUser.max");
          }
          if (pu.hasNonNull("per")) {
            span = duration(pu.get("per"), "limits.perUser.per");
          }
        }
        JsonNode pc = l.get("perCampaign");
        if (pc != null && !pc.isNull()) {
          if (pc.hasNonNull("maxGrants")) {
            maxGrants = positiveInt(pc.get("maxGrants"), "limits.perCampaign.maxGrants");
          }
          if (pc.hasNonNull("maxPoints")) {
            maxPoints = positiveInt(pc.get("maxPoints"), "limits.perCampaign.maxPoints");
          }
        }
      }
    }
    return new Limits(perUserMax, span, maxGrants, maxPoints);
  }

  private Schedule schedule(JsonNode s) {
    if (s == null || s.isNull()) {
      return new Schedule(null, null);
    }
    if (!s.isObject()) {
      errors.add("campaign.schedule must be an object");
      return new Schedule(null, null);
    }
    Long start = instant(s.get("start"), "schedule.start");
    Long end = instant(s.get("end"), "schedule.end");
    if (start != null && end != null && end <= start) {
      errors.add("schedule.end must be after schedule.start");
    }
    return new Schedule(start, end);
  }

  private Delivery delivery(JsonNode d) {
    if (d == null || d.isNull()) {
      return Delivery.DEFAULT;
    }
    if (!d.isObject()) {
      errors.add("campaign.delivery must be an object");
      return Delivery.DEFAULT;
    }
    String mode = d.hasNonNull("mode") ? text(d, "mode", "delivery.mode", true) : Delivery.IMMEDIATE;
    LocalTime time = null;
    boolean drop = false;
    if (Delivery.AT_LOCAL_TIME.equals(mode)) {
      time = localTime(d.get("time"), "delivery.time");
      String missed = d.hasNonNull("missed") ? text(d, "missed", "delivery.missed", true) : "NEXT_DAY";
      if (!"NEXT_DAY".equals(missed) && !"DROP".equals(missed)) {
        errors.add("delivery.missed must be NEXT_DAY or DROP");
      }
      drop = "DROP".equals(missed);
    } else if (Delivery.BEST_TIME.equals(mode)) {
      time = d.hasNonNull("fallbackTime") ? localTime(d.get("fallbackTime"), "delivery.fallbackTime") : LocalTime.of(18, 0);
    } else if (mode != null && !Delivery.IMMEDIATE.equals(mode)) {
      errors.add("delivery.mode must be IMMEDIATE, AT_LOCAL_TIME or BEST_TIME, not '" + mode + "'");
    }
    LocalTime from = null;
    LocalTime to = null;
    JsonNode q = d.get("quietHours");
    if (q != null && !q.isNull()) {
      from = localTime(q.get("from"), "delivery.quietHours.from");
      to = localTime(q.get("to"), "delivery.quietHours.to");
      if (from != null && from.equals(to)) {
        errors.add("delivery.quietHours.from and to must differ");
      }
    }
    return new Delivery(mode == null ? Delivery.IMMEDIATE : mode, time, drop, from, to);
  }

  // ---- scalars --------------------------------------------------------------------------------

  private String text(JsonNode n, String field, String path, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        errors.add(path + " is missing");
      }
      return null;
    }
    if (!v.isTextual() || v.textValue().isBlank()) {
      errors.add(path + " must be a non-empty string");
      return null;
    }
    return v.textValue();
  }

  private List<String> stringList(JsonNode v, String path) {
    if (v == null || v.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (!v.isArray()) {
      errors.add(path + " must be an array of strings");
      return List.of();
    }
    for (JsonNode x : v) {
      if (!x.isTextual()) {
        errors.add(path + " must be an array of strings");
        return List.of();
      }
      out.add(x.textValue());
    }
    return List.copyOf(out);
  }

  private boolean bool(JsonNode v, String path) {
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      errors.add(path + " must be true or false");
      return false;
    }
    return v.booleanValue();
  }

  private long duration(JsonNode v, String path) {
    if (v == null || v.isNull()) {
      errors.add(path + " is missing (an ISO-8601 duration such as PT30M or P7D)");
      return 0;
    }
    if (!v.isTextual()) {
      errors.add(path + " must be an ISO-8601 duration string such as PT30M or P7D");
      return 0;
    }
    try {
      return Times.duration(v.textValue());
    } catch (IllegalArgumentException e) {
      errors.add(path + ": " + e.getMessage());
      return 0;
    }
  }

  private Long instant(JsonNode v, String path) {
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      return Times.instant(v);
    } catch (IllegalArgumentException e) {
      errors.add(path + " " + e.getMessage());
      return null;
    }
  }

  private LocalTime localTime(JsonNode v, String path) {
    if (v == null || !v.isTextual()) {
      errors.add(path + " must be a local time \"HH:mm\"");
      return null;
    }
    try {
      return Times.localTime(v.textValue());
    } catch (IllegalArgumentException e) {
      errors.add(path + ": " + e.getMessage());
      return null;
    }
  }

  private long positiveInt(JsonNode v, String path) {
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() <= 0) {
      errors.add(path + " must be a positive integer");
      return 1;
    }
    return v.longValue();
  }

  private long nonNegativeInt(JsonNode v, String path) {
    if (v == null || !v.isIntegralNumber() || v.longValue() < 0) {
      errors.add(path + " must be a non-negative integer");
      return 0;
    }
    return v.longValue();
  }

  private double positiveNumber(JsonNode v, String path) {
    if (v == null || !v.isNumber() || v.doubleValue() <= 0) {
      errors.add(path + " must be a positive number");
      return 1;
    }
    return v.doubleValue();
  }
}
