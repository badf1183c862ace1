package org.prostateed.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Calendar;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.prostateed.fhir.FhirStore;
import org.prostateed.fhir.ProstateEducationPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the synthetic demo patients (idempotent: every entry is a PUT with a fixed id). */
public final class DemoData {

  private static final Logger log = LoggerFactory.getLogger(DemoData.class);
  private static final String RESOURCE = "demo/demo-patients.json";

  private DemoData() {}

  /**
   * The demo patients and their charts, as the transaction Bundle packed in the jar, dated as of
   * {@code today}: the charts are written as of the Bundle's {@code timestamp}, and every date in
   * them moves by the days from that day to {@code today}. A biopsy two weeks before the visit
   * stays two weeks before it, so the windowed rules read the demo charts alike on any day.
   */
  public static Bundle patients(FhirContext fhirContext, LocalDate today) {
    Bundle bundle;
    try (InputStream in = DemoData.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the plugin jar");
      }
      bundle = fhirContext.newJsonParser().parseResource(Bundle.class, in);
    } catch (IOException e) {
      throw new IllegalStateException(RESOURCE + " cannot be read", e);
    }
    LocalDate writtenOn = bundle.getTimestampElement().getValue().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    int days = Math.toIntExact(ChronoUnit.DAYS.between(writtenOn, today));
    FhirTerser terser = fhirContext.newTerser();
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      for (BaseDateTimeType date : terser.getAllPopulatedChildElementsOfType(entry.getResource(), BaseDateTimeType.class)) {
        date.add(Calendar.DATE, days);
      }
    }
    bundle.setTimestampElement(null);
    return bundle;
  }

  static void load(FhirContext fhirContext, FhirStore store, ProstateEducationPlugin plugin, LocalDate today) {
    Bundle bundle = patients(fhirContext, today);
    store.transaction(bundle);
    int qualifying = 0;
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.getResource() instanceof Encounter encounter && plugin.attach(encounter.getIdPart()) > 0) {
        qualifying++;
      }
    }
    log.info("demo data loaded: {} resources, {} encounters with education", bundle.getEntry().size(), qualifying);
  }
}
