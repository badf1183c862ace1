package org.prostateed.content;

import java.util.List;
import java.util.Optional;

/**
 * A value set reduced to what matching and searching need: exact codes and is-a (code and
 * descendants) rules, and the listed codes of its expansion. {@code json} is the FHIR ValueSet as
 * shipped.
 *
 * @param expansion the codes the value set's {@code expansion} lists: every code below its is-a
 *     rules, for the searches that must name each code (a token search matches codes exactly)
 */
public record CodeSet(String id, String url, String version, String title, List<Rule> rules, List<Rule> expansion,
    String json) {

  public CodeSet {
    rules = List.copyOf(rules);
    expansion = List.copyOf(expansion);
  }

  public CodeSet(String id, String url, String version, String title, List<Rule> rules, String json) {
    this(id, url, version, title, rules, List.of(), json);
  }

  /** The exact codes a search for this value set names: its listed concepts and its expansion. */
  public List<Rule> searchCodes() {
    List<Rule> codes = new java.util.ArrayList<>();
    rules.stream().filter(rule -> !rule.descendants()).forEach(codes::add);
    codes.addAll(expansion);
    return codes;
  }

  /** Whether some of its rules match descendants, which a search can name only through the expansion. */
  public boolean hasIsA() {
    return rules.stream().anyMatch(Rule::descendants);
  }

  /** One included code; {@code descendants} means the rule also matches codes below it. */
  public record Rule(String system, String code, String display, boolean descendants) {

    public boolean matches(String otherSystem, String otherCode) {
      if (!system.equals(otherSystem) || otherCode == null) {
        return false;
      }
      if (!descendants) {
        return code.equals(otherCode);
      }
      return isSameOrBelow(otherCode, code);
    }

    /**
     * Whether {@code child} is {@code parent} or extends it by characters, ignoring dots and case:
     * classification codes such as ICD-10-CM extend a parent by characters, and the dot is layout.
     * Compared in place: this runs for every chart code against every rule of a set.
     */
    private static boolean isSameOrBelow(String child, String parent) {
      int c = 0;
      for (int p = 0; p < parent.length(); p++) {
        char expected = parent.charAt(p);
        if (expected == '.') {
          continue;
        }
        while (c < child.length() && child.charAt(c) == '.') {
          c++;
        }
        if (c == child.length() || Character.toUpperCase(child.charAt(c)) != Character.toUpperCase(expected)) {
          return false;
        }
        c++;
      }
      return true;
    }
  }

  /** The first rule that matches; a plain loop, as it runs for every chart code against every set. */
  public Optional<Rule> match(String system, String code) {
    for (Rule rule : rules) {
      if (rule.matches(system, code)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  public boolean contains(String system, String code) {
    return match(system, code).isPresent();
  }
}
