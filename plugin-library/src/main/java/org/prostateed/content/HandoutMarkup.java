package org.prostateed.content;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few marks a handout body adds to Markdown, read the same way by the loader (to validate)
 * and by personalisation (to render):
 *
 * <ul>
 *   <li>{@code ::: show-if <condition>} ... {@code :::}: a section shown only when the condition
 *       holds ({@code <linkId>=<code>[,<code>]} or {@code acknowledged=<linkId>[,<linkId>]});
 *   <li>{@code ::: stop-signs} ... {@code :::}: the boxed stop-and-get-help list, exactly one per
 *       handout and never inside a section; each sign is a list item that starts with
 *       {@code {<route>:<sign id>}};
 *   <li>{@code {{name}}}: a value filled in when the page is rendered (the site's contact numbers,
 *       a setting).
 * </ul>
 *
 * Blocks do not nest.
 */
public final class HandoutMarkup {

  public static final String SHOW_IF = "::: show-if ";
  public static final String STOP_SIGNS = "::: stop-signs";
  public static final String CLOSE = ":::";
  public static final String ACKNOWLEDGED = "acknowledged";

  private static final Pattern SIGN = Pattern.compile("^(\\s*[-*+]\\s+)\\{([a-z][a-z0-9-]*):([a-z][a-z0-9-]*)\\}\\s+(.*)$");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9.]*)\\s*\\}\\}");

  /** One stop sign as a handout lists it: its route, its id, and its text in the handout's language. */
  public record StopSign(String route, String id, String text) {}

  /** What a body holds: its section conditions, its stop signs and the placeholders it uses. */
  public record Parsed(List<String> conditions, List<StopSign> stopSigns, int stopSignBlocks, Set<String> placeholders) {}

  private HandoutMarkup() {}

  /** Reads the marks of a body; a block left open or opened inside another is an error. */
  public static Parsed parse(String markdown) {
    List<String> conditions = new ArrayList<>();
    List<StopSign> signs = new ArrayList<>();
    int stopBlocks = 0;
    String open = null;
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String trimmed = lines[i].trim();
      if (trimmed.startsWith(SHOW_IF) || trimmed.equals(STOP_SIGNS)) {
        if (open != null) {
          throw new IllegalArgumentException("line " + (i + 1) + ": '" + trimmed + "' opens inside '" + open
              + "'; blocks do not nest");
        }
        open = trimmed;
        if (trimmed.equals(STOP_SIGNS)) {
          stopBlocks++;
        } else {
          String condition = trimmed.substring(SHOW_IF.length()).trim();
          checkCondition(condition, i + 1);
          conditions.add(condition);
        }
        continue;
      }
      if (trimmed.equals(CLOSE)) {
        if (open == null) {
          throw new IllegalArgumentException("line " + (i + 1) + ": ':::' closes no block");
        }
        open = null;
        continue;
      }
      Matcher sign = SIGN.matcher(lines[i]);
      if (sign.matches()) {
        if (!STOP_SIGNS.equals(open)) {
          throw new IllegalArgumentException("line " + (i + 1) + ": a stop sign {" + sign.group(2) + ":"
              + sign.group(3) + "} outside the '::: stop-signs' block");
        }
        signs.add(new StopSign(sign.group(2), sign.group(3), sign.group(4).trim()));
      }
    }
    if (open != null) {
      throw new IllegalArgumentException("'" + open + "' is not closed by ':::'");
    }
    return new Parsed(List.copyOf(conditions), List.copyOf(signs), stopBlocks, placeholders(markdown));
  }

  /** The names of the {@code {{name}}} placeholders in a text. */
  public static Set<String> placeholders(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher matcher = PLACEHOLDER.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /** The text with every {@code {{name}}} replaced by {@code values.apply(name)}. */
  public static String fill(String text, java.util.function.UnaryOperator<String> values) {
    return PLACEHOLDER.matcher(text).replaceAll(match -> Matcher.quoteReplacement(values.apply(match.group(1))));
  }

  /** A stop-sign line as the patient reads it: the {@code {route:id}} mark removed; other lines unchanged. */
  public static String withoutSignMark(String line) {
    Matcher sign = SIGN.matcher(line);
    return sign.matches() ? sign.group(1) + sign.group(4) : line;
  }

  private static void checkCondition(String condition, int line) {
    int eq = condition.indexOf('=');
    if (eq <= 0 || eq == condition.length() - 1) {
      throw new IllegalArgumentException("line " + line + ": '" + condition + "' is not <linkId>=<code>[,<code>]");
    }
  }

  /** The key of a condition: a linkId, or {@code acknowledged}. */
  public static String conditionKey(String condition) {
    return condition.substring(0, condition.indexOf('=')).trim();
  }

  /** The values of a condition: codes, or linkIds for {@code acknowledged}. */
  public static List<String> conditionValues(String condition) {
    return java.util.Arrays.stream(condition.substring(condition.indexOf('=') + 1).split(","))
        .map(String::trim).toList();
  }
}
