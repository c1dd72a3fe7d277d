package io.promo.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the items of an upload file (coupon codes, user ids): either one item per line, or a CSV
 * whose header names the item column ({@code code}, {@code userId}). Blank lines and repeats are
 * skipped (and counted); items longer than the contract allows are errors, reported with their
 * line numbers.
 */
final class ItemFile {
  private ItemFile() {}

  /** How many errors are listed before "... and N more". */
  static final int ERRORS_SHOWN = 20;

  /**
   * @param items distinct items, in file order
   * @param csv whether the file was read as a CSV with a header
   * @param blank blank lines (or empty cells) skipped
   * @param duplicates repeated items skipped
   * @param errors what is wrong, with line numbers (nothing is uploaded when not empty)
   */
  record Items(List<String> items, boolean csv, int blank, int duplicates, List<String> errors) {
    boolean ok() {
      return errors.isEmpty();
    }

    /** "300 codes (2 blank lines, 3 duplicates skipped)". */
    String summary(String noun) {
      StringBuilder sb = new StringBuilder().append(items.size()).append(' ').append(noun);
      List<String> skipped = new ArrayList<>();
      if (blank > 0) {
        skipped.add(blank + (blank == 1 ? " blank line" : " blank lines"));
      }
      if (duplicates > 0) {
        skipped.add(duplicates + (duplicates == 1 ? " duplicate" : " duplicates"));
      }
      if (!skipped.isEmpty()) {
        sb.append(" (").append(String.join(", ", skipped)).append(" skipped)");
      }
      return sb.toString();
    }
  }

  /** Reads a file; a missing or unreadable file is a usage error. */
  static Items read(Path file, List<String> columns, int maxLength) {
    if (!Files.isRegularFile(file)) {
      throw CliException.usage("cannot read " + file + ": no such file");
    }
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (Reader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
      return read(r, columns, maxLength);
    } catch (NoSuchFileException e) {
      throw CliException.usage("cannot read " + file + ": no such file");
    } catch (CharacterCodingException e) {
      throw CliException.invalid(file + " is not UTF-8 text");
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + e.getMessage());
    }
  }

  static Items read(Reader reader, List<String> columns, int maxLength) throws IOException {
    String column = columns.get(0);
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    Set<String> items = new LinkedHashSet<>();
    List<String> errors = new ArrayList<>();
    int blank = 0;
    int duplicates = 0;
    int lineNo = 0;
    int col = -1; // the item column of a CSV file, or -1 for one item per line
    boolean first = true;
    String line;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        blank++;
        continue;
      }
      if (first) {
        first = false;
        List<String> header = csvFields(line);
        int found = -1;
        for (int i = 0; i < header.size(); i++) {
          if (matches(header.get(i), columns)) {
            found = i;
            break;
          }
        }
        if (found >= 0) {
          col = found;
          continue;
        }
        if (header.size() > 1) {
          errors.add("line 1: the CSV header " + header + " has no '" + column + "' column");
          break;
        }
      }
      String item;
      if (col < 0) {
        item = line.trim();
      } else {
        List<String> fields = csvFields(line);
        if (col >= fields.size()) {
          errors.add("line " + lineNo + ": no '" + column + "' field (" + fields.size() + " fields)");
          continue;
        }
        item = fields.get(col).trim();
        if (item.isEmpty()) {
          blank++;
          continue;
        }
      }
      if (item.length() > maxLength) {
        errors.add("line " + lineNo + ": longer than " + maxLength + " characters");
        continue;
      }
      if (!items.add(item)) {
        duplicates++;
      }
    }
    if (items.isEmpty() && errors.isEmpty()) {
      errors.add("the file holds no " + column + " values");
    }
    return new Items(List.copyOf(items), col >= 0, blank, duplicates, List.copyOf(errors));
  }

  private static boolean matches(String headerCell, List<String> columns) {
    for (String c : columns) {
      if (headerCell.trim().equalsIgnoreCase(c)) {
        return true;
      }
    }
    return false;
  }

  /** The fields of one CSV line (RFC 4180 quoting: "a,b" and "" for a quote; no multi-line fields). */
  static List<String> csvFields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.toString().isBlank()) {
        cur.setLength(0);
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /**
   * Splits items into chunks of at most {@code maxCount} items whose JSON array stays under
   * {@code maxBytes} (so that one command fits in a Kafka record).
   */
  static List<List<String>> chunks(List<String> items, int maxCount, int maxBytes) {
    List<List<String>> out = new ArrayList<>();
    List<String> cur = new ArrayList<>();
    long bytes = 0;
    for (String item : items) {
      int size = item.getBytes(StandardCharsets.UTF_8).length + 8; // quotes, comma, escapes
      if (!cur.isEmpty() && (cur.size() >= maxCount || bytes + size > maxBytes)) {
        out.add(List.copyOf(cur));
        cur.clear();
        bytes = 0;
      }
      cur.add(item);
      bytes += size;
    }
    if (!cur.isEmpty()) {
      out.add(List.copyOf(cur));
    }
    return out;
  }
}
