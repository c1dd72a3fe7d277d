package io.promo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemFileTest {
  private static ItemFile.Items codes(String text) throws IOException {
    return ItemFile.read(new StringReader(text), List.of("code"), 256);
  }

  @Test
  void oneCodePerLineSkipsBlanksAndDuplicatesAndTrims() throws IOException {
    ItemFile.Items items = codes("A1\n\n  B2  \nA1\r\nC3\n   \nB2\n");
    assertThat(items.ok()).isTrue();
    assertThat(items.csv()).isFalse();
    assertThat(items.items()).containsExactly("A1", "B2", "C3");
    assertThat(items.blank()).isEqualTo(2);
    assertThat(items.duplicates()).isEqualTo(2);
    assertThat(items.summary("codes")).isEqualTo("3 codes (2 blank lines, 2 duplicates skipped)");
  }

  @Test
  void byteOrderMarkIsIgnored() throws IOException {
    assertThat(codes("\uFEFFA1\nB2\n").items()).containsExactly("A1", "B2");
    assertThat(codes("\uFEFFcode\nA1\n").items()).containsExactly("A1");
  }

  @Test
  void csvWithCodeColumnAnywhereInTheHeader() throws IOException {
    ItemFile.Items items = codes("partner,Code,note\ncineplex,X-1,\"first, best\"\ncineplex,X-2,x\n,X-1,dup\nq,,empty\n");
    assertThat(items.csv()).isTrue();
    assertThat(items.items()).containsExactly("X-1", "X-2");
    assertThat(items.duplicates()).isEqualTo(1);
    assertThat(items.blank()).isEqualTo(1);
  }

  @Test
  void singleColumnHeaderIsSkipped() throws IOException {
    ItemFile.Items items = codes("code\nA\nB\n");
    assertThat(items.csv()).isTrue();
    assertThat(items.items()).containsExactly("A", "B");
  }

  @Test
  void quotedFields() {
    assertThat(ItemFile.csvFields("a,\"b,c\",\"say \"\"hi\"\"\",")).containsExactly("a", "b,c", "say \"hi\"", "");
    assertThat(ItemFile.csvFields("x")).containsExactly("x");
  }

  @Test
  void csvWithoutTheColumnIsAnError() throws IOException {
    ItemFile.Items items = codes("partner,voucher\nc,X\n");
    assertThat(items.ok()).isFalse();
    assertThat(items.errors()).singleElement().asString().contains("has no 'code' column");
  }

  @Test
  void tooLongItemsAndShortRowsAreErrorsWithLineNumbers() throws IOException {
    String longCode = "X".repeat(257);
    ItemFile.Items plain = codes("A\n" + longCode + "\nB\n");
    assertThat(plain.errors()).containsExactly("line 2: longer than 256 characters");
    ItemFile.Items csv = codes("note,code\nn1,A\nn2\n");
    assertThat(csv.errors()).containsExactly("line 3: no 'code' field (1 fields)");
  }

  @Test
  void emptyFileIsAnError() throws IOException {
    assertThat(codes("\n \n").errors()).containsExactly("the file holds no code values");
  }

  @Test
  void userIdColumnAliases() throws IOException {
    ItemFile.Items items = ItemFile.read(new StringReader("user_id,city\nu1,Pune\nu2,Delhi\n"),
        List.of("userId", "user_id"), 256);
    assertThat(items.items()).containsExactly("u1", "u2");
  }

  @Test
  void readsFilesAndRejectsMissingOnes(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("codes.txt");
    Files.writeString(f, "A\nB\n");
    assertThat(ItemFile.read(f, List.of("code"), 256).items()).containsExactly("A", "B");
    assertThatThrownBy(() -> ItemFile.read(dir.resolve("nope.txt"), List.of("code"), 256))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("no such file")
        .extracting(e -> ((CliException) e).exitCode()).isEqualTo(Exit.USAGE);
    Path latin1 = dir.resolve("latin1.txt");
    Files.write(latin1, new byte[] {'A', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> ItemFile.read(latin1, List.of("code"), 256))
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void chunksByCount() {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      items.add("C" + i);
    }
    List<List<String>> chunks = ItemFile.chunks(items, 5, 1_000_000);
    assertThat(chunks).extracting(List::size).containsExactly(5, 5, 2);
    assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(items);
    assertThat(ItemFile.chunks(items, 12, 1_000_000)).hasSize(1);
    assertThat(ItemFile.chunks(List.of(), 5, 100)).isEmpty();
  }

  @Test
  void chunksByBytes() {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      items.add("X".repeat(92)); // 100 bytes each with the allowance
    }
    assertThat(ItemFile.chunks(items, 1000, 350)).extracting(List::size).containsExactly(3, 3, 3, 1);
  }
}
