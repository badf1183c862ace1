package org.prostateed.chart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.prostateed.content.CodeSet;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentException;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;
import org.prostateed.content.ContentValidator;
import org.prostateed.content.ContraindicationItem;
import org.prostateed.content.ContraindicationQuestionnaire;
import org.prostateed.content.EducationItem;
import org.prostateed.content.LocalSettings;
import org.prostateed.content.PrefillRule;
import org.prostateed.content.Severity;
import org.prostateed.content.YesNoUnknown;
import org.prostateed.engine.ChartPrefill;

/**
 * The questionnaire's pre-fill rules written as SDC expressions, so that any SDC renderer
 * pre-fills the form from the EHR's FHIR server by itself: {@code launchContext} (patient,
 * encounter), one {@code x-fhir-query} variable per chart search of {@link ChartQueries} (its
 * CDS prefetch template, without the date floors, which the expressions apply), and on every
 * item the chart can answer an {@code initialExpression} in FHIRPath that follows {@link
 * ChartPrefill} and {@link ChartRecords} rule by rule. An expression yields the item's "yes" (or,
 * for the gate, the indication) and nothing else: a missing record never answers "no".
 *
 * <p>The expressions are written into the questionnaire file ({@code content expressions}), so
 * the file a clinician approves is the file a renderer runs. These three extensions belong to the
 * generator; {@link #isCurrent} holds the file to its rules when content is loaded and validated.
 */
public final class ChartExpressions {

  public static final String LAUNCH_CONTEXT =
      "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-launchContext";
  public static final String VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable";
  public static final String INITIAL_EXPRESSION =
      "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression";
  private static final Set<String> GENERATED = Set.of(LAUNCH_CONTEXT, VARIABLE, INITIAL_EXPRESSION);
  private static final String OUTDATED = "its SDC pre-fill expressions are not those its pre-fill rules give; "
      + "run `fhir-plugin content --content-dir <dir> expressions` to write them, then approve the questionnaire again";
  private static final String LAUNCH_CONTEXT_CODES = "http://hl7.org/fhir/uv/sdc/CodeSystem/launchContext";

  /**
   * How many records one x-fhir-query asks for: an SDC renderer reads the first page only, where
   * {@code $populate} reads every page. Far above what one patient's matching records come to.
   */
  static final int PAGE_SIZE = 200;

  /** When an Observation was made, as {@code ChartRecords} reads it: effective, its start, or issued. */
  private static final String OBSERVED = "iif((effective.ofType(dateTime) | effective.ofType(instant)).exists(), "
      + "effective.ofType(dateTime) | effective.ofType(instant), iif(effective.ofType(Period).exists(), "
      + "effective.ofType(Period).start, issued))";
  private static final String CONDITIONS = "%conditions.entry.resource.ofType(Condition)";
  private static final String REQUESTS = "%medicationRequests.entry.resource.ofType(MedicationRequest)";
  private static final String STATEMENTS = "%medicationStatements.entry.resource.ofType(MedicationStatement)";

  private final ContentLibrary library;
  private final ChartQueries queries;
  private final ObjectMapper json = new ObjectMapper();

  public ChartExpressions(ContentLibrary library) {
    this.library = library;
    this.queries = new ChartQueries(library);
  }

  /** The canonical URLs of the questionnaires whose expressions are not those their rules give now. */
  public List<String> outdated() {
    List<String> outdated = new ArrayList<>();
    for (ContraindicationQuestionnaire questionnaire : library.questionnaires()) {
      if (!isCurrent(questionnaire)) {
        outdated.add(questionnaire.url());
      }
    }
    return outdated;
  }

  /**
   * The {@code content validate} check: every questionnaire carries the expressions its rules give.
   * A library that does not load is left to the loader's own findings.
   */
  public static ContentValidator.Check check(ObjectMapper json) {
    return root -> {
      ContentLibrary library;
      try {
        library = new ContentLoader(json).load(root);
      } catch (ContentException notLoaded) {
        return List.of();
      }
      return new ChartExpressions(library).outdated().stream()
          .map(url -> new ContentValidator.Finding(ContentValidator.Level.ERROR, url, OUTDATED)).toList();
    };
  }

