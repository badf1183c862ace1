package org.prostateed.fhir;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.EducationItem;
import org.prostateed.content.HandoutVersion;
import org.prostateed.engine.HandoutChoice;
import org.prostateed.engine.QualifyingDiagnosisFinder;

/** Which education item an encounter is given, and which version of its handout, in which language. */
final class HandoutToGive {

  private final ContentLibrary library;
  private final QualifyingDiagnosisFinder finder;
  private final HandoutChoice choice;
  private final PublishedContent published;

  HandoutToGive(ContentLibrary library, boolean allowDraft, PublishedContent published) {
    this.library = library;
    this.finder = new QualifyingDiagnosisFinder(library);
    this.choice = new HandoutChoice(library, allowDraft);
    this.published = published;
  }

  /** The education items the encounter qualifies for; refused when there is none. */
  List<EducationItem> items(ChartReader.EncounterChart encounter) {
    List<EducationItem> items = finder.items(finder.find(encounter.linkedConditions()));
    if (items.isEmpty()) {
      throw Outcomes.unprocessable(encounterName(encounter) + " has no qualifying diagnosis");
    }
    return items;
  }

  /** The item a give asks for by its handout id, or the only one. */
  EducationItem item(ChartReader.EncounterChart encounter, Optional<String> handoutId) {
    List<EducationItem> items = items(encounter);
    if (handoutId.isPresent()) {
      return items.stream().filter(item -> item.handoutId().equals(handoutId.get())).findFirst()
          .orElseThrow(() -> Outcomes.unprocessable("handout '" + handoutId.get() + "' does not apply to this encounter"));
    }
    if (items.size() > 1) {
      throw Outcomes.invalid("the encounter has several education items: name the handout");
    }
    return items.get(0);
  }

  /**
   * The version to give: in the asked language, or in the patient's first language that has a
   * givable version, else English; never one the store says has been retired since it was published.
   */
  HandoutVersion version(FhirStore store, EducationItem item, Optional<String> language, String patientReference,
      LocalDate today) {
    HandoutVersion handout = chosen(store, item, language, patientReference, today);
    if (published.handoutLibrary(handout).getStatus() == Enumerations.PublicationStatus.RETIRED) {
      throw Outcomes.unprocessable("handout " + handout.key() + " has been retired and may not be given");
    }
    return handout;
  }

  /** The version a preview shows: chosen the same way, without the retirement check. */
  HandoutVersion chosen(FhirStore store, EducationItem item, Optional<String> language, String patientReference,
      LocalDate today) {
    if (language.isPresent()) {
      return choice.choose(item.handoutId(), List.of(language.get()), today)
          .filter(version -> version.language().equals(language.get()))
          .orElseThrow(() -> Outcomes.unprocessable("no handout version of '" + item.handoutId() + "' in language '"
              + language.get() + "' may be given" + library.handoutVersions(item.handoutId(), language.get()).stream()
                  .flatMap(version -> choice.whyNotGivable(version, today).stream())
                  .map(why -> ": " + why).findFirst().orElse("")));
    }
    return choice.choose(item.handoutId(), patientLanguages(store, patientReference), today)
        .orElseThrow(() -> Outcomes.unprocessable("no version of handout '" + item.handoutId()
            + "' may be given (none is active and within its review date)"));
  }

  /** The patient's languages, preferred first, as BCP-47 primary subtags. */
  private static List<String> patientLanguages(FhirStore store, String patientReference) {
    List<String> languages = new ArrayList<>();
    store.read(Patient.class, patientReference.substring("Patient/".length()))
        .ifPresent(patient -> patient.getCommunication().stream()
            .sorted((a, b) -> Boolean.compare(b.getPreferred(), a.getPreferred()))
            .flatMap(communication -> communication.getLanguage().getCoding().stream())
            .filter(Coding::hasCode)
            .map(coding -> coding.getCode().split("-")[0])
            .forEach(languages::add));
    return languages;
  }

  private static String encounterName(ChartReader.EncounterChart encounter) {
    return "Encounter/" + encounter.encounter().getIdElement().getIdPart();
  }
}
