package io.promo.json;

import static io.promo.testing.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.promo.model.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {

  private static EventCodec.Result parse(String singleQuoted) {
    return EventCodec.parse(utf8(singleQuoted));
  }

  private static String error(String singleQuoted) {
    EventCodec.Result r = parse(singleQuoted);
    assertThat(r.event()).isNull();
    return r.error();
  }

  @Test
  void readsTheContractsExampleWithEpochTs() {
    EventCodec.Result r = parse(
        "{'eventId': 'e-9f1', 'userId': 'u-42', 'name': 'add_to_cart', 'ts': 1764324900000,"
            + " 'props': {'amount': 120.5, 'sku': 'A1', 'qty': 2, 'gift': false, 'tags': ['x', 3, true]},"
            + " 'profile': {'tz': 'Asia/Kolkata', 'city': 'Pune'}}");

    assertThat(r.error()).isNull();
    assertThat(r.event()).isEqualTo(new Event("e-9f1", "u-42", "add_to_cart", 1764324900000L,
        Map.of("amount", 120.5, "sku", "A1", "qty", 2.0, "gift", false, "tags", List.of("x", 3.0, true)),
        Map.of("tz", "Asia/Kolkata", "city", "Pune")));
  }

  @Test
  void readsIsoTimestampsWithZOrAnOffset() {
    assertThat(parse("{'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': '2025-11-28T10:15:00Z'}").event().ts())
        .isEqualTo(1764324900000L);
    assertThat(parse("{'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': '2025-11-28T15:45:00+05:30'}").event().ts())
        .isEqualTo(1764324900000L);
  }

  @Test
  void integralDoubleTimestampIsAccepted() {
    assertThat(parse("{'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1.7643249E12}").event().ts())
        .isEqualTo(1764324900000L);
  }

  @Test
  void absentPropsAndProfileAreEmptyAndNullValuesAreSkipped() {
    Event e = parse("{'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1, 'props': {'a': null, 'b': 1}}").event();
    assertThat(e.props()).isEqualTo(Map.of("b", 1.0));
    assertThat(e.profile()).isEmpty();
  }

  @Test
  void userIdOf256CharactersIsAccepted() {
    String id = "u".repeat(256);
    assertThat(parse("{'eventId': 'e', 'userId': '" + id + "', 'name': 'n', 'ts': 1}").event().userId()).isEqualTo(id);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "every required field missing | {}"
            + " | eventId is missing; userId is missing; name is missing; ts is missing",
        "nulls count as missing | {'eventId': null, 'userId': 'u', 'name': 'n', 'ts': null}"
            + " | eventId is missing; ts is missing",
        "wrong types | {'eventId': 7, 'userId': true, 'name': ['n'], 'ts': {}}"
            + " | eventId must be a string; userId must be a string; name must be a string;"
            + " ts must be epoch milliseconds or an ISO-8601 instant",
        "empty strings | {'eventId': '', 'userId': '', 'name': '', 'ts': 1}"
            + " | eventId must have 1 to 256 characters; userId must have 1 to 256 characters;"
            + " name must have 1 to 256 characters",
        "fractional ts | {'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1.5}"
            + " | ts must be epoch milliseconds (an integer)",
        "ts too large for a long | {'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 99999999999999999999}"
            + " | ts must be epoch milliseconds (an integer)",
        "ts text not ISO | {'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 'yesterday'}"
            + " | ts 'yesterday' is not an ISO-8601 instant",
        "props not an object | {'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1, 'props': [1]}"
            + " | props must be an object",
        "nested object in props | {'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1, 'props': {'cart': {'a': 1}}}"
            + " | props.cart must be a string, number, boolean or an array of those",
        "object inside a props array | {'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1, 'props': {'l': [1, {}]}}"
            + " | props.l must hold only strings, numbers or booleans",
        "nested array in profile | {'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1, 'profile': {'l': [[1]]}}"
            + " | profile.l must hold only strings, numbers or booleans",
        "unknown tz | {'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1, 'profile': {'tz': 'Mars/Olympus'}}"
            + " | profile.tz must be an IANA time zone such as Asia/Kolkata",
        "tz not a string | {'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1, 'profile': {'tz': 5.5}}"
            + " | profile.tz must be an IANA time zone such as Asia/Kolkata",
        "not an object | [1, 2] | not a JSON object",
        "a bare string | 'hello' | not a JSON object",
        "empty input | '' | not a JSON object",
        "trailing second value | {'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1} {}"
            + " | malformed JSON: trailing content after the object",
      })
  void rejectsWithTheExactReason(String why, String input, String expected) {
    assertThat(error(input.equals("''") ? "" : input)).isEqualTo(expected);
  }

  @Test
  void userIdLongerThan256IsRejected() {
    assertThat(error("{'eventId': 'e', 'userId': '" + "u".repeat(257) + "', 'name': 'n', 'ts': 1}"))
        .isEqualTo("userId must have 1 to 256 characters");
  }

  @Test
  void notJsonAndTrailingGarbageAreMalformed() {
    assertThat(error("{'eventId': "))
        .isEqualTo("malformed JSON: Unexpected end-of-input within/between Object entries");
    assertThat(error("{'eventId': 'e', 'userId': 'u', 'name': 'n', 'ts': 1} xyz"))
        .isEqualTo("malformed JSON: Unrecognized token 'xyz': was expecting (JSON String, Number, Array, Object"
            + " or token 'null', 'true' or 'false')");
  }

  @Test
  void nullRecordIsReported() {
    assertThat(EventCodec.parse(null)).isEqualTo(new EventCodec.Result(null, "empty record (null value)"));
  }

  @Test
  void invalidUtf8IsMalformed() {
    byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThat(EventCodec.parse(bad).error()).isEqualTo("malformed JSON: Invalid UTF-8 middle byte 0x28");
  }
}
