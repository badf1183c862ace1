package org.prostateed.fhir;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.Reference;

/**
 * Where an answer came from, as Da Vinci DTR STU 2.1 marks it on
 * {@code QuestionnaireResponse.item.answer} with its {@code information-origin} extension:
 * {@code source} is {@code auto} (pre-filled, here by {@code $populate}), {@code override} (a
 * pre-filled answer a person changed) or {@code manual} (a person answered), and a person's
 * answer names that person in {@code author.practitioner}. DTR's rule dtrx-1: an {@code auto}
 * answer has no author, the others must have one. An answer without the extension has an unknown
 * origin, never a manual one. The binding of {@code source} is extensible: a code outside the three
 * is read as unknown, not refused, and dtrx-1 is checked on the three only.
 */
public record AnswerOrigin(String source, Optional<String> author) {

  static final String URL = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/information-origin";
  static final String AUTO = "auto";
  static final String OVERRIDE = "override";
  static final String MANUAL = "manual";
  static final String UNKNOWN = "unknown";

  /** The origin of an answer with no extension, or with a source outside DTR's three codes. */
  static AnswerOrigin unknown() {
    return new AnswerOrigin(UNKNOWN, Optional.empty());
  }

  /** The mark {@code $populate} puts on each answer it pre-fills. */
  static Extension auto() {
    Extension origin = new Extension(URL);
    origin.addExtension("source", new CodeType(AUTO));
    return origin;
  }

  /**
   * The origin an answer carries; a malformed extension adds a problem for {@code linkId} (a
   * second extension, no source, or an author where dtrx-1 forbids or requires one).
   */
  static AnswerOrigin read(QuestionnaireResponseItemAnswerComponent answer, String linkId, List<String> problems) {
    List<Extension> marks = answer.getExtensionsByUrl(URL);
    if (marks.isEmpty()) {
      return unknown();
    }
    if (marks.size() > 1) {
      problems.add("item '" + linkId + "': the answer has " + marks.size() + " information-origin extensions; it takes one");
      return unknown();
    }
    Extension mark = marks.get(0);
    Extension source = mark.getExtensionByUrl("source");
    if (source == null || !(source.getValue() instanceof CodeType code) || !code.hasValue()) {
      problems.add("item '" + linkId + "': information-origin has no 'source' code");
      return unknown();
    }
    Optional<String> author = Optional.ofNullable(mark.getExtensionByUrl("author"))
        .map(extension -> extension.getExtensionByUrl("practitioner"))
        .filter(practitioner -> practitioner.getValue() instanceof Reference)
        .map(practitioner -> ((Reference) practitioner.getValue()).getReference());
    if (!List.of(AUTO, OVERRIDE, MANUAL).contains(code.getValue())) {
      // Another version's code (DTR 2.2 splits auto into auto-client and auto-server): unknown here.
      return unknown();
    }
    boolean hasAuthor = mark.getExtensionByUrl("author") != null;
    if (AUTO.equals(code.getValue()) && hasAuthor) {
      problems.add("item '" + linkId + "': an 'auto' information-origin has no author (DTR dtrx-1)");
    } else if (!AUTO.equals(code.getValue()) && author.isEmpty()) {
      problems.add("item '" + linkId + "': a '" + code.getValue() + "' information-origin names its author's"
          + " practitioner (DTR dtrx-1)");
    }
    return new AnswerOrigin(code.getValue(), author);
  }
}
