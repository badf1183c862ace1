package org.prostateed.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.prostateed.server.DemoData;

/**
 * The synthetic demo patients the server loads with {@code --demo} ({@code demo/demo-patients.json}
 * in fhir-plugin.jar), held in memory so that a benchmark can build prefetch and chart inputs the
 * way an EHR's FHIR API would answer them, without any FHIR server.
 */
final class DemoChart {

  /** The base written into {@code fullUrl}s, like an EHR's search answer. */
  private static final String EHR_BASE = "https://ehr.example.test/fhir/";

  private final FhirTerser terser;
  private final List<Resource> resources = new ArrayList<>();

  DemoChart(FhirContext fhirContext) {
    this.terser = fhirContext.newTerser();
    DemoData.patients(fhirContext, java.time.LocalDate.now()).getEntry().forEach(entry -> resources.add(entry.getResource()));
  }

  /** Adds a record the server would hold too (e.g. the Task it attaches to a qualifying encounter). */
  void add(Resource resource) {
    resources.add(resource);
  }

  /** {@code Type/id}, as a read would return it. */
  Optional<Resource> read(String type, String id) {
    return resources.stream()
        .filter(r -> r.fhirType().equals(type) && id.equals(r.getIdElement().getIdPart()))
        .findFirst();
  }

  /** Every record of one type that points at the patient (subject, patient or for). */
  List<Resource> ofPatient(String type, String patientId) {
    String patient = "Patient/" + patientId;
    return resources.stream()
        .filter(r -> r.fhirType().equals(type))
        .filter(r -> terser.getAllPopulatedChildElementsOfType(r, Reference.class).stream()
            .anyMatch(reference -> patient.equals(reference.getReference())))
        .toList();
  }

  /** A searchset Bundle of the given matches, shaped like a FHIR server's search answer. */
  static Bundle searchset(List<Resource> matches) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    bundle.setTotal(matches.size());
    for (Resource match : matches) {
      bundle.addEntry()
          .setFullUrl(EHR_BASE + match.fhirType() + "/" + match.getIdElement().getIdPart())
          .setResource(match)
          .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
    }
    return bundle;
  }
}
