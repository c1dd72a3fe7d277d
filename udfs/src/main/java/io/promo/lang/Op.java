package io.promo.lang;

/** The condition operators of the campaign language. */
public enum Op {
  EQ("eq"),
  NE("ne"),
  GT("gt"),
  GTE("gte"),
  LT("lt"),
  LTE("lte"),
  IN("in"),
  NOT_IN("notIn"),
  CONTAINS("contains"),
  STARTS_WITH("startsWith"),
  EXISTS("exists"),
  NOT_EXISTS("notExists");

  public final String text;

  Op(String text) {
    this.text = text;
  }

  public static Op of(String text) {
    for (Op op : values()) {
      if (op.text.equals(text)) {
        return op;
      }
    }
    return null;
  }

  /** Every operator's name, for error messages. */
  public static String all() {
    StringBuilder sb = new StringBuilder();
    for (Op op : values()) {
      sb.append(sb.length() == 0 ? "" : " ").append(op.text);
    }
    return sb.toString();
  }

  boolean needsValue() {
    return this != EXISTS && this != NOT_EXISTS;
  }
}
