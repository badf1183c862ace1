package org.prostateed.content;

import java.util.Optional;
import java.util.regex.Pattern;

/** Whether a code is well formed for its code system; systems it does not know pass. */
public final class CodeFormats {

  public static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
  public static final String SNOMED = "http://snomed.info/sct";
  public static final String LOINC = "http://loinc.org";

  /** A letter (not U), two characters, then optionally a dot and one to four more (CMS layout). */
  private static final Pattern ICD10CM_CODE = Pattern.compile("[A-TV-Z][0-9][0-9AB](\\.[0-9A-Z]{1,4})?");
  private static final Pattern SNOMED_ID = Pattern.compile("[1-9][0-9]{5,17}");
  private static final Pattern LOINC_CODE = Pattern.compile("[0-9]{1,7}-[0-9]");

  private static final int[][] VERHOEFF_D = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
    {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
    {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
    {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}
  };
  /** Row i is the permutation (1 5 8 9 4 2 7 0)(3 6) applied i times. */
  private static final int[][] VERHOEFF_P = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
    {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
    {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}
  };

  private CodeFormats() {}

  /** Empty when the code is well formed, otherwise the reason. */
  public static Optional<String> problem(String system, String code) {
    if (code == null || code.isBlank()) {
      return Optional.of("the code is empty");
    }
    return switch (system) {
      case ICD10CM -> ICD10CM_CODE.matcher(code).matches()
          ? Optional.empty()
          : Optional.of("'" + code + "' is not an ICD-10-CM code (letter, two characters, optional dot and up to four more)");
      case SNOMED -> !SNOMED_ID.matcher(code).matches()
          ? Optional.of("'" + code + "' is not a SNOMED CT identifier (6 to 18 digits)")
          : verhoeffValid(code) ? Optional.empty()
          : Optional.of("'" + code + "' fails the SNOMED CT check digit (Verhoeff)");
      case LOINC -> LOINC_CODE.matcher(code).matches() && loincCheckDigitValid(code)
          ? Optional.empty()
          : Optional.of("'" + code + "' is not a LOINC code with a valid check digit");
      default -> Optional.empty();
    };
  }

  /** SNOMED CT identifiers end in a Verhoeff check digit over all the digits before it. */
  static boolean verhoeffValid(String digits) {
    int check = 0;
    for (int i = 0; i < digits.length(); i++) {
      int digit = digits.charAt(digits.length() - 1 - i) - '0';
      check = VERHOEFF_D[check][VERHOEFF_P[i % 8][digit]];
    }
    return check == 0;
  }

  /** LOINC's check digit is a mod-10 (Luhn style) digit over the part before the hyphen. */
  static boolean loincCheckDigitValid(String code) {
    String body = code.substring(0, code.indexOf('-'));
    int expected = code.charAt(code.length() - 1) - '0';
    int sum = 0;
    boolean doubleIt = true;
    for (int i = body.length() - 1; i >= 0; i--) {
      int digit = body.charAt(i) - '0';
      if (doubleIt) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubleIt = !doubleIt;
    }
    return (10 - sum % 10) % 10 == expected;
  }
}
