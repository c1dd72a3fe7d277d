package io.promo.lang;

import java.util.List;
import java.util.Objects;

/**
 * One condition on a property: {@code {"prop": P, "op": OP, "value": V}}.
 *
 * <p>Semantics, chosen to be unsurprising in promo rules: numbers compare numerically, strings
 * exactly; on an array-valued property a positive operator holds when some element satisfies
 * it and a negative one ({@code ne}, {@code notIn}) when none does. A missing property
 * satisfies only {@code ne}, {@code notIn} and {@code notExists}.
 */
public record Cond(String prop, Op op, Object value) {

  /** Tests the condition against a property value (null when the property is absent). */
  public boolean test(Object actual) {
    if (actual == null) {
      return op == Op.NE || op == Op.NOT_IN || op == Op.NOT_EXISTS;
    }
    switch (op) {
      case EXISTS:
        return true;
      case NOT_EXISTS:
        return false;
      case NE:
        return !anyElement(actual, Op.EQ);
      case NOT_IN:
        return !anyElement(actual, Op.IN);
      case CONTAINS:
        if (actual instanceof List<?> list) {
          for (Object e : list) {
            if (same(e, value)) {
              return true;
            }
          }
          return false;
        }
        return actual instanceof String s && value instanceof String v && s.contains(v);
      default:
        return anyElement(actual, op);
    }
  }

  private boolean anyElement(Object actual, Op positive) {
    if (actual instanceof List<?> list) {
      for (Object e : list) {
        if (scalarTest(e, positive)) {
          return true;
        }
      }
      return false;
    }
    return scalarTest(actual, positive);
  }

  private boolean scalarTest(Object a, Op positive) {
    switch (positive) {
      case EQ:
        return same(a, value);
      case IN:
        for (Object v : (List<?>) value) {
          if (same(a, v)) {
            return true;
          }
        }
        return false;
      case GT:
        return a instanceof Number n && n.doubleValue() > ((Number) value).doubleValue();
      case GTE:
        return a instanceof Number n && n.doubleValue() >= ((Number) value).doubleValue();
      case LT:
        return a instanceof Number n && n.doubleValue() < ((Number) value).doubleValue();
      case LTE:
        return a instanceof Number n && n.doubleValue() <= ((Number) value).doubleValue();
      case STARTS_WITH:
        return a instanceof String s && s.startsWith((String) value);
      default:
        throw new IllegalStateException("not a positive scalar operator: " + positive);
    }
  }

  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return Objects.equals(a, b);
  }
}
