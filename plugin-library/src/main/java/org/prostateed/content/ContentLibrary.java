package org.prostateed.content;

import java.util.ArrayList;
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
  private final StopSigns stopSigns;
  private final List<Artifact> artifacts;

  public ContentLibrary(
      List<EducationItem> items,
      List<ContraindicationQuestionnaire> questionnaires,
      List<CodeSet> codeSets,
      List<HandoutVersion> handouts,
      List<String> codeSystemsJson,
      List<Approval> approvals,
      LocalSettings settings,
      StopSigns stopSigns,
      List<Artifact> artifacts) {
    this.items = List.copyOf(items);
    this.questionnaires = questionnaires.stream()
        .collect(Collectors.toUnmodifiableMap(ContraindicationQuestionnaire::url, Function.identity()));
    this.codeSets = codeSets.stream()
        .collect(Collectors.toUnmodifiableMap(CodeSet::url, Function.identity()));
    this.handouts = List.copyOf(handouts);
    this.codeSystemsJson = List.copyOf(codeSystemsJson);
    this.approvals = List.copyOf(approvals);
    this.settings = settings;
    this.stopSigns = stopSigns;
    this.artifacts = List.copyOf(artifacts);
  }

  public LocalSettings settings() {
    return settings;
  }

  public StopSigns stopSigns() {
    return stopSigns;
  }

  public List<Approval> approvals() {
    return approvals;
  }

  /** Every file that needs a clinician's approval before it is used outside demo mode. */
  public List<Artifact> artifacts() {
    return artifacts;
  }

  /** The approval that still matches this exact handout version, if any. */
  public Optional<Approval> approval(HandoutVersion handout) {
    return approval(handout.path(), handout.version(), handout.sha256());
  }

  /** The approval that still matches this exact file, if any. */
  public Optional<Approval> approval(Artifact artifact) {
    return approval(artifact.path(), artifact.version(), artifact.sha256());
  }

  private Optional<Approval> approval(String path, String version, String sha256) {
    return approvals.stream()
        .filter(approval -> approval.artifact().equals(path) && approval.sha256().equals(sha256)
            && approval.version().equals(version))
        .findFirst();
  }

  /**
   * Why a translation may not be given: the version it was translated from is no longer the one in
   * the library, or its text has changed since. Empty for an original, or a translation still in step.
   */
  public Optional<String> staleTranslation(HandoutVersion handout) {
    if (handout.translation().isEmpty()) {
      return Optional.empty();
    }
    HandoutVersion.Translation from = handout.translation().get();
    List<HandoutVersion> originals = handoutVersions(handout.id(), from.language());
    Optional<HandoutVersion> same = originals.stream().filter(o -> o.version().equals(from.version())).findFirst();
    if (same.isEmpty()) {
      return Optional.of(handout.key() + " was translated from " + from.language() + " " + from.version()
          + ", which is no longer in the library (now "
          + originals.stream().map(HandoutVersion::version).collect(Collectors.joining(", ")) + "): translate it again");
    }
    if (!same.get().sha256().equals(from.sha256())) {
      return Optional.of(handout.key() + " was translated from " + from.language() + " " + from.version()
          + " as it was before its text changed (sha256 " + abbreviate(from.sha256()) + ", now "
          + abbreviate(same.get().sha256()) + "): translate it again and have it approved");
    }
    return Optional.empty();
  }

  private static String abbreviate(String sha256) {
    return sha256.length() > 12 ? sha256.substring(0, 12) : sha256;
  }

  /**
   * The files an education item rests on that are not active with a matching approval: its
   * questionnaire, the value sets and code systems the questionnaire names, the settings and the
   * stop signs. Outside demo mode an item is given only when this is empty.
   */
  public List<Artifact> unapproved(EducationItem item) {
    ContraindicationQuestionnaire questionnaire = questionnaire(item.questionnaireUrl());
    List<String> paths = new ArrayList<>();
    paths.add("questionnaire/" + questionnaire.id() + ".json");
    item.qualifying().forEach(set -> paths.add("valuesets/" + codeSet(set.valueSetUrl()).id() + ".json"));
    questionnaire.items().forEach(question -> question.prefillRules()
        .forEach(rule -> paths.add("valuesets/" + codeSet(rule.valueSetUrl()).id() + ".json")));
    paths.add(ContentPaths.SETTINGS);
    paths.add(ContentPaths.STOP_SIGNS);
    return artifacts.stream()
        .filter(artifact -> paths.contains(artifact.path()) || artifact.path().startsWith("codesystems/"))
        .filter(artifact -> artifact.status() != PublicationStatus.ACTIVE || approval(artifact).isEmpty())
        .toList();
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
