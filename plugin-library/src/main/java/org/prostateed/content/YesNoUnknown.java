package org.prostateed.content;

/**
 * The yes / no / don't-know answers the product contract fixes for every questionnaire
 * ({@code http://hl7.org/fhir/ValueSet/yesnodontknow}).
 */
public final class YesNoUnknown {

  public static final String YES_NO_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0136";
  public static final String UNKNOWN_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

  public static final Coded YES = new Coded(YES_NO_SYSTEM, "Y", "Yes");
  public static final Coded NO = new Coded(YES_NO_SYSTEM, "N", "No");
  public static final Coded UNKNOWN = new Coded(UNKNOWN_SYSTEM, "asked-unknown", "Don't know");

  private YesNoUnknown() {}
}
