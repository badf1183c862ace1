package org.prostateed.content;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The validated content library: education items, questionnaires, code sets and handouts. */
public final class ContentLibrary {

  private final List<EducationItem> items;
  private final Map<String, ContraindicationQuestionnaire> questionnaires;
  private final Map<String, CodeSet> codeSets;
  private final List<HandoutVersion> handouts;
  private final List<String> codeSystemsJson;
  private final List<Approval> approvals;
  private final LocalSettings settings;

  public ContentLibrary(
      List<EducationItem> items,
      List<ContraindicationQuestionnaire> questionnaires,
      List<CodeSet> codeSets,
      List<HandoutVersion> handouts,
      List<String> codeSystemsJson,
      List<Approval> approvals,
      LocalSettings settings) {
    this.items = List.copyOf(items);
    this.questionnaires = questionnaires.stream()
        .collect(Collectors.toUnmodifiableMap(ContraindicationQuestionnaire::url, Function.identity()));
    this.codeSets = codeSets.stream()
        .collect(Collectors.toUnmodifiableMap(CodeSet::url, Function.identity()));
    this.handouts = List.copyOf(handouts);
    this.codeSystemsJson = List.copyOf(codeSystemsJson);
    this.approvals = List.copyOf(approvals);
    this.settings = settings;
  }

  public LocalSettings settings() {
    return settings;
  }

  public List<Approval> approvals() {
    return approvals;
  }

  /** The approval that still matches this exact handout version, if any. */
  public Optional<Approval> approval(HandoutVersion handout) {
    return approvals.stream()
        .filter(approval -> approval.sha256().equals(handout.sha256()) && approval.version().equals(handout.version()))
        .findFirst();
  }

  public List<EducationItem> items() {
    return items;
  }

  public Optional<EducationItem> item(String id) {
    return items.stream().filter(item -> item.id().equals(id)).findFirst();
  }

  public List<ContraindicationQuestionnaire> questionnaires() {
    return questionnaires.values().stream()
        .sorted(Comparator.comparing(ContraindicationQuestionnaire::url))
        .toList();
  }

  public ContraindicationQuestionnaire questionnaire(String url) {
    ContraindicationQuestionnaire questionnaire = questionnaires.get(url);
    if (questionnaire == null) {
      throw new IllegalArgumentException("no questionnaire " + url);
    }
    return questionnaire;
  }

  public Optional<ContraindicationQuestionnaire> findQuestionnaire(String url) {
    return Optional.ofNullable(questionnaires.get(url));
  }

  public List<CodeSet> codeSets() {
    return codeSets.values().stream().sorted(Comparator.comparing(CodeSet::url)).toList();
  }

  public CodeSet codeSet(String url) {
    CodeSet codeSet = codeSets.get(url);
    if (codeSet == null) {
      throw new IllegalArgumentException("no value set " + url);
    }
    return codeSet;
  }

  public List<HandoutVersion> handouts() {
    return handouts;
  }

  /** Every version of one handout in one language, newest first. */
  public List<HandoutVersion> handoutVersions(String handoutId, String language) {
    return handouts.stream()
        .filter(h -> h.id().equals(handoutId) && h.language().equals(language))
        .sorted(Comparator.comparing((HandoutVersion h) -> SemanticVersion.parse(h.version())).reversed())
        .toList();
  }

  public Optional<HandoutVersion> handout(String handoutId, String language, String version) {
    return handouts.stream()
        .filter(h -> h.id().equals(handoutId) && h.language().equals(language) && h.version().equals(version))
        .findFirst();
  }

  public List<String> codeSystemsJson() {
    return codeSystemsJson;
  }
}
