package io.promo.demo;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The simulated users of the demo: each has a persona (how they behave), a home city with its IANA
 * time zone, a country, an age and a marketing opt-in. Pure and deterministic for a given seed and
 * start time.
 */
final class Population {

  /** How a user behaves; the weights are the share of users and the share of sessions. */
  enum Persona {
    /** Browses, adds to the cart, checks out and pays: the baseline. */
    SHOPPER(30, 22),
    /** Adds to the cart (amount ≥ 50) and leaves without checking out. */
    CART_ABANDONER(14, 16),
    /** Places orders of 1000 or more. */
    BIG_SPENDER(5, 7),
    /** Shops at off-peak local hours (15:00–17:59, 23:00–05:59). */
    OFF_PEAK_SHOPPER(8, 10),
    /** Active for a few minutes, then never seen again. */
    GOES_QUIET(10, 9),
    /** Pays with UPI (users in India). */
    UPI_PAYER(10, 9),
    /** Plays a game: completes levels and spends coins. */
    GAMER(16, 22),
    /** Not signed up yet: arrives some time in the first hour, signs up, then (mostly) completes KYC. */
    NEWCOMER(7, 5);

    final int userWeight;
    final int sessionWeight;

    Persona(int userWeight, int sessionWeight) {
      this.userWeight = userWeight;
      this.sessionWeight = sessionWeight;
    }
  }

  /** A home city. */
  record Place(String city, String country, String tz, int weight) {}

  /** Cities of the population, weighted; India first (UPI, the first-payment campaign). */
  static final List<Place> PLACES = List.of(
      new Place("Pune", "IN", "Asia/Kolkata", 9),
      new Place("Delhi", "IN", "Asia/Kolkata", 9),
      new Place("Mumbai", "IN", "Asia/Kolkata", 9),
      new Place("Bengaluru", "IN", "Asia/Kolkata", 8),
      new Place("Hyderabad", "IN", "Asia/Kolkata", 5),
      new Place("Chennai", "IN", "Asia/Kolkata", 4),
      new Place("Kathmandu", "NP", "Asia/Kathmandu", 2),
      new Place("Dubai", "AE", "Asia/Dubai", 3),
      new Place("Singapore", "SG", "Asia/Singapore", 3),
      new Place("Jakarta", "ID", "Asia/Jakarta", 3),
      new Place("Tokyo", "JP", "Asia/Tokyo", 3),
      new Place("Sydney", "AU", "Australia/Sydney", 2),
      new Place("Auckland", "NZ", "Pacific/Auckland", 1),
      new Place("Nairobi", "KE", "Africa/Nairobi", 2),
      new Place("Lagos", "NG", "Africa/Lagos", 2),
      new Place("Berlin", "DE", "Europe/Berlin", 3),
      new Place("London", "GB", "Europe/London", 4),
      new Place("São Paulo", "BR", "America/Sao_Paulo", 3),
      new Place("New York", "US", "America/New_York", 4),
      new Place("Chicago", "US", "America/Chicago", 2),
      new Place("Mexico City", "MX", "America/Mexico_City", 2),
      new Place("Los Angeles", "US", "America/Los_Angeles", 3),
      new Place("Honolulu", "US", "Pacific/Honolulu", 1));

  /** Local hours the off-peak campaign rewards (examples/off-peak-cashback.json). */
  static final Set<Integer> OFF_PEAK_HOURS = Set.of(15, 16, 17, 23, 0, 1, 2, 3, 4, 5);

  /** One user and their running state in the simulation. */
  static final class User {
    final String id;
    final Persona persona;
    final Place place;
    final int age;
    final boolean marketingOptIn;
    final String platform;
    /** GOES_QUIET: the wall-clock time after which they send nothing more (else Long.MAX_VALUE). */
    final long quietAt;
    /** Not picked for a new session before this time. */
    long idleAt;
    boolean signedUp;
    int level;
    long sessions;
    long events;

    User(String id, Persona persona, Place place, int age, boolean marketingOptIn, String platform, long quietAt) {
      this.id = id;
      this.persona = persona;
      this.place = place;
      this.age = age;
      this.marketingOptIn = marketingOptIn;
      this.platform = platform;
      this.quietAt = quietAt;
      this.signedUp = persona != Persona.NEWCOMER;
    }

