package org.prostateed.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.prostateed.content.HandoutMarkup;

/**
 * Chooses the handout sections that apply to this patient and lays out the stop-and-get-help box
 * (see {@link HandoutMarkup}). A {@code ::: show-if <linkId>=<code>[,<code>]} section is kept when
 * that item was answered with one of the codes, a {@code ::: show-if acknowledged=<linkId>} section
 * when the clinician acknowledged that item; the others are left out. The {@code ::: stop-signs}
 * block is always kept, as a block quote (the box) without its sign marks.
 */
public final class HandoutPersonalisation {

  /** The Markdown to render, and the conditions of the sections that were kept. */
  public record Personalised(String markdown, List<String> sectionsShown) {}

  public Personalised personalise(String markdown, Answers answers, Set<String> acknowledged) {
    HandoutMarkup.parse(markdown);
    StringBuilder out = new StringBuilder();
    List<String> shown = new ArrayList<>();
    boolean keep = true;
    boolean inBox = false;
    for (String line : markdown.split("\n", -1)) {
      String trimmed = line.trim();
      if (trimmed.startsWith(HandoutMarkup.SHOW_IF)) {
        String condition = trimmed.substring(HandoutMarkup.SHOW_IF.length()).trim();
        keep = holds(condition, answers, acknowledged);
        if (keep) {
          shown.add(condition);
        }
        continue;
      }
      if (trimmed.equals(HandoutMarkup.STOP_SIGNS)) {
        inBox = true;
        continue;
      }
      if (trimmed.equals(HandoutMarkup.CLOSE)) {
        keep = true;
        inBox = false;
        continue;
      }
      if (inBox) {
        out.append("> ").append(HandoutMarkup.withoutSignMark(line)).append('\n');
      } else if (keep) {
        out.append(line).append('\n');
      }
    }
    return new Personalised(out.toString(), List.copyOf(shown));
  }

  private static boolean holds(String condition, Answers answers, Set<String> acknowledged) {
    String key = HandoutMarkup.conditionKey(condition);
    List<String> values = HandoutMarkup.conditionValues(condition);
    if (HandoutMarkup.ACKNOWLEDGED.equals(key)) {
      return values.stream().anyMatch(acknowledged::contains);
    }
    return answers.get(key).map(answer -> values.contains(answer.code())).orElse(false);
  }
}
