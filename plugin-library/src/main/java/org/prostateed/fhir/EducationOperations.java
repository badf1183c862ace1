package org.prostateed.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Operation;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The plugin's FHIR operations, one provider per capability. Each operation method only converts
 * the request, calls one use case with the store as the caller ({@link StoreAccess#asCaller}) and
 * returns its result; a use case's {@link RequestProblem} becomes a 4xx with an OperationOutcome in
 * {@link RequestProblems}.
 */
public final class EducationOperations {

  /** The use cases behind the operations, one per operation. */
  record UseCases(EncounterEducation education, ResponseEvaluation evaluation, QuestionnairePrefill prefill,
      HandoutPreview preview, HandoutGive give, TeachBack teachBack) {}

  private static final List<Class<?>> PROVIDERS = List.of(EncounterEducationOperation.class, PrefillOperation.class,
      EvaluationOperations.class, HandoutOperations.class, TeachBackOperation.class);

  private EducationOperations() {}

  /** The providers to register on a HAPI server, one of each class in {@link #providerClasses()}. */
  static List<Object> providers(FhirContext fhirContext, UseCases cases, StoreAccess stores) {
    List<Object> providers = List.of(
        new EncounterEducationOperation(fhirContext, cases.education(), stores),
        new PrefillOperation(cases.prefill(), stores),
        new EvaluationOperations(fhirContext, cases.evaluation(), stores),
        new HandoutOperations(cases.preview(), cases.give(), stores),
        new TeachBackOperation(cases.teachBack(), stores));
    // The class list names the operations (the store-outage scope, the docs check): keep the two as one.
    if (!providers.stream().map(Object::getClass).toList().equals(PROVIDERS)) {
      throw new IllegalStateException("EducationOperations.PROVIDERS does not list the providers built here");
    }
    return providers;
  }

  /** The classes of the providers, for what reads their annotations (the docs check among them). */
  public static List<Class<?>> providerClasses() {
    return PROVIDERS;
  }

  /** The names of the operations, read from their annotations, as HAPI names the operation of a request. */
  static Set<String> names() {
    return PROVIDERS.stream()
        .flatMap(provider -> Arrays.stream(provider.getMethods()))
        .map(method -> method.getAnnotation(Operation.class))
        .filter(Objects::nonNull)
        .map(Operation::name)
        .collect(Collectors.toUnmodifiableSet());
  }
}