  /** Refuses a library whose questionnaires run other pre-fill than their rules say. */
  public static void requireCurrent(ContentLibrary library) {
    List<String> outdated = new ChartExpressions(library).outdated();
    if (!outdated.isEmpty()) {
      throw new ContentException(outdated.stream().map(url -> url + ": " + OUTDATED).toList());
    }
  }

  /** Whether the questionnaire as shipped carries exactly the expressions its rules give. */
  public boolean isCurrent(ContraindicationQuestionnaire questionnaire) {
    try {
      return json.readTree(questionnaire.json()).equals(json.readTree(write(questionnaire)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the loaded questionnaire is not JSON", e);
    }
  }

  /**
   * The questionnaire's file with the generated extensions replaced by those its rules give now,
   * everything else as it was, written as the content files are (two spaces, {@code "key": value}).
   */
  public String write(ContraindicationQuestionnaire questionnaire) {
    try {
      ObjectNode root = (ObjectNode) json.readTree(questionnaire.json());
      ArrayNode extensions = replaceGenerated(root);
      extensions.add(launchContext("patient", "Patient"));
      extensions.add(launchContext("encounter", "Encounter"));
      for (ChartSearch search : queries.reading(recordsRead(questionnaire))) {
        extensions.add(expression(VARIABLE, search.key(), "application/x-fhir-query", query(search)));
      }
      Map<String, ContraindicationItem> items = questionnaire.itemsByLinkId();
      for (JsonNode itemNode : root.path("item")) {
        ContraindicationItem item = items.get(itemNode.path("linkId").asText());
        ArrayNode itemExtensions = replaceGenerated((ObjectNode) itemNode);
        if (item != null) {
          itemExpressions(item).forEach(itemExtensions::add);
        }
        if (itemExtensions.isEmpty()) {
          ((ObjectNode) itemNode).remove("extension");
        }
      }
      DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
          .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));
      return json.writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the loaded questionnaire is not JSON", e);
    }
  }

  private static ArrayNode replaceGenerated(ObjectNode node) {
    JsonNode existing = node.path("extension");
    ArrayNode kept = node.arrayNode();
    for (JsonNode extension : existing) {
      if (!GENERATED.contains(extension.path("url").asText())) {
        kept.add(extension);
      }
    }
    node.set("extension", kept);
    return kept;
  }

  /** The kinds of record the items read, and Conditions always: the gate reads the encounter's. */
  private static Set<PrefillRule.Record> recordsRead(ContraindicationQuestionnaire questionnaire) {
    Set<PrefillRule.Record> kinds = EnumSet.of(PrefillRule.Record.CONDITION);
    questionnaire.items().forEach(item -> item.prefillRules().forEach(rule -> kinds.add(rule.source().records())));
    return kinds;
  }

  /**
   * The search's prefetch template for the launch patient ({@code {{%patient.id}}}, which
   * sdc-populate resolves from the launch context alone), asking for one page that holds every
   * match, with {@code |} escaped as a URL must have it.
   */
  private static String query(ChartSearch search) {
    String template = search.template().replace("|", "%7C").replace(ChartSearch.PATIENT, "{{%patient.id}}");
    return search.latestOnly() ? template : template + "&_count=" + PAGE_SIZE;
  }

  private ObjectNode launchContext(String name, String type) {
    ObjectNode extension = json.createObjectNode().put("url", LAUNCH_CONTEXT);
    ArrayNode parts = extension.putArray("extension");
    ObjectNode coding = parts.addObject().put("url", "name").putObject("valueCoding");
    coding.put("system", LAUNCH_CONTEXT_CODES).put("code", name);
    parts.addObject().put("url", "type").put("valueCode", type);
    return extension;
  }

  private ObjectNode expression(String url, String name, String language, String expression) {
    ObjectNode extension = json.createObjectNode().put("url", url);
    ObjectNode value = extension.putObject("valueExpression");
    if (name != null) {
      value.put("name", name);
    }
    value.put("language", language).put("expression", expression);
    return extension;
  }

