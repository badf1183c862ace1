/**
 * The FHIR adapter, usable on any HAPI server: {@link org.prostateed.fhir.ProstateEducationPlugin}
 * (entry point: create, publish content, register on a RestfulServer), the operations
 * ({@code $education}, {@code $evaluate}, {@code $give-education}), the Task-attaching interceptor,
 * and {@link org.prostateed.fhir.FhirStore}, the port to the FHIR store.
 */
package org.prostateed.fhir;
