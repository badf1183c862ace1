package org.prostateed.content;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Checks every handout against the questionnaire of its education item, the stop signs and the
 * settings, so that what a patient reads follows from what the clinician answered:
 *
 * <ul>
 *   <li>every section condition names an item of the questionnaire and one of its answer codes
 *       ({@code acknowledged=} names an item that can be acknowledged);
 *   <li>every relative item has an {@code acknowledged=<linkId>} section, and every absolute item
 *       that can be answered "don't know" a {@code <linkId>=asked-unknown} section;
 *   <li>the handout has one stop-signs block listing exactly the signs of {@code stop-signs.json},
 *       each under its route;
 *   <li>every {@code {{placeholder}}} is a site contact or a setting;
 *   <li>a translation names an original that exists;
 *   <li>the catalog's general answers are answers of the questionnaire.
 * </ul>
 */
final class HandoutCheck {

  /** The site's contact details a handout may show; their values come from the site file, never from content. */
  static final List<String> SITE_PLACEHOLDERS = List.of("clinic.name", "clinic.phone", "emergency.number");
  static final String SETTINGS_PREFIX = "settings.";

  private final List<ContraindicationQuestionnaire> questionnaires;
  private final List<EducationItem> items;
  private final List<HandoutVersion> handouts;
  private final LocalSettings settings;
  private final StopSigns stopSigns;
  private final Consumer<String> problems;

  HandoutCheck(List<ContraindicationQuestionnaire> questionnaires, List<EducationItem> items,
      List<HandoutVersion> handouts, LocalSettings settings, StopSigns stopSigns, Consumer<String> problems) {
    this.questionnaires = questionnaires;
    this.items = items;
    this.handouts = handouts;
    this.settings = settings;
    this.stopSigns = stopSigns;
    this.problems = problems;
  }

  void check() {
    for (HandoutVersion handout : handouts) {
      String where = handout.path();
      stopSigns(handout, where);
      placeholders(handout, where);
      handout.translation().ifPresent(from -> {
        if (handouts.stream().noneMatch(h -> h.id().equals(handout.id()) && h.language().equals(from.language()))) {
          problems.accept(where + ": front matter.translatedFrom: no " + from.language() + " version of "
              + handout.id() + " to be translated from");
        }
      });
      for (EducationItem item : items) {
        if (item.handoutId().equals(handout.id())) {
          questionnaire(item).ifPresent(questionnaire -> sections(handout, questionnaire, where));
        }
      }
    }
    for (EducationItem item : items) {
      questionnaire(item).ifPresent(questionnaire -> item.generalAnswers().forEach((linkId, code) -> {
        boolean known = questionnaire.item(linkId)
            .map(question -> question.answerOptions().stream().anyMatch(option -> option.code().equals(code)))
            .orElse(false);
        if (!known) {
          problems.accept(ContentPaths.CATALOG + ": items[" + item.id() + "].generalAnswers." + linkId + ": '" + code
              + "' is not an answer of that item of " + questionnaire.id());
        }
      }));
    }
  }

  private Optional<ContraindicationQuestionnaire> questionnaire(EducationItem item) {
    return questionnaires.stream().filter(q -> q.url().equals(item.questionnaireUrl())).findFirst();
  }

  private void stopSigns(HandoutVersion handout, String where) {
    HandoutMarkup.Parsed markup = handout.markup();
    if (markup.stopSignBlocks() != 1) {
      problems.accept(where + ": body: needs exactly one '::: stop-signs' block, has " + markup.stopSignBlocks());
      return;
    }
    Set<String> listed = new HashSet<>();
    for (HandoutMarkup.StopSign sign : markup.stopSigns()) {
      if (!listed.add(sign.id())) {
        problems.accept(where + ": stop signs: " + sign.id() + " is listed twice");
      }
      Optional<StopSigns.Sign> defined = stopSigns.signs().stream().filter(s -> s.id().equals(sign.id())).findFirst();
      if (defined.isEmpty()) {
        problems.accept(where + ": stop signs: " + sign.id() + " is not a sign of " + ContentPaths.STOP_SIGNS);
      } else if (!defined.get().route().equals(sign.route())) {
        problems.accept(where + ": stop signs: " + sign.id() + " is listed under '" + sign.route() + "', but "
            + ContentPaths.STOP_SIGNS + " routes it to '" + defined.get().route() + "'");
      }
    }
    String missing = stopSigns.signs().stream().map(StopSigns.Sign::id).filter(id -> !listed.contains(id))
        .collect(Collectors.joining(", "));
    if (!missing.isEmpty()) {
      problems.accept(where + ": stop signs: " + missing + " missing (every sign of " + ContentPaths.STOP_SIGNS
          + " must be listed)");
    }
  }

  private void placeholders(HandoutVersion handout, String where) {
    for (String name : handout.markup().placeholders()) {
      boolean known = SITE_PLACEHOLDERS.contains(name)
          || name.startsWith(SETTINGS_PREFIX) && settings.display(name.substring(SETTINGS_PREFIX.length())).isPresent();
      if (!known) {
        problems.accept(where + ": body: {{" + name + "}} is neither a site contact " + SITE_PLACEHOLDERS
            + " nor a setting (settings.<key>)");
      }
    }
  }

  private void sections(HandoutVersion handout, ContraindicationQuestionnaire questionnaire, String where) {
    List<String> conditions = handout.markup().conditions();
    for (String condition : conditions) {
      String key = HandoutMarkup.conditionKey(condition);
      List<String> values = HandoutMarkup.conditionValues(condition);
      if (HandoutMarkup.ACKNOWLEDGED.equals(key)) {
        for (String linkId : values) {
          boolean acknowledgeable = questionnaire.item(linkId)
              .map(item -> item.severity() == Severity.RELATIVE).orElse(false);
          if (!acknowledgeable) {
            problems.accept(where + ": section 'show-if " + condition + "': " + linkId + " is not a relative item of "
                + questionnaire.id());
          }
        }
        continue;
      }
      Optional<ContraindicationItem> item = questionnaire.item(key);
      if (item.isEmpty()) {
        problems.accept(where + ": section 'show-if " + condition + "': " + key + " is not an item of " + questionnaire.id());
        continue;
      }
      for (String code : values) {
        if (item.get().answerOptions().stream().noneMatch(option -> option.code().equals(code))) {
          problems.accept(where + ": section 'show-if " + condition + "': " + code + " is not an answer of " + key);
        }
      }
    }
    for (ContraindicationItem item : questionnaire.items()) {
      if (item.severity() == Severity.RELATIVE && !conditions.contains(HandoutMarkup.ACKNOWLEDGED + "=" + item.linkId())) {
        problems.accept(where + ": body: relative item " + item.linkId() + " has no 'show-if acknowledged="
            + item.linkId() + "' section");
      }
      boolean unknownAnswerable = item.option(YesNoUnknown.UNKNOWN.system(), YesNoUnknown.UNKNOWN.code()).isPresent();
      String unknown = item.linkId() + "=" + YesNoUnknown.UNKNOWN.code();
      if (item.severity() == Severity.ABSOLUTE && unknownAnswerable && !conditions.contains(unknown)) {
        problems.accept(where + ": body: absolute item " + item.linkId() + " has no 'show-if " + unknown + "' section");
      }
    }
  }
}