  private List<ObjectNode> itemExpressions(ContraindicationItem item) {
    if (item.severity() == Severity.GATE) {
      return indication(item).map(e -> List.of(expression(INITIAL_EXPRESSION, null, "text/fhirpath", e)))
          .orElse(List.of());
    }
    Coded yes = item.option(YesNoUnknown.YES.system(), YesNoUnknown.YES.code()).orElse(null);
    if (yes == null || item.prefillRules().isEmpty()) {
      return List.of();
    }
    List<ObjectNode> extensions = new ArrayList<>();
    List<String> tests = new ArrayList<>();
    for (PrefillRule rule : item.prefillRules()) {
      CodeSet set = library.codeSet(rule.valueSetUrl());
      switch (rule.source()) {
        case CONDITION -> tests.add(CONDITIONS + ".where(" + currentCondition() + " and " + matches("code", set)
            + ").exists()");
        case RECENT_CONDITION -> tests.add(CONDITIONS + ".where(" + confirmedCondition() + " and " + matches("code", set)
            + " and (" + currentCondition() + " or " + within(lastSeen(), weeks(item)) + ")).exists()");
        case ALLERGY -> tests.add("%allergies.entry.resource.ofType(AllergyIntolerance).where("
            + "(" + status("clinicalStatus") + ".empty() or " + status("clinicalStatus") + " = 'active') and ("
            + status("verificationStatus") + ".empty() or (" + status("verificationStatus")
            + " in ('refuted' | 'entered-in-error')).not()) and " + matches("code", set) + ").exists()");
        case PROCEDURE -> tests.add("%procedures.entry.resource.ofType(Procedure).where(status in ('completed' | "
            + "'in-progress') and " + matches("code", set) + " and " + within(date("iif(performed.ofType(dateTime)"
            + ".exists(), performed.ofType(dateTime), performed.ofType(Period).end)"), weeks(item)) + ").exists()");
        case MEDICATION -> tests.add("(" + REQUESTS + ".where(status = 'active' and " + medicine(set) + ") | "
            + STATEMENTS + ".where(status in ('active' | 'intended') and " + medicine(set) + ")).exists()");
        case OBSERVATION -> {
          extensions.addAll(psaVariables(item, set));
          tests.add(psaAboveThreshold(item));
        }
        case OBSERVATION_MEDICATION -> {
          // read by the OBSERVATION rule of the same item
        }
      }
    }
    String criterion = tests.size() == 1 ? tests.get(0)
        : tests.stream().map(test -> "(" + test + ")").collect(Collectors.joining(" or "));
    extensions.add(expression(INITIAL_EXPRESSION, null, "text/fhirpath",
        "iif(" + criterion + ", " + option(yes) + ")"));
    return extensions;
  }

  /**
   * The item's answer option as a Coding, made with FHIRPath's type factory: LHC-Forms and
   * sdc-populate both match a Coding to the item's options, and sdc-populate has no {@code %qitem}.
   */
  private static String option(Coded coded) {
    return "%factory.Coding(" + literal(coded.system()) + ", " + literal(coded.code())
        + (coded.display() == null ? "" : ", " + literal(coded.display())) + ")";
  }

  /**
   * The gate: the indication of the first current, confirmed Condition linked to the encounter
   * (by {@code Condition.encounter} or {@code Encounter.diagnosis}) that one of the catalog's
   * qualifying value sets holds, its first such set deciding, as {@code QualifyingDiagnosisFinder}.
   */
  private Optional<String> indication(ContraindicationItem item) {
    Map<String, String> byIndication = new LinkedHashMap<>();
    for (EducationItem education : library.items()) {
      for (EducationItem.QualifyingSet set : education.qualifying()) {
        item.answerOptions().stream().filter(option -> option.code().equals(set.indication())).findFirst()
            .ifPresent(option -> byIndication.putIfAbsent(matches("code", library.codeSet(set.valueSetUrl())),
                option(option)));
      }
    }
    if (byIndication.isEmpty()) {
      return Optional.empty();
    }
    String linked = "(" + local("encounter.reference") + " = 'Encounter/' + %encounter.id or ('Condition/' + id) in "
        + "%encounter.diagnosis.condition.select(" + local("reference") + "))";
    String anySet = byIndication.keySet().stream().collect(Collectors.joining(" or ", "(", ")"));
    String choice = "{}";
    List<Map.Entry<String, String>> sets = new ArrayList<>(byIndication.entrySet());
    for (int i = sets.size() - 1; i >= 0; i--) {
      choice = "iif(" + sets.get(i).getKey() + ", " + sets.get(i).getValue() + (i == sets.size() - 1 ? ""
          : ", " + choice) + ")";
    }
    return Optional.of(CONDITIONS + ".where(" + linked + " and " + currentCondition() + " and " + anySet
        + ").first().select(" + choice + ")");
  }

