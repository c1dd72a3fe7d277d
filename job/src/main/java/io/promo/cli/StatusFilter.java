package io.promo.cli;

import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The filters of {@code campaign list}; every given filter must hold. Status, kind and reward
 * accept several comma-separated values (any may match) and ignore case; {@code search} is a
 * case-insensitive substring of the id, name or a label.
 */
record StatusFilter(Set<String> statuses, Set<String> kinds, Set<String> rewards, String creator, String label,
    String search) implements Predicate<StatusView> {

  static StatusFilter none() {
    return new StatusFilter(Set.of(), Set.of(), Set.of(), null, null, null);
  }

  @Override
  public boolean test(StatusView s) {
    return anyOf(statuses, s.status())
        && anyOf(kinds, s.kind())
        && anyOf(rewards, s.rewardType())
        && (creator == null || creator.equalsIgnoreCase(nz(s.createdBy())))
        && (label == null || s.labels().stream().anyMatch(label::equalsIgnoreCase))
        && (search == null || matches(s));
  }

  private boolean matches(StatusView s) {
    String q = search.toLowerCase(Locale.ROOT);
    return nz(s.id()).toLowerCase(Locale.ROOT).contains(q)
        || nz(s.name()).toLowerCase(Locale.ROOT).contains(q)
        || s.labels().stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).contains(q));
  }

  private static boolean anyOf(Set<String> wanted, String actual) {
    if (wanted.isEmpty()) {
      return true;
    }
    for (String w : wanted) {
      if (w.equalsIgnoreCase(nz(actual))) {
        return true;
      }
    }
    return false;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