    boolean isIndian() {
      return "IN".equals(place.country());
    }

    boolean quiet(long now) {
      return now >= quietAt;
    }
  }

  final List<User> users;
  final Map<Persona, List<User>> byPersona = new EnumMap<>(Persona.class);
  /** Staff members (examples/list-staff.txt): they abandon carts too, but the campaigns exclude them. */
  final List<User> staff;

  private Population(List<User> users, List<User> staff) {
    this.users = users;
    this.staff = staff;
    for (Persona p : Persona.values()) {
      byPersona.put(p, new ArrayList<>());
    }
    for (User u : users) {
      byPersona.get(u.persona).add(u);
    }
  }

  /**
   * {@code n} users (ids {@code u-00001}...) plus up to 20 staff members ({@code staff-001}...,
   * one per 100 users), built from {@code seed}. {@code start} is the wall clock when the
   * simulation starts: it decides who goes quiet when and where off-peak shoppers live.
   */
  static Population create(int n, long seed, long start) {
    Random rnd = new Random(seed);
    int width = Math.max(5, String.valueOf(n).length());
    List<User> users = new ArrayList<>(n);
    List<Place> offPeakPlaces = PLACES.stream()
        .filter(p -> OFF_PEAK_HOURS.contains(Instant.ofEpochMilli(start).atZone(ZoneId.of(p.tz())).getHour()))
        .toList();
    List<Place> indian = PLACES.stream().filter(p -> p.country().equals("IN")).toList();
    for (int i = 1; i <= n; i++) {
      Persona persona = pick(rnd, Persona.values(), p -> p.userWeight);
      Place place;
      if (persona == Persona.UPI_PAYER) {
        place = pick(rnd, indian.toArray(new Place[0]), Place::weight);
      } else if (persona == Persona.OFF_PEAK_SHOPPER && !offPeakPlaces.isEmpty()) {
        // An off-peak shopper is someone for whom now is an off-peak hour (the events' ts is the wall clock).
        place = pick(rnd, offPeakPlaces.toArray(new Place[0]), Place::weight);
      } else {
        place = pick(rnd, PLACES.toArray(new Place[0]), Place::weight);
      }
      users.add(newUser(rnd, String.format("u-%0" + width + "d", i), persona, place, start));
    }
    List<User> staff = new ArrayList<>();
    for (int i = 1; i <= Math.min(20, n / 100); i++) {
      Place place = pick(rnd, indian.toArray(new Place[0]), Place::weight);
      staff.add(newUser(rnd, String.format("staff-%03d", i), Persona.CART_ABANDONER, place, start));
    }
    return new Population(users, staff);
  }

  private static User newUser(Random rnd, String id, Persona persona, Place place, long start) {
    int age = persona == Persona.GAMER ? 11 + rnd.nextInt(30) : 18 + rnd.nextInt(50);
    boolean optIn = rnd.nextInt(100) < 88;
    String platform = new String[] {"android", "android", "ios", "web"}[rnd.nextInt(4)];
    long quietAt = persona == Persona.GOES_QUIET ? start + 60_000L + rnd.nextInt(9 * 60_000) : Long.MAX_VALUE;
    User u = new User(id, persona, place, age, optIn, platform, quietAt);
    if (persona == Persona.NEWCOMER) {
      // Newcomers arrive over the first hour, so sign-ups keep coming (publish signup-kyc-24h any time).
      u.idleAt = start + rnd.nextInt(60 * 60_000);
    }
    return u;
  }

  /** A weighted random choice. */
  static <T> T pick(Random rnd, T[] items, java.util.function.ToIntFunction<T> weight) {
    int total = 0;
    for (T t : items) {
      total += weight.applyAsInt(t);
    }
    int r = rnd.nextInt(total);
    for (T t : items) {
      r -= weight.applyAsInt(t);
      if (r < 0) {
        return t;
      }
    }
    return items[items.length - 1];
  }

  int size() {
    return users.size() + staff.size();
  }
}
