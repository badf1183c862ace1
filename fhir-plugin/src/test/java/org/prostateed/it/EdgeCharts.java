package org.prostateed.it;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

/**
 * Charts at the edges of the pre-fill rules, dated back from {@code today}: a window's last day
 * and the day after it, every status that must not count and one that must, the PSA read with and
 * without a 5-alpha-reductase inhibitor started long enough before the test, units, ingredient
 * names as words, a diagnosis linked by an absolute reference, a date in another time zone. A
 * renderer's pre-fill from the questionnaire's expressions must equal {@code $populate}'s on each.
 */
final class EdgeCharts {

  private static final String ICD = "http://hl7.org/fhir/sid/icd-10-cm";
  private static final String SCT = "http://snomed.info/sct";
  private static final String LOINC = "http://loinc.org";
  private static final String ATC = "http://www.whocc.no/atc";
  private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

  private final LocalDate today;
  private final Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
  private final Map<String, String> encounters = new LinkedHashMap<>();
  private String patient;
  private int next;

  private EdgeCharts(LocalDate today) {
    this.today = today;
  }

  /** The charts as one transaction, and each patient's encounter. */
  record Charts(Bundle bundle, Map<String, String> encounters) {}

  /**
   * What the rules say each edge chart pre-fills "yes", besides the indication (docs/clinical-rules.md,
   * pre-fill from the chart): the window's last day counts and the day after does not; unconfirmed,
   * refuted, entered-in-error, in remission, stopped and not done never count, no status and
   * relapse do; a PSA on a 5-alpha-reductase inhibitor started less than the set months before the
   * test is flagged when doubled it is above the threshold, one started long before is read
   * doubled; ug/L reads as ng/mL and mg/dL does not; an ingredient counts as a whole word only.
   */
  static final Map<String, Set<String>> YES = Map.ofEntries(
      Map.entry("edge-window-last-day", Set.of("recent-acute-prostatitis", "prostate-abscess", "recent-procedure")),
      Map.entry("edge-window-day-after", Set.of()),
      Map.entry("edge-statuses", Set.of("urinary-retention")),
      Map.entry("edge-statuses-that-count", Set.of("anorectal-disease", "latex-allergy", "recent-procedure",
          "bleeding-risk")),
      Map.entry("edge-psa-5ari-recent", Set.of("psa-abnormal")),
      Map.entry("edge-psa-5ari-long-below", Set.of()),
      Map.entry("edge-psa-units", Set.of("psa-abnormal")),
      Map.entry("edge-psa-too-old", Set.of()),
      Map.entry("edge-psa-wrong-unit", Set.of()),
      Map.entry("edge-medicine-words", Set.of("bleeding-risk")),
      Map.entry("edge-medicine-not-a-word", Set.of()),
      Map.entry("edge-linked-absolute-other-zone", Set.of("recent-acute-prostatitis", "rectal-bleeding")),
      Map.entry("edge-gate-unconfirmed", Set.of()));

  /** The indication each edge chart's encounter is pre-filled with; none for an unconfirmed diagnosis. */
  static String indication(String patient) {
    return switch (patient) {
      case "edge-linked-absolute-other-zone" -> "bph";
      case "edge-gate-unconfirmed" -> null;
      default -> "chronic-prostatitis";
    };
  }

  static Charts build(LocalDate today) {
    EdgeCharts charts = new EdgeCharts(today);
    charts.patient("edge-window-last-day");
    charts.condition(ICD, "N41.0", "resolved", "confirmed").setAbatement(charts.dateTime(42));
    charts.condition(ICD, "N41.2", "resolved", "confirmed").setAbatement(charts.dateTime(91));
    charts.procedure(SCT, "236258004", Procedure.ProcedureStatus.COMPLETED).setPerformed(charts.dateTime(42));

    charts.patient("edge-window-day-after");
    charts.condition(ICD, "N41.0", "resolved", "confirmed").setAbatement(charts.dateTime(43));
    charts.condition(ICD, "N41.2", "inactive", "confirmed").setAbatement(new Period().setEndElement(charts.dateTime(92)));
    charts.procedure(SCT, "236258004", Procedure.ProcedureStatus.COMPLETED).setPerformed(charts.dateTime(43));

    charts.patient("edge-statuses");
    charts.condition(ICD, "N39.0", "active", "unconfirmed");
    charts.condition(ICD, "C61", "remission", "confirmed");
    charts.condition(ICD, "R33.9", null, null);
    charts.condition(ICD, "K62.5", "active", "entered-in-error");
    charts.allergy(SCT, "111088007", "active", "refuted");
    charts.procedure(SCT, "24496007", Procedure.ProcedureStatus.NOTDONE).setPerformed(charts.dateTime(3));

    charts.patient("edge-statuses-that-count");
    charts.condition(ICD, "K64.8", "relapse", "confirmed");
    charts.allergy(SCT, "111088007", null, null);
    charts.procedure(SCT, "24496007", Procedure.ProcedureStatus.INPROGRESS)
        .setPerformed(new Period().setStartElement(charts.dateTime(2)).setEndElement(charts.dateTime(1)));
    charts.request("stopped", new CodeableConcept().addCoding(new Coding(RXNORM, "11289", "warfarin")), 30);
    charts.statement("intended", new CodeableConcept().setText("Heparin 5000 units"), charts.dateTime(1));

    charts.patient("edge-psa-5ari-recent");
    charts.psa(2.5, "ng/mL", 30);
    charts.request("active", new CodeableConcept().addCoding(new Coding(ATC, "G04CB02", "dutasteride")), 90);

    charts.patient("edge-psa-5ari-long-below");
    charts.psa(1.9, "ng/mL", 30);
    charts.statement("active", new CodeableConcept().addCoding(new Coding(ATC, "G04CB01", "finasteride")),
        new Period().setStartElement(charts.dateTime(400)));

    charts.patient("edge-psa-units");
    charts.psa(5.0, null, 10).getValueQuantity().setUnit("ug/L");

    charts.patient("edge-psa-too-old");
    charts.psa(9.0, "ng/mL", 400);
    charts.patient("edge-psa-wrong-unit");
    charts.psa(5.0, "mg/dL", 5);

    charts.patient("edge-medicine-words");
    charts.statement("active", new CodeableConcept().setText("WARFARIN 5mg"), charts.dateTime(100));
    charts.patient("edge-medicine-not-a-word");
    charts.statement("active", new CodeableConcept().setText("Warfarinol tablets"), charts.dateTime(100));

    charts.patient("edge-linked-absolute-other-zone");
    Condition bph = charts.condition(ICD, "N40.1", "active", "confirmed");
    charts.encounter().getDiagnosisFirstRep()
        .setCondition(new Reference("http://other.example/fhir/Condition/" + bph.getIdPart() + "/_history/2"));
    charts.condition(ICD, "N41.0", "resolved", "confirmed")
        .setAbatement(new DateTimeType(today.minusDays(42) + "T23:30:00-05:00"));
    charts.condition("http://other.example/local-problems", "RB-1", null, null).getCode()
        .addCoding(new Coding(SCT, "12063002", "Rectal hemorrhage"));

    charts.patient("edge-gate-unconfirmed");
    charts.condition(ICD, "N41.1", "active", "provisional").setEncounter(new Reference(charts.encounterReference()));
    return new Charts(charts.bundle, charts.encounters);
  }

