package org.prostateed.content;

import com.vladsch.flexmark.ast.AutoLink;
import com.vladsch.flexmark.ast.FencedCodeBlock;
import com.vladsch.flexmark.ast.HardLineBreak;
import com.vladsch.flexmark.ast.Heading;
import com.vladsch.flexmark.ast.HtmlBlockBase;
import com.vladsch.flexmark.ast.HtmlInline;
import com.vladsch.flexmark.ast.HtmlInlineComment;
import com.vladsch.flexmark.ast.Image;
import com.vladsch.flexmark.ast.ImageRef;
import com.vladsch.flexmark.ast.IndentedCodeBlock;
import com.vladsch.flexmark.ast.MailLink;
import com.vladsch.flexmark.ast.Paragraph;
import com.vladsch.flexmark.ast.Reference;
import com.vladsch.flexmark.ast.SoftLineBreak;
import com.vladsch.flexmark.ast.ThematicBreak;
import com.vladsch.flexmark.ext.yaml.front.matter.YamlFrontMatterBlock;
import com.vladsch.flexmark.ext.yaml.front.matter.YamlFrontMatterExtension;
import com.vladsch.flexmark.parser.Parser;
import com.vladsch.flexmark.util.ast.Block;
import com.vladsch.flexmark.util.ast.Node;
import com.vladsch.flexmark.util.data.MutableDataSet;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readability scores of handout text, used by the build to gate every handout language.
 *
 * <p>English is gated on the Flesch-Kincaid grade level, Spanish on the Szigriszt-Pazos
 * perspicuity read on the INFLESZ scale (the scale Spanish health-literacy work reports); the
 * Fernandez-Huerta reading ease is reported beside it. Every formula is computed from three counts
 * (words, sentences, syllables) made by the fixed rules below. The rules are deliberately simple and deterministic rather than
 * linguistically perfect: what matters is that the same text always gives the same score and that
 * the rules are pinned by tests on fixed texts.
 *
 * <p><b>Words.</b> A word is a maximal run of letters (any Unicode letter, accented letters
 * included) and digits, where an apostrophe ({@code '} or {@code ’}) or a hyphen between two such
 * runs joins them into one word: "don't" and "water-based" are one word each. A run that contains
 * no letter at all (a number such as "2008" or "731-5") is not a word. Text is put into Unicode
 * NFC form first, so a letter written with a combining accent counts like the precomposed letter.
 *
 * <p><b>Sentences.</b> Every line of the plain text is a block (see {@link #plainText}). Inside a
 * block, a sentence ends after one or more of {@code . ! ?}, optionally followed by closing quotes
 * or brackets ({@code " ' ” ’ » ) ]}), when what follows is whitespace or the end of the block.
 * The end of a block always ends a sentence, with or without punctuation. A sentence that contains
 * no word is not counted. So "2.5 ml" is one sentence, "Stop. Call us!" is two, and a heading
 * without a full stop is one. Abbreviations such as "Dr." do end a sentence: handouts should not
 * use them.
 *
 * <p><b>Syllables.</b> Each word is counted by the language's counter, {@link #englishSyllables}
 * or {@link #spanishSyllables}; their rules are given there.
 */
public final class Readability {

  /**
   * A measured text: the formula's name, its value, and the counts it was computed from.
   *
   * @param formula {@link #FLESCH_KINCAID_GRADE} or {@link #FERNANDEZ_HUERTA}
   * @param value the formula's value, not rounded
   * @param words the number of words
   * @param sentences the number of sentences
   * @param syllables the number of syllables in all the words
   */
  public record Score(String formula, double value, int words, int sentences, int syllables) {}

  /**
   * Flesch-Kincaid grade level, for English: {@code 0.39 x words/sentences + 11.8 x
   * syllables/words - 15.59}. Lower is easier; the value is roughly the US school grade needed.
   */
  public static final String FLESCH_KINCAID_GRADE = "Flesch-Kincaid grade level";

  /**
   * Fernandez-Huerta reading ease, for Spanish, in its corrected form: {@code 206.84 - 0.60 x P -
   * 1.02 x F}, where P is the number of syllables per 100 words and F the number of words per
   * sentence. (A widely copied misquotation reads F as sentences per 100 words, which rewards long
   * sentences.) Higher is easier.
   */
  public static final String FERNANDEZ_HUERTA = "Fernandez-Huerta reading ease";

  /**
   * Szigriszt-Pazos perspicuity, for Spanish: {@code 206.835 - 62.3 x syllables/words -
   * words/sentences}, read on the INFLESZ scale (below 40 very difficult, 40-55 somewhat difficult,
   * 55-65 normal, 65-80 fairly easy, above 80 very easy). Higher is easier.
   */
  public static final String SZIGRISZT_PAZOS = "Szigriszt-Pazos perspicuity (INFLESZ)";

  /** A {@code ::: show-if ...} or {@code ::: stop-signs} opening line or a {@code :::} closing line, alone on its line. */
  private static final Pattern SECTION_MARKER =
      Pattern.compile("(?m)^[ \\t]*:::(?:[ \\t]+(?:show-if(?:[ \\t][^\\n]*)?|stop-signs))?[ \\t]*$");

  /** A stop sign's {@code {route:id}} mark at the start of a list item. */
  private static final Pattern SIGN_MARK = Pattern.compile("(?m)^([ \\t]*[-*+][ \\t]+)\\{[a-z][a-z0-9-]*:[a-z][a-z0-9-]*\\}[ \\t]+");

  /** A {@code {{name}}} placeholder, filled in only when the page is rendered. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[^}]*\\}\\}");

  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0\\u2007\\u202F]+",
      Pattern.UNICODE_CHARACTER_CLASS);

  private static final Pattern WORD = Pattern.compile(
      "[\\p{L}\\p{M}\\p{Nd}]+(?:['\\u2019\\-\\u2010\\u2011][\\p{L}\\p{M}\\p{Nd}]+)*");

  private static final Pattern LETTER = Pattern.compile("\\p{L}");

  private static final Pattern SENTENCE_END = Pattern.compile(
      "[.!?]+[\"'\\u201D\\u2019\\u00BB)\\]]*(?=\\s|$)", Pattern.UNICODE_CHARACTER_CLASS);

  private static final Pattern HYPHEN = Pattern.compile("[\\-\\u2010\\u2011]");

  private static final Pattern NON_LETTERS = Pattern.compile("\\P{L}+");

  private static final Pattern ENGLISH_VOWEL_GROUP = Pattern.compile("[aeiouy]+");

  private static final Pattern TABLE_DELIMITER_ROW =
      Pattern.compile("^\\s*\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?\\s*$");

  /** Suffixes before which a final silent e of the stem stays silent ("safely", "careful"). */
  private static final String[] SILENT_E_SUFFIXES = {"fully", "ness", "less", "ful", "ly"};

  /** Consonants that, followed by "le", make a syllable of their own ("table", "gentle"). */
  private static final String SYLLABIC_LE_CONSONANTS = "bcdfgkptz";

  private static final Parser PARSER = Parser.builder(new MutableDataSet()
      .set(Parser.EXTENSIONS, List.of(YamlFrontMatterExtension.create()))).build();

  private Readability() {}

  /**
   * Plain text of a Markdown body: Markdown syntax removed; {@code ::: show-if ...},
   * {@code ::: stop-signs} and {@code :::} marker lines dropped (their content kept), stop-sign
   * marks {@code {route:id}} and {@code {{name}}} placeholders removed (a placeholder is a name or
   * a number, which the counts would not treat as words anyway); every heading, list item, table cell, and paragraph
   * ends a sentence even without final punctuation; returns one sentence-ending block per line.
   *
   * <p>In detail: the marker lines are replaced by blank lines before the Markdown is parsed (by
   * flexmark, CommonMark rules). Every heading and every paragraph (including the paragraphs of
   * list items and block quotes) becomes one line; its soft and hard line breaks become spaces.
   * Emphasis, link and code-span markers are removed and their text kept; a link keeps its text and
   * loses its address; backslash escapes and HTML entities are decoded. Images, bare URLs in angle
   * brackets, raw HTML tags and blocks, link reference definitions, thematic breaks and a YAML front
   * matter block at the start are dropped. A paragraph that is a pipe table (a first line with
   * {@code |} and a second line of dashes such as {@code |---|---|}) gives one line per non-empty
   * cell, the dashes line dropped. Each line of a code block is a line of its own. Runs of
   * whitespace become one space, lines are trimmed, and empty lines are left out. Lines are joined
   * with {@code \n}, with no final line break.
   *
   * @param markdown a Markdown body, without front matter or with it at the very start
   * @return the plain text, one block per line
   */
  public static String plainText(String markdown) {
    String text = markdown.replace("\r\n", "\n").replace('\r', '\n');
    text = SECTION_MARKER.matcher(text).replaceAll("");
    text = SIGN_MARK.matcher(text).replaceAll("$1");
    text = PLACEHOLDER.matcher(text).replaceAll("");
    List<String> lines = new ArrayList<>();
    blocks(PARSER.parse(text), lines);
    return String.join("\n", lines);
  }

  /**
   * The Flesch-Kincaid grade level of a plain text ({@code 0.39 x words/sentences + 11.8 x
   * syllables/words - 15.59}), with words, sentences and English syllables counted by the rules of
   * this class. Each line of the text is a block that ends a sentence.
   *
   * @throws IllegalArgumentException if the text has no word
   */
  public static Score fleschKincaidGrade(String plainText) {
    Counts counts = count(plainText, Readability::englishSyllables);
    double wordsPerSentence = (double) counts.words / counts.sentences;
    double syllablesPerWord = (double) counts.syllables / counts.words;
    double value = 0.39 * wordsPerSentence + 11.8 * syllablesPerWord - 15.59;
    return new Score(FLESCH_KINCAID_GRADE, value, counts.words, counts.sentences, counts.syllables);
  }

  /**
   * The Fernandez-Huerta reading ease of a plain text, corrected form ({@code 206.84 - 0.60 x P -
   * 1.02 x F}, P = syllables per 100 words, F = words per sentence), with words, sentences and
   * Spanish syllables counted by the rules of this class. Each line of the text is a block that
   * ends a sentence.
   *
   * @throws IllegalArgumentException if the text has no word
   */
  public static Score fernandezHuerta(String plainText) {
    Counts counts = count(plainText, Readability::spanishSyllables);
    double syllablesPer100Words = 100.0 * counts.syllables / counts.words;
    double wordsPerSentence = (double) counts.words / counts.sentences;
    double value = 206.84 - 0.60 * syllablesPer100Words - 1.02 * wordsPerSentence;
    return new Score(FERNANDEZ_HUERTA, value, counts.words, counts.sentences, counts.syllables);
  }

  /**
   * The Szigriszt-Pazos perspicuity of a plain text ({@code 206.835 - 62.3 x syllables/words -
   * words/sentences}), counted like {@link #fernandezHuerta}.
   *
   * @throws IllegalArgumentException if the text has no word
   */
  public static Score szigrisztPazos(String plainText) {
    Counts counts = count(plainText, Readability::spanishSyllables);
    double value = 206.835 - 62.3 * counts.syllables / counts.words - (double) counts.words / counts.sentences;
    return new Score(SZIGRISZT_PAZOS, value, counts.words, counts.sentences, counts.syllables);
  }

  /**
   * The language's gate formula: "en" -> Flesch-Kincaid grade, "es" -> Szigriszt-Pazos;
   * IllegalArgumentException otherwise.
   * The formula is applied to {@link #plainText(String) plainText(markdown)}.
   *
   * @param language exactly {@code en} or {@code es}
   * @param markdown a Markdown body
   * @throws IllegalArgumentException for any other language, or if the text has no word
   */
  public static Score measure(String language, String markdown) {
    if ("en".equals(language)) {
      return fleschKincaidGrade(plainText(markdown));
    }
    if ("es".equals(language)) {
      return szigrisztPazos(plainText(markdown));
    }
    throw new IllegalArgumentException("no readability formula for language '" + language
        + "' (only en and es)");
  }

  /**
   * English syllables of one word, by these fixed rules, applied in order:
   *
   * <ol>
   *   <li>The word is split at hyphens and each part is counted on its own ("water-based" = water
   *       + based = 3). Accents are removed, letters are lower-cased, and everything that is not a
   *       letter a-z is dropped (so "don't" is counted as "dont").
   *   <li>A part of 3 letters or fewer has 1 syllable ("the", "you", "are").
   *   <li>A silent e before the suffix -ly, -ful, -fully, -ness or -less is removed when a
   *       consonant comes before it and a vowel comes earlier in the stem ("safely" -> "safly",
   *       "careful" -> "carful"), but not in consonant + "le" ("gentleness").
   *   <li>Otherwise, a final "es" after s, x, z, c, g, "ch" or "sh" is kept ("nurses", "places" =
   *       2); any other final "es" loses its s, and the e is then treated as a final e by rule 6
   *       ("makes" -> "make" -> 1, "tables" -> "table" -> 2).
   *   <li>Otherwise, a final "ed" is removed ("washed" -> "wash" = 1) except after t or d
   *       ("wanted" = 2, "needed" = 2) and after consonant + "l" where the consonant is one of b c d
   *       f g k p t z ("handled" = 2).
   *   <li>Otherwise, a final e is removed ("make" -> "mak" = 1, "prostate" = 2), except in a final
   *       "ee" ("agree" = 2) and in a final consonant + "le" where the consonant is one of b c d f g
   *       k p t z ("table" = 2, "gentle" = 2, but "whole" = 1).
   *   <li>The syllables are the groups of consecutive vowels a e i o u y ("bleeding" = 2, "every"
   *       = 3), at least 1.
   * </ol>
   *
   * <p>Known simplifications, kept on purpose: two vowels that are said apart are one group
   * ("biopsy" = 2, "fluid" = 1, "area" = 2), and a final e that is said is dropped anyway ("maybe"
   * = 1).
   *
   * @return the syllable count, 0 only if the word has no letter
   */
  public static int englishSyllables(String word) {
    int total = 0;
    for (String part : HYPHEN.split(word)) {
      String letters = Normalizer.normalize(part, Normalizer.Form.NFD)
          .toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
      if (!letters.isEmpty()) {
        total += englishPart(letters);
      }
    }
    return total;
  }

  /**
   * Spanish syllables of one word, by these fixed rules:
   *
   * <ol>
   *   <li>Letters are lower-cased; anything that is not a letter separates parts, which are
   *       counted on their own and added.
   *   <li>The vowels are a e i o u and á é í ó ú ü. The strong vowels are a, e, o and every
   *       accented vowel á é í ó ú; the weak vowels are unaccented i, u and ü.
   *   <li>The u of "que", "qui", "gue", "gui" (also before é, í) is silent and is not a vowel
   *       ("que" = 1, "guitarra" = 3); ü is always a vowel ("pingüino" = 3).
   *   <li>A final y right after a vowel is a weak vowel joined to it ("hay" = 1, "muy" = 1,
   *       "estoy" = 2); every other y, and h, are consonants.
   *   <li>Each group of consecutive vowels has as many syllables as it has strong vowels, because
   *       two strong vowels side by side are in hiatus ("perineo" = pe-ri-ne-o = 4, "poeta" = 3,
   *       "escalofríos" = 5); weak vowels join the vowels next to them in a diphthong ("agua" = 2,
   *       "cuidado" = 3, "hiperplasia" = 4). A group of weak vowels only has 1 ("ciudad" = 2).
   *   <li>At least 1 syllable for a word with a letter ("y" = 1).
   * </ol>
   *
   * <p>These are the spelling rules of the Real Academia Española, so an unaccented i or u next to
   * another vowel is always a diphthong, even where some speakers make a hiatus ("biopsia" =
   * biop-sia = 2).
   *
   * @return the syllable count, 0 only if the word has no letter
   */
  public static int spanishSyllables(String word) {
    String lower = Normalizer.normalize(word, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    int total = 0;
    for (String part : NON_LETTERS.split(lower)) {
      if (!part.isEmpty()) {
        total += spanishPart(part);
      }
    }
    return total;
  }

  // ---------------------------------------------------------------- counting

  private record Counts(int words, int sentences, int syllables) {}

  private static Counts count(String plainText, ToIntFunction<String> syllableCounter) {
    String text = Normalizer.normalize(plainText, Normalizer.Form.NFC);
    int words = 0;
    int sentences = 0;
    int syllables = 0;
    for (String block : text.split("\\R", -1)) {
      List<String> parts = new ArrayList<>();
      Matcher end = SENTENCE_END.matcher(block);
      int start = 0;
      while (end.find()) {
        parts.add(block.substring(start, end.end()));
        start = end.end();
      }
      parts.add(block.substring(start));
      for (String sentence : parts) {
        int sentenceWords = 0;
        Matcher word = WORD.matcher(sentence);
        while (word.find()) {
          if (LETTER.matcher(word.group()).find()) {
            sentenceWords++;
            syllables += syllableCounter.applyAsInt(word.group());
          }
        }
        words += sentenceWords;
        if (sentenceWords > 0) {
          sentences++;
        }
      }
    }
    if (words == 0) {
      throw new IllegalArgumentException("the text has no word to measure");
    }
    return new Counts(words, Math.max(1, sentences), syllables);
  }

  // ---------------------------------------------------------------- English syllables

  private static int englishPart(String w) {
    if (w.length() <= 3) {
      return 1;
    }
    String stem = englishStem(w);
    Matcher groups = ENGLISH_VOWEL_GROUP.matcher(stem);
    int count = 0;
    while (groups.find()) {
      count++;
    }
    return Math.max(1, count);
  }

  /** The word with its silent letters removed by rules 3 to 6 of {@link #englishSyllables}. */
  private static String englishStem(String w) {
    for (String suffix : SILENT_E_SUFFIXES) {
      if (w.endsWith("e" + suffix)) {
        int e = w.length() - suffix.length() - 1;
        if (e >= 2 && !isEnglishVowel(w.charAt(e - 1)) && hasEnglishVowel(w.substring(0, e - 1))
            && !syllabicLe(w, e)) {
          return w.substring(0, e) + suffix;
        }
        return w;
      }
    }
    int n = w.length();
    if (w.endsWith("es")) {
      char before = w.charAt(n - 3);
      boolean sibilant = "sxzcg".indexOf(before) >= 0 || w.endsWith("ches") || w.endsWith("shes");
      if (sibilant) {
        return w;
      }
      w = w.substring(0, n - 1);
      n--;
    } else if (w.endsWith("ed")) {
      char before = w.charAt(n - 3);
      if (before == 't' || before == 'd' || syllabicLe(w, n - 2)) {
        return w;
      }
      return w.substring(0, n - 2);
    }
    if (w.endsWith("e") && !w.endsWith("ee") && !syllabicLe(w, n - 1)) {
      return w.substring(0, n - 1);
    }
    return w;
  }

  /** Whether the e at index {@code e} ends a consonant + "le" syllable ("table", "handled"). */
  private static boolean syllabicLe(String w, int e) {
    return e >= 2 && w.charAt(e - 1) == 'l' && SYLLABIC_LE_CONSONANTS.indexOf(w.charAt(e - 2)) >= 0;
  }

  private static boolean isEnglishVowel(char c) {
    return "aeiouy".indexOf(c) >= 0;
  }

  private static boolean hasEnglishVowel(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isEnglishVowel(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- Spanish syllables

  private static final String SPANISH_STRONG = "aeoáéíóú";
  private static final String SPANISH_WEAK = "iuü";

  private static int spanishPart(String w) {
    int n = w.length();
    int syllables = 0;
    int strongInGroup = 0;
    boolean inGroup = false;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? w.charAt(i) : ' ';
      boolean strong = SPANISH_STRONG.indexOf(c) >= 0;
      boolean weak = SPANISH_WEAK.indexOf(c) >= 0;
      if (c == 'u' && i > 0 && i + 1 < n && (w.charAt(i - 1) == 'q' || w.charAt(i - 1) == 'g')
          && "eiéí".indexOf(w.charAt(i + 1)) >= 0) {
        weak = false; // the silent u of que, qui, gue, gui
      }
      if (c == 'y' && i == n - 1 && i > 0 && isSpanishVowel(w.charAt(i - 1))) {
        weak = true; // hay, muy, estoy
      }
      if (strong || weak) {
        inGroup = true;
        if (strong) {
          strongInGroup++;
        }
      } else if (inGroup) {
        syllables += Math.max(1, strongInGroup);
        inGroup = false;
        strongInGroup = 0;
      }
    }
    return Math.max(1, syllables);
  }

  private static boolean isSpanishVowel(char c) {
    return SPANISH_STRONG.indexOf(c) >= 0 || SPANISH_WEAK.indexOf(c) >= 0;
  }

  // ---------------------------------------------------------------- Markdown to plain text

  private static void blocks(Node node, List<String> lines) {
    if (node instanceof YamlFrontMatterBlock || node instanceof HtmlBlockBase
        || node instanceof Reference || node instanceof ThematicBreak) {
      return;
    }
    if (node instanceof FencedCodeBlock || node instanceof IndentedCodeBlock) {
      for (String line : ((Block) node).getContentChars().toString().split("\n")) {
        addLine(line, lines);
      }
      return;
    }
    if (node instanceof Paragraph || node instanceof Heading) {
      StringBuilder text = new StringBuilder();
      inline(node, text);
      String[] sourceLines = text.toString().split("\n", -1);
      if (node instanceof Paragraph && isTable(sourceLines)) {
        for (int i = 0; i < sourceLines.length; i++) {
          if (i != 1) {
            for (String cell : sourceLines[i].split("\\|")) {
              addLine(cell, lines);
            }
          }
        }
      } else {
        addLine(String.join(" ", sourceLines), lines);
      }
      return;
    }
    for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
      blocks(child, lines);
    }
  }

  private static boolean isTable(String[] sourceLines) {
    return sourceLines.length >= 2 && sourceLines[0].contains("|")
        && TABLE_DELIMITER_ROW.matcher(sourceLines[1]).matches();
  }

  /** The visible text of inline nodes; line breaks become {@code \n}. */
  private static void inline(Node node, StringBuilder text) {
    for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
      if (child instanceof SoftLineBreak || child instanceof HardLineBreak) {
        text.append('\n');
      } else if (child.hasChildren() && !hidden(child)) {
        inline(child, text);
      } else if (!hidden(child)) {
        text.append(child.getChars().unescape());
      }
    }
  }

  /** Images, bare URLs and raw HTML tags or comments: not read as text. */
  private static boolean hidden(Node node) {
    return node instanceof HtmlInline || node instanceof HtmlInlineComment || node instanceof Image
        || node instanceof ImageRef || node instanceof AutoLink || node instanceof MailLink;
  }

  private static void addLine(String line, List<String> lines) {
    String clean = WHITESPACE.matcher(line).replaceAll(" ").strip();
    if (!clean.isEmpty()) {
      lines.add(clean);
    }
  }
}
