package org.prostateed.content;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A value set reduced to what matching needs: exact codes and is-a (code and descendants) rules.
 * {@code json} is the FHIR ValueSet as shipped.
 */
public record CodeSet(String id, String url, String version, String title, List<Rule> rules, String json) {

  public CodeSet {
    rules = List.copyOf(rules);
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
      return normalise(otherCode).startsWith(normalise(code));
    }

    /** Classification codes such as ICD-10-CM extend a parent by characters; the dot is layout. */
    private static String normalise(String classificationCode) {
      return classificationCode.replace(".", "").toUpperCase(Locale.ROOT);
    }
  }

  public Optional<Rule> match(String system, String code) {
    return rules.stream().filter(rule -> rule.matches(system, code)).findFirst();
  }

  public boolean contains(String system, String code) {
    return match(system, code).isPresent();
  }
}
