package org.prostateed.server;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
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

  /** The demo patients and their charts, as the transaction Bundle packed in the jar. */
  public static Bundle patients(FhirContext fhirContext) {
    try (InputStream in = DemoData.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the plugin jar");
      }
      return fhirContext.newJsonParser().parseResource(Bundle.class, in);
    } catch (IOException e) {
      throw new IllegalStateException(RESOURCE + " cannot be read", e);
    }
  }

  static void load(FhirContext fhirContext, FhirStore store, ProstateEducationPlugin plugin) {
    Bundle bundle = patients(fhirContext);
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