  /** A new patient with an encounter today, and a chronic prostatitis diagnosis on it unless the name says otherwise. */
  private void patient(String id) {
    patient = id;
    put(new Patient().setId(id));
    Encounter encounter = new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS)
        .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"))
        .setSubject(new Reference("Patient/" + id)).setPeriod(new Period().setStartElement(dateTime(0)));
    encounter.setId(id + "-enc");
    put(encounter);
    encounters.put(id, id + "-enc");
    if (!id.startsWith("edge-linked") && !id.startsWith("edge-gate")) {
      condition(ICD, "N41.1", "active", "confirmed").setEncounter(new Reference(encounterReference()));
    }
  }

  private String encounterReference() {
    return "Encounter/" + patient + "-enc";
  }

  private Encounter encounter() {
    return (Encounter) bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(resource -> resource.getIdElement().getIdPart().equals(patient + "-enc")).findFirst().orElseThrow();
  }

  private Condition condition(String system, String code, String clinical, String verification) {
    return put(new Condition().setSubject(new Reference("Patient/" + patient)).setCode(concept(system, code))
        .setRecordedDateElement(dateTime(200))
        .setClinicalStatus(status("condition-clinical", clinical))
        .setVerificationStatus(status("condition-ver-status", verification)));
  }

  private AllergyIntolerance allergy(String system, String code, String clinical, String verification) {
    return put(new AllergyIntolerance().setPatient(new Reference("Patient/" + patient)).setCode(concept(system, code))
        .setClinicalStatus(status("allergyintolerance-clinical", clinical))
        .setVerificationStatus(status("allergyintolerance-verification", verification)));
  }

  /** A status of a terminology.hl7.org code system, or none (an empty concept is left out). */
  private static CodeableConcept status(String codeSystem, String code) {
    return code == null ? null : concept("http://terminology.hl7.org/CodeSystem/" + codeSystem, code);
  }

  private static CodeableConcept concept(String system, String code) {
    return new CodeableConcept().addCoding(new Coding(system, code, null));
  }

  private Procedure procedure(String system, String code, Procedure.ProcedureStatus status) {
    return put(new Procedure().setStatus(status).setSubject(new Reference("Patient/" + patient))
        .setCode(concept(system, code)));
  }

  private Observation psa(double value, String unitCode, int daysAgo) {
    Quantity quantity = new Quantity().setValue(value);
    if (unitCode != null) {
      quantity.setSystem("http://unitsofmeasure.org").setCode(unitCode).setUnit(unitCode);
    }
    return put(new Observation().setStatus(Observation.ObservationStatus.FINAL)
        .setCode(new CodeableConcept().addCoding(new Coding(LOINC, "2857-1", "PSA")))
        .setSubject(new Reference("Patient/" + patient)).setEffective(dateTime(daysAgo)).setValue(quantity));
  }

  private MedicationRequest request(String status, CodeableConcept medicine, int authoredDaysAgo) {
    return put(new MedicationRequest().setStatus(MedicationRequest.MedicationRequestStatus.fromCode(status))
        .setIntent(MedicationRequest.MedicationRequestIntent.ORDER).setMedication(medicine)
        .setSubject(new Reference("Patient/" + patient)).setAuthoredOnElement(dateTime(authoredDaysAgo)));
  }

  private MedicationStatement statement(String status, CodeableConcept medicine, Type effective) {
    return put(new MedicationStatement().setStatus(MedicationStatement.MedicationStatementStatus.fromCode(status))
        .setMedication(medicine).setSubject(new Reference("Patient/" + patient)).setEffective(effective));
  }

  private DateTimeType dateTime(int daysAgo) {
    return new DateTimeType(today.minusDays(daysAgo).toString());
  }

  private <T extends Resource> T put(T resource) {
    if (!resource.hasId()) {
      resource.setId(patient + "-" + (++next));
    }
    String url = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    bundle.addEntry().setFullUrl(url).setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
    return resource;
  }
}
