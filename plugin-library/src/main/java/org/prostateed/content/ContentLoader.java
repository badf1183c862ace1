package org.prostateed.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vladsch.flexmark.ext.yaml.front.matter.AbstractYamlFrontMatterVisitor;
import com.vladsch.flexmark.ext.yaml.front.matter.YamlFrontMatterExtension;
import com.vladsch.flexmark.parser.Parser;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the content library from a folder (or the copy packed in the jar) and checks that it is
 * complete and consistent. Any problem stops the load with the file, the field and the reason.
 */
public final class ContentLoader {

  /** Base of the extensions that carry the clinical meaning of questionnaire items. */
  public static final String EXTENSION_BASE = "http://prostateed.org/fhir/StructureDefinition/";

  private static final String CLASSPATH_ROOT = "content/catalog.json";
  private static final List<String> FRONT_MATTER_KEYS =
      List.of("id", "version", "language", "title", "status", "reviewDue", "source", "evidence");

  private final ObjectMapper json;
  private final Parser frontMatterParser =
      Parser.builder().extensions(List.of(YamlFrontMatterExtension.create())).build();

  public ContentLoader(ObjectMapper json) {
    this.json = json;
  }

  /** Loads the library packed with the plugin. */
  public ContentLibrary loadPackaged() {
    URL catalog = ContentLoader.class.getClassLoader().getResource(CLASSPATH_ROOT);
    if (catalog == null) {
      throw new ContentException(List.of(CLASSPATH_ROOT + ": not found on the class path"));
    }
    try {
      URI uri = catalog.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem jar = openJar(uri)) {
          return load(jar.provider().getPath(uri).getParent());
        }
      }
      return load(Path.of(uri).getParent());
    } catch (URISyntaxException | IOException e) {
      throw new ContentException(List.of(CLASSPATH_ROOT + ": cannot be read (" + e.getMessage() + ")"));
    }
  }

  private static FileSystem openJar(URI uri) throws IOException {
    try {
      FileSystems.getFileSystem(uri);
      throw new IOException("the plugin jar is already open elsewhere");
    } catch (FileSystemNotFoundException notOpen) {
      return FileSystems.newFileSystem(uri, Map.of());
    }
  }

  /** Loads and validates the library in {@code root}. */
  public ContentLibrary load(Path root) {
    Problems problems = new Problems(root);
    List<Artifact> artifacts = new ArrayList<>();
    List<CodeSet> codeSets = new ArrayList<>();
    for (Path file : files(root.resolve("valuesets"), ".json", problems)) {
      readJson(file, problems).ifPresent(node -> {
        codeSet(file, node, problems).ifPresent(codeSets::add);
        artifact(root, file, node, problems).ifPresent(artifacts::add);
      });
    }
    List<String> codeSystems = new ArrayList<>();
    Map<String, List<Coded>> codeSystemConcepts = new HashMap<>();
    Path codeSystemDir = root.resolve("codesystems");
    if (Files.isDirectory(codeSystemDir)) {
      for (Path file : files(codeSystemDir, ".json", problems)) {
        readJson(file, problems).ifPresent(node -> {
          if (requireResource(file, node, "CodeSystem", problems)) {
            codeSystems.add(node.toString());
            codeSystemConcepts.put(text(node, "url"), concepts(node));
            artifact(root, file, node, problems).ifPresent(artifacts::add);
          }
        });
      }
    }
    List<ContraindicationQuestionnaire> questionnaires = new ArrayList<>();
    for (Path file : files(root.resolve("questionnaire"), ".json", problems)) {
      readJson(file, problems).ifPresent(node -> {
        questionnaire(file, node, codeSystemConcepts, problems).ifPresent(questionnaires::add);
        artifact(root, file, node, problems).ifPresent(artifacts::add);
      });
    }
    List<HandoutVersion> handouts = new ArrayList<>();
    Path handoutDir = root.resolve("handouts");
    for (Path folder : folders(handoutDir, problems)) {
      for (Path file : files(folder, ".md", problems)) {
        handout(file, problems).ifPresent(handout -> {
          handouts.add(handout);
          artifacts.add(new Artifact(handout.path(), handout.version(), handout.status(), handout.sha256()));
        });
      }
    }
    List<EducationItem> items = catalog(root.resolve(ContentPaths.CATALOG), problems);
    List<Approval> approvals = approvals(root.resolve("approvals"), problems);
    LocalSettings settings = settings(root, root.resolve(ContentPaths.SETTINGS), artifacts, problems);
    StopSigns stopSigns = stopSigns(root, root.resolve(ContentPaths.STOP_SIGNS), artifacts, problems);

    checkReferences(items, questionnaires, codeSets, handouts, problems);
    if (settings != null && stopSigns != null && problems.none()) {
      new HandoutCheck(questionnaires, items, handouts, settings, stopSigns, problems::add).check();
      checkWindows(questionnaires, settings, problems);
    }
    problems.throwIfAny();
    return new ContentLibrary(items, questionnaires, codeSets, handouts, codeSystems, approvals, settings,
        stopSigns, artifacts);
  }

  /** A governed file's version, status and hash, which an approval is bound to. */
  private static Optional<Artifact> artifact(Path root, Path file, JsonNode node, Problems problems) {
    String version = text(node, "version");
    String status = text(node, "status");
    if (version == null || status == null) {
      problems.add(file, version == null ? "version" : "status", "is missing");
      return Optional.empty();
    }
    try {
      return Optional.of(new Artifact(root.relativize(file).toString().replace('\\', '/'), version,
          PublicationStatus.fromCode(status), sha256(Files.readAllBytes(file))));
    } catch (IllegalArgumentException | IOException e) {
      problems.add(file, "status", e.getMessage());
      return Optional.empty();
    }
  }

  private static List<Coded> concepts(JsonNode codeSystem) {
    List<Coded> concepts = new ArrayList<>();
    for (JsonNode concept : codeSystem.path("concept")) {
      concepts.add(new Coded(text(codeSystem, "url"), text(concept, "code"), text(concept, "display")));
    }
    return concepts;
  }

  /** Every item with a windowed rule has its window in the settings, and every window names such an item. */
  private static void checkWindows(List<ContraindicationQuestionnaire> questionnaires, LocalSettings settings,
      Problems problems) {
    List<String> windowed = new ArrayList<>();
    for (ContraindicationQuestionnaire questionnaire : questionnaires) {
      for (ContraindicationItem item : questionnaire.items()) {
        if (item.prefillRules().stream().anyMatch(rule -> rule.source().windowed())) {
          windowed.add(item.linkId());
          if (settings.windowWeeks(item.linkId()).isEmpty()) {
            problems.add(ContentPaths.SETTINGS + ": windowWeeks: item " + item.linkId() + " of questionnaire "
                + questionnaire.id() + " has a windowed pre-fill rule and no window");
          }
        }
        boolean adjusts = item.prefillRules().stream()
            .anyMatch(rule -> rule.source() == PrefillRule.Source.OBSERVATION_MEDICATION);
        boolean observes = item.prefillRules().stream()
            .anyMatch(rule -> rule.source() == PrefillRule.Source.OBSERVATION);
        if (adjusts && !observes) {
          problems.add("questionnaire " + questionnaire.id() + ": item " + item.linkId() + ": "
              + PrefillRule.Source.OBSERVATION_MEDICATION.extension() + " needs a "
              + PrefillRule.Source.OBSERVATION.extension() + " on the same item");
        }
      }
    }
    for (String linkId : settings.windowWeeks().keySet()) {
      if (!windowed.contains(linkId)) {
        problems.add(ContentPaths.SETTINGS + ": windowWeeks." + linkId + ": no item with a windowed rule has this linkId");
      }
    }
  }

  private List<Approval> approvals(Path dir, Problems problems) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Approval> approvals = new ArrayList<>();
    for (Path file : files(dir, ".json", problems)) {
      Optional<JsonNode> node = readJson(file, problems);
      if (node.isEmpty()) {
        continue;
      }
      List<String> values = new ArrayList<>();
      for (String field : List.of("artifact", "version", "sha256", "approver", "role", "date")) {
        values.add(required(file, node.get(), "", field, problems));
      }
      if (values.contains(null)) {
        continue;
      }
      try {
        approvals.add(new Approval(values.get(0), values.get(1), values.get(2), values.get(3), values.get(4),
            LocalDate.parse(values.get(5))));
      } catch (DateTimeParseException e) {
        problems.add(file, "date", "is not an ISO date: " + values.get(5));
      }
    }
    return approvals;
  }

  /**
   * The settings: {@code version}, {@code status}, every key of {@link LocalSettings#VALUE_KEYS}
   * under {@code values}, the windows by linkId under {@code windowWeeks}, and under
   * {@code sources} a source for every value and window ({@code windowWeeks.<linkId>}).
   */
  private LocalSettings settings(Path root, Path file, List<Artifact> artifacts, Problems problems) {
    Optional<JsonNode> node = Files.exists(file) ? readJson(file, problems) : Optional.empty();
    if (node.isEmpty()) {
      if (!Files.exists(file)) {
        problems.add(file, "", "is missing: every setting must be set, with its source");
      }
      return null;
    }
    JsonNode json = node.get();
    artifact(root, file, json, problems).ifPresent(artifacts::add);
    JsonNode values = json.path("values");
    JsonNode sources = json.path("sources");
    json.fieldNames().forEachRemaining(name -> {
      if (!List.of("version", "status", "description", "values", "windowWeeks", "sources").contains(name)) {
        problems.add(file, name, "is not a known key (version, status, description, values, windowWeeks, sources)");
      }
    });
    values.fieldNames().forEachRemaining(name -> {
      if (!LocalSettings.VALUE_KEYS.contains(name)) {
        problems.add(file, "values." + name, "is not a known setting (" + String.join(", ", LocalSettings.VALUE_KEYS) + ")");
      }
    });
    List<String> sourced = new ArrayList<>();
    for (String key : LocalSettings.VALUE_KEYS) {
      JsonNode value = values.get(key);
      if (value == null || !value.isNumber() || value.asDouble() < 0) {
        problems.add(file, "values." + key, "must be set to a number, zero or more");
      }
      sourced.add(key);
    }
    Map<String, Integer> windows = new HashMap<>();
    json.path("windowWeeks").fields().forEachRemaining(window -> {
      if (!window.getValue().canConvertToInt() || window.getValue().asInt() < 1) {
        problems.add(file, "windowWeeks." + window.getKey(), "must be a whole number of weeks, 1 or more");
      } else {
        windows.put(window.getKey(), window.getValue().asInt());
      }
      sourced.add("windowWeeks." + window.getKey());
    });
    for (String key : sourced) {
      if (text(sources, key) == null || text(sources, key).isBlank()) {
        problems.add(file, "sources." + key, "is missing: say where the value comes from, or that it is a product"
            + " decision for the clinical owner to confirm");
      }
    }
    String status = text(json, "status");
    if (problems.has(file) || status == null) {
      return null;
    }
    return new LocalSettings(text(json, "version"), PublicationStatus.fromCode(status),
        values.get("psaThresholdNgPerMl").asDouble(), values.get("psaWindowMonths").asInt(),
        values.get("psaMedicationFactor").asDouble(), values.get("psaMedicationMinMonths").asInt(),
        values.get("responseMaxAgeHours").asInt(), values.get("reviewGraceDays").asInt(),
        values.get("defaultReviewYears").asInt(), values.get("noBenefitReviewWeeks").asInt(), windows);
  }

  /** The stop signs every handout must list, each with its route and the source of that routing. */
  private StopSigns stopSigns(Path root, Path file, List<Artifact> artifacts, Problems problems) {
    if (!Files.exists(file)) {
      problems.add(file, "", "is missing: the stop-and-get-help signs and their routes");
      return null;
    }
    Optional<JsonNode> node = readJson(file, problems);
    if (node.isEmpty()) {
      return null;
    }
    artifact(root, file, node.get(), problems).ifPresent(artifacts::add);
    Map<String, String> routes = new java.util.LinkedHashMap<>();
    node.get().path("routes").forEach(route -> {
      String code = required(file, route, "routes", "code", problems);
      String meaning = required(file, route, "routes", "meaning", problems);
      if (code != null && meaning != null) {
        routes.put(code, meaning);
      }
    });
    List<StopSigns.Sign> signs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    node.get().path("signs").forEach(sign -> {
      String id = required(file, sign, "signs", "id", problems);
      String route = required(file, sign, "signs[" + id + "]", "route", problems);
      String meaning = required(file, sign, "signs[" + id + "]", "meaning", problems);
      String source = required(file, sign, "signs[" + id + "]", "source", problems);
      if (id != null && ids.contains(id)) {
        problems.add(file, "signs[" + id + "]", "is listed twice");
      }
      ids.add(id);
      if (route != null && !routes.containsKey(route)) {
        problems.add(file, "signs[" + id + "].route", "'" + route + "' is not one of the routes " + routes.keySet());
      }
      if (id != null && route != null && meaning != null && source != null) {
        signs.add(new StopSigns.Sign(id, route, meaning, source));
      }
    });
    if (signs.isEmpty()) {
      problems.add(file, "signs", "must list at least one sign");
    }
    return problems.has(file) ? null : new StopSigns(routes, signs);
  }

  private void checkReferences(
      List<EducationItem> items,
      List<ContraindicationQuestionnaire> questionnaires,
      List<CodeSet> codeSets,
      List<HandoutVersion> handouts,
      Problems problems) {
    Map<String, CodeSet> setsByUrl = new HashMap<>();
    codeSets.forEach(set -> setsByUrl.putIfAbsent(set.url(), set));
    for (EducationItem item : items) {
      String where = "catalog.json: items[" + item.id() + "]";
      if (questionnaires.stream().noneMatch(q -> q.url().equals(item.questionnaireUrl()))) {
        problems.add(where + ".questionnaire: no questionnaire has url " + item.questionnaireUrl());
      }
      if (handouts.stream().noneMatch(h -> h.id().equals(item.handoutId()))) {
        problems.add(where + ".handout: no handout has id " + item.handoutId());
      }
      CodeSet overrideReasons = item.overrideReasons() == null ? null : setsByUrl.get(item.overrideReasons());
      if (item.overrideReasons() == null) {
        // reported as missing by the catalog
      } else if (overrideReasons == null) {
        problems.add(where + ".overrideReasons: no value set has url " + item.overrideReasons());
      } else if (overrideReasons.hasIsA() || overrideReasons.rules().isEmpty()
          || overrideReasons.rules().stream().anyMatch(rule -> rule.display() == null)) {
        problems.add(where + ".overrideReasons: " + item.overrideReasons() + " must list each reason as an exact"
            + " code with its display: a card offers them as they are");
      }
      for (EducationItem.QualifyingSet set : item.qualifying()) {
        CodeSet qualifying = setsByUrl.get(set.valueSetUrl());
        if (qualifying == null) {
          problems.add(where + ".qualifying: no value set has url " + set.valueSetUrl());
        } else if (qualifying.hasIsA() && qualifying.expansion().isEmpty()) {
          problems.add(where + ".qualifying: " + set.valueSetUrl() + " has is-a rules and no expansion: the chart is"
              + " searched by exact code, so list every code below them in the value set's expansion");
        }
      }
    }
    for (ContraindicationQuestionnaire questionnaire : questionnaires) {
      for (ContraindicationItem item : questionnaire.items()) {
        for (PrefillRule rule : item.prefillRules()) {
          String where = "questionnaire " + questionnaire.id() + ": item " + item.linkId() + ": "
              + rule.source().extension() + " " + rule.valueSetUrl();
          CodeSet set = setsByUrl.get(rule.valueSetUrl());
          if (set == null) {
            problems.add(where + " is not in valuesets/");
          } else if (rule.source() == PrefillRule.Source.OBSERVATION) {
            // The CDS service asks the EHR for observations by these codes (a token search, exact).
            set.rules().stream().filter(CodeSet.Rule::descendants).forEach(isA -> problems.add(where
                + " has an is-a rule (" + isA.system() + " " + isA.code() + "); observations are asked of the EHR"
                + " by exact code, so list each code as a concept"));
          } else if (set.hasIsA() && set.expansion().isEmpty() && rule.source().records() != PrefillRule.Record.MEDICATION) {
            // Medicines are searched by status and matched by code or name here: no expansion needed.
            problems.add(where + " has is-a rules and no expansion: the chart is searched by exact code, so list"
                + " every code below them in the value set's expansion");
          }
        }
      }
    }
    List<String> keys = new ArrayList<>();
    for (HandoutVersion handout : handouts) {
      if (keys.contains(handout.key())) {
        problems.add("handouts: " + handout.key() + " is defined twice");
      }
      keys.add(handout.key());
    }
  }

  private List<EducationItem> catalog(Path file, Problems problems) {
    Optional<JsonNode> catalog = readJson(file, problems);
    if (catalog.isEmpty()) {
      return List.of();
    }
    JsonNode itemsNode = catalog.get().path("items");
    if (!itemsNode.isArray() || itemsNode.isEmpty()) {
      problems.add(file, "items", "must list at least one education item");
      return List.of();
    }
    List<EducationItem> items = new ArrayList<>();
    for (JsonNode node : itemsNode) {
      String id = text(node, "id");
      String field = "items[" + (id == null ? items.size() : id) + "]";
      String title = required(file, node, field, "title", problems);
      String questionnaire = required(file, node, field, "questionnaire", problems);
      String handout = required(file, node, field, "handout", problems);
      if (id == null) {
        problems.add(file, field + ".id", "is missing");
        continue;
      }
      List<EducationItem.QualifyingSet> qualifying = new ArrayList<>();
      for (JsonNode set : node.path("qualifying")) {
        String valueSet = required(file, set, field + ".qualifying", "valueSet", problems);
        String indication = required(file, set, field + ".qualifying", "indication", problems);
        if (valueSet != null && indication != null) {
          qualifying.add(new EducationItem.QualifyingSet(valueSet, indication));
        }
      }
      if (qualifying.isEmpty()) {
        problems.add(file, field + ".qualifying", "must name at least one value set");
      }
      Optional<Coded> documentType = node.has("documentType")
          ? Optional.of(coded(node.get("documentType")))
          : Optional.empty();
      Optional<EducationItem.TeachBack> teachBack = Optional.empty();
      if (node.has("teachBack")) {
        JsonNode teach = node.get("teachBack");
        List<Coded> results = new ArrayList<>();
        teach.path("results").forEach(result -> results.add(coded(result)));
        if (!teach.has("code") || results.isEmpty()) {
          problems.add(file, field + ".teachBack", "needs a code and at least one result");
        } else {
          teachBack = Optional.of(new EducationItem.TeachBack(coded(teach.get("code")), results));
        }
      }
      Map<String, String> generalAnswers = new java.util.LinkedHashMap<>();
      node.path("generalAnswers").fields().forEachRemaining(answer -> generalAnswers.put(answer.getKey(),
          answer.getValue().asText()));
      String overrideReasons = required(file, node, field, "overrideReasons", problems);
      items.add(new EducationItem(id, title, questionnaire, handout, documentType, qualifying, teachBack,
          generalAnswers, overrideReasons));
    }
    return items;
  }

  private Optional<CodeSet> codeSet(Path file, JsonNode node, Problems problems) {
    if (!requireResource(file, node, "ValueSet", problems)) {
      return Optional.empty();
    }
    String id = required(file, node, "", "id", problems);
    String url = required(file, node, "", "url", problems);
    String version = required(file, node, "", "version", problems);
    List<CodeSet.Rule> rules = new ArrayList<>();
    for (JsonNode include : node.path("compose").path("include")) {
      String system = required(file, include, "compose.include", "system", problems);
      if (system == null) {
        continue;
      }
      for (JsonNode concept : include.path("concept")) {
        String code = required(file, concept, "compose.include.concept", "code", problems);
        if (code != null) {
          requireCodeSource(file, concept, "compose.include.concept[" + code + "]", problems);
          rules.add(new CodeSet.Rule(system, code, text(concept, "display"), false));
        }
      }
      for (JsonNode filter : include.path("filter")) {
        if (!"concept".equals(text(filter, "property")) || !"is-a".equals(text(filter, "op"))) {
          problems.add(file, "compose.include.filter", "only property 'concept' with op 'is-a' is supported");
          continue;
        }
        String code = required(file, filter, "compose.include.filter", "value", problems);
        if (code != null) {
          requireCodeSource(file, filter, "compose.include.filter[" + code + "]", problems);
          rules.add(new CodeSet.Rule(system, code, text(filter, "display"), true));
        }
      }
    }
    if (rules.isEmpty()) {
      problems.add(file, "compose.include", "includes no code");
    }
    List<CodeSet.Rule> expansion = new ArrayList<>();
    // One code-source on the expansion confirms every code it lists; a code may name its own.
    boolean sourcedWhole = !extensions(node.path("expansion"), "code-source").isEmpty();
    if (sourcedWhole) {
      requireCodeSource(file, node.path("expansion"), "expansion", problems);
    }
    for (JsonNode contains : node.path("expansion").path("contains")) {
      String system = required(file, contains, "expansion.contains", "system", problems);
      String code = required(file, contains, "expansion.contains", "code", problems);
      if (system == null || code == null) {
        continue;
      }
      if (!sourcedWhole || !extensions(contains, "code-source").isEmpty()) {
        requireCodeSource(file, contains, "expansion.contains[" + code + "]", problems);
      }
      if (rules.stream().noneMatch(rule -> rule.descendants() && rule.matches(system, code))) {
        problems.add(file, "expansion.contains[" + code + "]", "is below none of the value set's is-a rules");
      }
      expansion.add(new CodeSet.Rule(system, code, text(contains, "display"), false));
    }
    if (id == null || url == null || version == null) {
      return Optional.empty();
    }
    return Optional.of(new CodeSet(id, url, version, text(node, "title"), rules, expansion, node.toString()));
  }

  /**
   * Every shipped code says where it was confirmed: a {@code code-source} extension with a
   * {@code url} (valueUri) and the date it was {@code checked} (valueDate).
   */
  private static void requireCodeSource(Path file, JsonNode element, String field, Problems problems) {
    Optional<JsonNode> source = extensions(element, "code-source").stream().findFirst();
    String url = source.map(ext -> subExtension(ext, "url", "valueUri")).orElse(null);
    String checked = source.map(ext -> subExtension(ext, "checked", "valueDate")).orElse(null);
    if (url == null || url.isBlank() || checked == null) {
      problems.add(file, field, "has no code-source (the url of a public page confirming the code, and the date"
          + " it was checked)");
      return;
    }
    try {
      LocalDate.parse(checked);
    } catch (DateTimeParseException e) {
      problems.add(file, field + ".code-source.checked", "is not an ISO date: " + checked);
    }
  }

  private static String subExtension(JsonNode extension, String url, String valueField) {
    for (JsonNode sub : extension.path("extension")) {
      if (url.equals(text(sub, "url"))) {
        return text(sub, valueField);
      }
    }
    return null;
  }

  private Optional<ContraindicationQuestionnaire> questionnaire(Path file, JsonNode node,
      Map<String, List<Coded>> codeSystems, Problems problems) {
    if (!requireResource(file, node, "Questionnaire", problems)) {
      return Optional.empty();
    }
    String id = required(file, node, "", "id", problems);
    String url = required(file, node, "", "url", problems);
    String version = required(file, node, "", "version", problems);
    List<ContraindicationItem> items = new ArrayList<>();
    List<String> linkIds = new ArrayList<>();
    for (JsonNode itemNode : node.path("item")) {
      String linkId = text(itemNode, "linkId");
      String field = "item[" + (linkId == null ? items.size() : linkId) + "]";
      if (linkId == null) {
        problems.add(file, field + ".linkId", "is missing");
        continue;
      }
      if (linkIds.contains(linkId)) {
        problems.add(file, field + ".linkId", "is used twice");
      }
      linkIds.add(linkId);
      String text = required(file, itemNode, field, "text", problems);
      String severityCode = extensionValue(itemNode, "contraindication-severity", "valueCode");
      String rationale = extensionValue(itemNode, "item-rationale", "valueString");
      String trace = extensionValue(itemNode, "item-trace", "valueString");
      if (severityCode == null) {
        problems.add(file, field + ".extension[contraindication-severity]", "is missing");
      }
      if (rationale == null || rationale.isBlank()) {
        problems.add(file, field + ".extension[item-rationale]", "is missing");
      }
      if (trace == null || trace.isBlank()) {
        problems.add(file, field + ".extension[item-trace]", "is missing");
      }
      Severity severity = null;
      if (severityCode != null) {
        try {
          severity = Severity.fromCode(severityCode);
        } catch (IllegalArgumentException e) {
          problems.add(file, field + ".extension[contraindication-severity]", e.getMessage());
        }
      }
      List<Coded> options = new ArrayList<>();
      for (JsonNode option : itemNode.path("answerOption")) {
        if (option.has("valueCoding")) {
          options.add(coded(option.get("valueCoding")));
        } else {
          problems.add(file, field + ".answerOption", "only valueCoding answers are supported");
        }
      }
      if (!"choice".equals(text(itemNode, "type")) || options.isEmpty()) {
        problems.add(file, field + ".type", "must be 'choice' with answerOption codings");
      }
      List<PrefillRule> prefill = new ArrayList<>();
      for (PrefillRule.Source source : PrefillRule.Source.values()) {
        for (JsonNode extension : extensions(itemNode, source.extension())) {
          prefill.add(new PrefillRule(source, extension.path("valueCanonical").asText()));
        }
      }
      Optional<Coded> blocking = codingExtension(itemNode, "blocking-answer");
      Optional<Coded> releaseRequires = codingExtension(itemNode, "release-requires");
      for (Coded declared : List.of(blocking, releaseRequires).stream().flatMap(Optional::stream).toList()) {
        if (options.stream().noneMatch(declared::sameCode)) {
          problems.add(file, field, "names answer " + declared + " that is not one of its answerOptions");
        }
      }
      if (severity == Severity.GATE && blocking.isEmpty()) {
        problems.add(file, field + ".extension[blocking-answer]", "a gate item needs its blocking answer");
      }
      if (severity != null && text != null && rationale != null && trace != null) {
        items.add(new ContraindicationItem(linkId, text, severity,
            itemNode.path("required").asBoolean(false), rationale, trace, options, prefill,
            blocking, releaseRequires));
      }
    }
    if (items.isEmpty()) {
      problems.add(file, "item", "has no usable item");
    }
    List<Coded> ruleOutReasons = List.of();
    String ruleOut = extensionValue(node, "rule-out-reasons", "valueCanonical");
    if (ruleOut != null) {
      ruleOutReasons = codeSystems.getOrDefault(ruleOut, List.of());
      if (ruleOutReasons.isEmpty()) {
        problems.add(file, "extension[rule-out-reasons]", ruleOut + " is not a code system of codesystems/ with concepts");
      }
    } else if (items.stream().anyMatch(item -> item.severity() == Severity.ABSOLUTE
        && item.option(YesNoUnknown.UNKNOWN.system(), YesNoUnknown.UNKNOWN.code()).isPresent())) {
      problems.add(file, "extension[rule-out-reasons]", "is missing: an absolute item can be answered \"don't know\","
          + " and the clinician must then record what was done to rule it out");
    }
    if (id == null || url == null || version == null) {
      return Optional.empty();
    }
    return Optional.of(new ContraindicationQuestionnaire(
        id, url, version, text(node, "title"), items, ruleOutReasons, node.toString()));
  }

  private Optional<HandoutVersion> handout(Path file, Problems problems) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      problems.add(file, "", "cannot be read: " + e.getMessage());
      return Optional.empty();
    }
    String text = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
    if (!text.startsWith("---\n")) {
      problems.add(file, "front matter", "the file must start with a '---' front matter block");
      return Optional.empty();
    }
    int end = text.indexOf("\n---\n", 3);
    if (end < 0) {
      problems.add(file, "front matter", "the front matter block is not closed by '---'");
      return Optional.empty();
    }
    AbstractYamlFrontMatterVisitor visitor = new AbstractYamlFrontMatterVisitor();
    visitor.visit(frontMatterParser.parse(text.substring(0, end + 5)));
    Map<String, List<String>> front = visitor.getData();
    for (String key : FRONT_MATTER_KEYS) {
      List<String> values = front.get(key);
      if (values == null || values.isEmpty() || values.stream().allMatch(String::isBlank)) {
        problems.add(file, "front matter." + key, "is missing");
      }
    }
    if (FRONT_MATTER_KEYS.stream().anyMatch(key -> front.get(key) == null || front.get(key).isEmpty())) {
      return Optional.empty();
    }
    PublicationStatus status;
    LocalDate reviewDue;
    try {
      status = PublicationStatus.fromCode(single(front, "status"));
      reviewDue = LocalDate.parse(single(front, "reviewDue"));
      SemanticVersion.parse(single(front, "version"));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      problems.add(file, "front matter", e.getMessage());
      return Optional.empty();
    }
    String id = single(front, "id");
    String language = single(front, "language");
    String expectedName = id + "." + language + ".md";
    if (!file.getFileName().toString().equals(expectedName)) {
      problems.add(file, "file name", "must be " + expectedName + " for id " + id + " and language " + language);
    }
    String markdown = text.substring(end + 5);
    HandoutMarkup.Parsed markup;
    try {
      markup = HandoutMarkup.parse(markdown);
    } catch (IllegalArgumentException e) {
      problems.add(file, "body", e.getMessage());
      return Optional.empty();
    }
    Optional<HandoutVersion.Translation> translation = Optional.empty();
    List<String> translationKeys = List.of("translatedFrom", "translatedFromVersion", "translatedFromSha256");
    long given = translationKeys.stream().filter(front::containsKey).count();
    if (given == translationKeys.size()) {
      translation = Optional.of(new HandoutVersion.Translation(single(front, "translatedFrom"),
          single(front, "translatedFromVersion"), single(front, "translatedFromSha256")));
    } else if (given > 0) {
      problems.add(file, "front matter", "a translation names all of " + translationKeys + ", or none");
    }
    Optional<String> draftMark = Optional.ofNullable(front.get("draftMark")).filter(v -> !v.isEmpty())
        .map(v -> unquote(v.get(0))).filter(v -> !v.isBlank());
    if (translation.isPresent() && draftMark.isEmpty()) {
      problems.add(file, "front matter.draftMark", "a translation names the words that mark a draft in its language");
    }
    return Optional.of(new HandoutVersion(id, single(front, "version"), language, single(front, "title"),
        status, reviewDue, single(front, "source"), front.get("evidence").stream().map(ContentLoader::unquote).toList(),
        translation, draftMark, markdown, markup, bytes, sha256(bytes)));
  }

  private static String single(Map<String, List<String>> front, String key) {
    return unquote(front.get(key).get(0));
  }

  private static String unquote(String value) {
    String trimmed = value.trim();
    if (trimmed.length() >= 2
        && (trimmed.startsWith("\"") && trimmed.endsWith("\"") || trimmed.startsWith("'") && trimmed.endsWith("'"))) {
      return trimmed.substring(1, trimmed.length() - 1);
    }
    return trimmed;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private Optional<JsonNode> readJson(Path file, Problems problems) {
    try {
      return Optional.of(json.readTree(Files.readAllBytes(file)));
    } catch (IOException e) {
      problems.add(file, "", "is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
      return Optional.empty();
    }
  }

  private static boolean requireResource(Path file, JsonNode node, String type, Problems problems) {
    if (!type.equals(text(node, "resourceType"))) {
      problems.add(file, "resourceType", "must be " + type);
      return false;
    }
    return true;
  }

  private static List<Path> files(Path dir, String suffix, Problems problems) {
    if (!Files.isDirectory(dir)) {
      problems.add(dir, "", "folder is missing");
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      problems.add(dir, "", "cannot be listed: " + e.getMessage());
      return List.of();
    }
  }

  private static List<Path> folders(Path dir, Problems problems) {
    if (!Files.isDirectory(dir)) {
      problems.add(dir, "", "folder is missing");
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      problems.add(dir, "", "cannot be listed: " + e.getMessage());
      return List.of();
    }
  }

  private static String required(Path file, JsonNode node, String parent, String field, Problems problems) {
    String value = text(node, field);
    if (value == null || value.isBlank()) {
      problems.add(file, parent.isEmpty() ? field : parent + "." + field, "is missing");
      return null;
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Coded coded(JsonNode coding) {
    return new Coded(text(coding, "system"), text(coding, "code"), text(coding, "display"));
  }

  private static List<JsonNode> extensions(JsonNode node, String name) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode extension : node.path("extension")) {
      if ((EXTENSION_BASE + name).equals(text(extension, "url"))) {
        found.add(extension);
      }
    }
    return found;
  }

  private static String extensionValue(JsonNode node, String name, String valueField) {
    return extensions(node, name).stream().findFirst().map(ext -> text(ext, valueField)).orElse(null);
  }

  private static Optional<Coded> codingExtension(JsonNode node, String name) {
    return extensions(node, name).stream().findFirst()
        .filter(ext -> ext.has("valueCoding"))
        .map(ext -> coded(ext.get("valueCoding")));
  }

  /** Collects problems, each naming the file relative to the library root. */
  private static final class Problems {
    private final Path root;
    private final List<String> list = new ArrayList<>();

    Problems(Path root) {
      this.root = root;
    }

    void add(Path file, String field, String reason) {
      String name = root.relativize(file).toString().replace('\\', '/');
      list.add(name + (field.isEmpty() ? "" : ": " + field) + ": " + reason);
    }

    void add(String problem) {
      list.add(problem);
    }

    boolean none() {
      return list.isEmpty();
    }

    /** Whether a problem has been found in this file. */
    boolean has(Path file) {
      String name = root.relativize(file).toString().replace('\\', '/');
      return list.stream().anyMatch(problem -> problem.startsWith(name + ":") || problem.equals(name));
    }

    void throwIfAny() {
      if (!list.isEmpty()) {
        throw new ContentException(list);
      }
    }
  }
}