  /**
   * The PSA rule's two values on the item: {@code psaResult}, the newest final result the search
   * returns if it is in the window, in a unit that reads as ng/mL; {@code psaMedicine}, the first
   * current medicine of the item's adjusting value set, requests before statements.
   */
  private List<ObjectNode> psaVariables(ContraindicationItem item, CodeSet tests) {
    LocalSettings settings = library.settings();
    String observationDate = date(OBSERVED);
    String result = "%observations.entry.resource.ofType(Observation).where(status in ('final' | 'amended' | "
        + "'corrected') and " + matches("code", tests) + " and " + within(observationDate,
        settings.psaWindowMonths() + " months") + " and value.ofType(Quantity).value.exists() and "
        + "iif(value.ofType(Quantity).code.exists(), value.ofType(Quantity).code, value.ofType(Quantity).unit) in "
        + union(new TreeSet<>(ChartPrefill.NANOGRAMS_PER_MILLILITRE)) + ").first()";
    List<ObjectNode> variables = new ArrayList<>();
    variables.add(expression(VARIABLE, "psaResult", "text/fhirpath", result));
    for (PrefillRule rule : item.prefillRules()) {
      if (rule.source() == PrefillRule.Source.OBSERVATION_MEDICATION) {
        CodeSet set = library.codeSet(rule.valueSetUrl());
        variables.add(expression(VARIABLE, "psaMedicine", "text/fhirpath", REQUESTS + ".where(status = 'active' and "
            + medicine(set) + ").combine(" + STATEMENTS + ".where(status in ('active' | 'intended') and "
            + medicine(set) + ")).first()"));
        break;
      }
    }
    return variables;
  }

  /**
   * Above the threshold as {@code ChartPrefill} reads it: the result itself with no adjusting
   * medicine; the result times the factor with one started long enough before the test; either
   * with one started later or at an unknown date (flagged, not adjusted).
   */
  private String psaAboveThreshold(ContraindicationItem item) {
    LocalSettings settings = library.settings();
    String value = "%psaResult.value.ofType(Quantity).value";
    String threshold = decimal(settings.psaThresholdNgPerMl());
    String measured = value + " > " + threshold;
    boolean adjusts = item.prefillRules().stream()
        .anyMatch(rule -> rule.source() == PrefillRule.Source.OBSERVATION_MEDICATION);
    if (!adjusts) {
      return "%psaResult.exists() and " + measured;
    }
    String adjusted = value + " * " + decimal(settings.psaMedicationFactor()) + " > " + threshold;
    String resultDate = date("%psaResult.select(" + OBSERVED + ")");
    String started = date("%psaMedicine.select(iif($this is MedicationRequest, "
        + "iif(dispenseRequest.validityPeriod.start.exists(), dispenseRequest.validityPeriod.start, authoredOn), "
        + "iif(effective.ofType(dateTime).exists(), effective.ofType(dateTime), iif(effective.ofType(Period).exists(), "
        + "effective.ofType(Period).start, dateAsserted))))");
    String longEnough = "(" + started + ".exists() and " + started + " <= " + resultDate + " - "
        + settings.psaMedicationMinMonths() + " months)";
    return "%psaResult.exists() and iif(%psaMedicine.exists(), iif(" + longEnough + ", " + adjusted + ", "
        + measured + " or " + adjusted + "), " + measured + ")";
  }

