package org.prostateed.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Chooses the handout sections that apply to this patient. A section sits between a
 * {@code ::: show-if <linkId>=<code>[,<code>]} line (or {@code ::: show-if acknowledged=<linkId>})
 * and a {@code :::} line; sections whose condition fails are left out.
 */
public final class HandoutPersonalisation {

  private static final String OPEN = "::: show-if ";
  private static final String CLOSE = ":::";
  private static final String ACKNOWLEDGED = "acknowledged";

  /** The Markdown to render, and the conditions of the sections that were kept. */
  public record Personalised(String markdown, List<String> sectionsShown) {}

  public Personalised personalise(String markdown, Answers answers, Set<String> acknowledged) {
    StringBuilder out = new StringBuilder();
    List<String> shown = new ArrayList<>();
    boolean inSection = false;
    boolean keep = true;
    for (String line : markdown.split("\n", -1)) {
      String trimmed = line.trim();
      if (!inSection && trimmed.startsWith(OPEN)) {
        String condition = trimmed.substring(OPEN.length()).trim();
        inSection = true;
        keep = holds(condition, answers, acknowledged);
        if (keep) {
          shown.add(condition);
        }
        continue;
      }
      if (inSection && trimmed.equals(CLOSE)) {
        inSection = false;
        keep = true;
        continue;
      }
      if (keep) {
        out.append(line).append('\n');
      }
    }
    if (inSection) {
      throw new IllegalArgumentException("a '::: show-if' section is not closed by ':::'");
    }
    return new Personalised(out.toString(), List.copyOf(shown));
  }

  /** Checks a section condition's syntax; returns a problem or null. */
  public static String checkCondition(String condition) {
    int eq = condition.indexOf('=');
    if (eq <= 0 || eq == condition.length() - 1) {
      return "'" + condition + "' is not <linkId>=<code>[,<code>]";
    }
    return null;
  }

  private static boolean holds(String condition, Answers answers, Set<String> acknowledged) {
    String problem = checkCondition(condition);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    int eq = condition.indexOf('=');
    String key = condition.substring(0, eq).trim();
    List<String> values = Arrays.stream(condition.substring(eq + 1).split(",")).map(String::trim).toList();
    if (ACKNOWLEDGED.equals(key)) {
      return values.stream().anyMatch(acknowledged::contains);
    }
    return answers.get(key).map(answer -> values.contains(answer.code())).orElse(false);
  }
}