  /** A medicine by code, or by an ingredient name of the set as a word of its text or displays. */
  private static String medicine(CodeSet set) {
    String concept = "medication.ofType(CodeableConcept)";
    List<String> words = set.rules().stream().map(CodeSet.Rule::display)
        .filter(display -> display != null && !display.isBlank())
        .map(display -> regex(display.toLowerCase(Locale.ROOT))).distinct().toList();
    String byCode = matches(concept, set);
    if (words.isEmpty()) {
      return byCode;
    }
    return "(" + byCode + " or (" + concept + ".text | " + concept + ".coding.display | "
        + "medication.ofType(Reference).display).where(lower().matches("
        + literal("^(.*[^\\p{L}])?(" + String.join("|", words) + ")([^\\p{L}].*)?$") + ")).exists())";
  }

  /**
   * Whether a CodeableConcept holds a code of the set: exact codes by system, and "with
   * descendants" rules by prefix with dots and case ignored, as {@link CodeSet.Rule#matches}.
   */
  private static String matches(String concept, CodeSet set) {
    Map<String, List<String>> exact = new LinkedHashMap<>();
    Map<String, List<String>> below = new LinkedHashMap<>();
    for (CodeSet.Rule rule : set.rules()) {
      (rule.descendants() ? below : exact).computeIfAbsent(rule.system(), s -> new ArrayList<>()).add(rule.code());
    }
    List<String> tests = new ArrayList<>();
    exact.forEach((system, codes) -> tests.add("(system = " + literal(system) + " and code in " + union(codes) + ")"));
    below.forEach((system, codes) -> tests.add("(system = " + literal(system) + " and code.replace('.', '').upper()"
        + ".matches(" + literal("^(" + codes.stream().map(code -> regex(code.replace(".", "").toUpperCase(
            Locale.ROOT))).collect(Collectors.joining("|")) + ").*$") + "))"));
    return concept + ".coding.where(" + String.join(" or ", tests) + ").exists()";
  }

  private static String currentCondition() {
    String clinical = status("clinicalStatus");
    return "(" + confirmedCondition() + " and (" + clinical + ".empty() or " + clinical
        + " in ('active' | 'recurrence' | 'relapse')))";
  }

  private static String confirmedCondition() {
    String verification = status("verificationStatus");
    return "(" + verification + ".empty() or " + verification + " = 'confirmed')";
  }

  /** When a Condition was last known to stand: its end, or else its recorded date or onset. */
  private static String lastSeen() {
    String ended = date("iif(abatement.ofType(dateTime).exists(), abatement.ofType(dateTime), "
        + "abatement.ofType(Period).end)");
    String recorded = date("iif(recordedDate.exists(), recordedDate, iif(onset.ofType(dateTime).exists(), "
        + "onset.ofType(dateTime), onset.ofType(Period).start))");
    return "iif(" + ended + ".exists(), " + ended + ", " + recorded + ")";
  }

  private String weeks(ContraindicationItem item) {
    return library.settings().windowWeeks(item.linkId()).orElseThrow(() -> new IllegalStateException(
        "item " + item.linkId() + " has a windowed rule and no windowWeeks (the loader checks this)")) + " weeks";
  }

  private static String within(String date, String window) {
    return "(" + date + " >= today() - " + window + " and " + date + " <= today())";
  }

  /** The calendar date as written, or nothing when the value is less precise than a day. */
  private static String date(String expression) {
    return "(" + expression + ").toString().where(length() >= 10).substring(0, 10).toDate()";
  }

  /** A reference as {@code Type/id}, without base URL or version, as {@link ChartRecords} compares them. */
  private static String local(String reference) {
    return reference + ".replaceMatches('/_history/.*$', '').replaceMatches('^.*/([^/]+/[^/]+)$', '$1')";
  }

  /** The code of a status CodeableConcept's first coding that has one. */
  private static String status(String element) {
    return element + ".coding.where(code.exists()).first().code";
  }

  private static String union(Collection<String> values) {
    return values.stream().map(ChartExpressions::literal).collect(Collectors.joining(" | ", "(", ")"));
  }

  private static String decimal(double value) {
    return BigDecimal.valueOf(value).toPlainString();
  }

  /** A FHIRPath string literal. */
  private static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Text matched literally inside a regular expression. */
  private static String regex(String text) {
    return text.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0");
  }
}
