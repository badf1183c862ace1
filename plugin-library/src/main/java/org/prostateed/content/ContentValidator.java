package org.prostateed.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code content validate}: every rule a content owner must meet before content may ship, each
 * problem reported with the file, the field and the reason. Structure and references come from
 * {@link ContentLoader}; this adds readability, code formats, the unverified-code list, review
 * dates and approvals; further checks (FHIR validation) are plugged in by the caller.
 */
public final class ContentValidator {

  /** How bad a finding is: errors fail the build, warnings are shown. */
  public enum Level {
    ERROR,
    WARNING
  }

  /** One problem: where (file and field) and why. */
  public record Finding(Level level, String where, String message) {
    @Override
    public String toString() {
      return level + " " + where + ": " + message;
    }
  }

  /** A check the caller adds (such as FHIR validation of every JSON artifact). */
  public interface Check {
    List<Finding> check(Path root);
  }

  /** The findings, and the library when it could be loaded. */
  public record Report(List<Finding> findings, Optional<ContentLibrary> library) {
    public boolean ok() {
      return findings.stream().noneMatch(finding -> finding.level() == Level.ERROR);
    }
  }

  /** Readability gates: the build fails beyond the limit, and warns beyond the target. */
  static final double ENGLISH_GRADE_TARGET = 6.0;
  static final double ENGLISH_GRADE_LIMIT = 8.0;
  static final double SPANISH_INFLESZ_TARGET = 70.0;
  static final double SPANISH_INFLESZ_LIMIT = 65.0;

  private final ObjectMapper json;
  private final List<Check> checks;
  private final Clock clock;

  public ContentValidator(ObjectMapper json, List<Check> checks, Clock clock) {
    this.json = json;
    this.checks = List.copyOf(checks);
    this.clock = clock;
  }

  public Report validate(Path root) {
    List<Finding> findings = new ArrayList<>();
    ContentLibrary library = null;
    try {
      library = new ContentLoader(json).load(root);
    } catch (ContentException e) {
      for (String problem : e.problems()) {
        int colon = problem.indexOf(": ");
        findings.add(colon < 0
            ? new Finding(Level.ERROR, "content", problem)
            : new Finding(Level.ERROR, problem.substring(0, colon), problem.substring(colon + 2)));
      }
    }
    if (library != null) {
      readability(library, findings);
      codes(library, root, findings);
      reviewDates(library, findings);
      approvals(library, root, findings);
    }
    for (Check check : checks) {
      findings.addAll(check.check(root));
    }
    return new Report(List.copyOf(findings), Optional.ofNullable(library));
  }

  private static String handoutFile(HandoutVersion handout) {
    return "handouts/" + handout.id() + "/" + handout.id() + "." + handout.language() + ".md";
  }

  private void readability(ContentLibrary library, List<Finding> findings) {
    for (HandoutVersion handout : library.handouts()) {
      String where = handoutFile(handout) + ": readability";
      Readability.Score score;
      try {
        score = Readability.measure(handout.language(), handout.markdown());
      } catch (IllegalArgumentException e) {
        findings.add(new Finding(Level.ERROR, where, e.getMessage()));
        continue;
      }
      String measured = String.format(Locale.ROOT, "%s %.1f (%d words, %d sentences, %d syllables)",
          score.formula(), score.value(), score.words(), score.sentences(), score.syllables());
      boolean grade = Readability.FLESCH_KINCAID_GRADE.equals(score.formula());
      if (!grade) {
        measured += String.format(Locale.ROOT, "; Fernandez-Huerta %.1f",
            Readability.fernandezHuerta(Readability.plainText(handout.markdown())).value());
      }
      double limit = grade ? ENGLISH_GRADE_LIMIT : SPANISH_INFLESZ_LIMIT;
      double target = grade ? ENGLISH_GRADE_TARGET : SPANISH_INFLESZ_TARGET;
      boolean overLimit = grade ? score.value() > limit : score.value() < limit;
      boolean overTarget = grade ? score.value() > target : score.value() < target;
      if (overLimit) {
        findings.add(new Finding(Level.ERROR, where, measured + " is beyond the limit of "
            + limit + " (target " + target + ")"));
      } else if (overTarget) {
        findings.add(new Finding(Level.WARNING, where, measured + " misses the target of " + target));
      }
    }
  }

  private void codes(ContentLibrary library, Path root, List<Finding> findings) {
    List<CodeSet.Rule> unverified = unverified(root, findings);
    for (CodeSet set : library.codeSets()) {
      String where = "valuesets/" + set.id() + ".json";
      for (CodeSet.Rule rule : set.rules()) {
        CodeFormats.problem(rule.system(), rule.code())
            .ifPresent(problem -> findings.add(new Finding(Level.ERROR, where + ": compose.include", problem)));
        for (CodeSet.Rule banned : unverified) {
          if (banned.matches(rule.system(), rule.code())) {
            findings.add(new Finding(Level.ERROR, where + ": compose.include", rule.system() + "|" + rule.code()
                + " is on the unverified list (unverified-codes.json): " + banned.display()));
          }
        }
      }
    }
  }

  private List<CodeSet.Rule> unverified(Path root, List<Finding> findings) {
    Path file = root.resolve("unverified-codes.json");
    if (!Files.exists(file)) {
      return List.of();
    }
    List<CodeSet.Rule> rules = new ArrayList<>();
    try {
      for (JsonNode code : json.readTree(file.toFile()).path("codes")) {
        rules.add(new CodeSet.Rule(code.path("system").asText(), code.path("code").asText(),
            code.path("reason").asText(), code.path("descendants").asBoolean(false)));
      }
    } catch (IOException e) {
      findings.add(new Finding(Level.ERROR, "unverified-codes.json", "cannot be read: " + e.getMessage()));
    }
    return rules;
  }

  private void reviewDates(ContentLibrary library, List<Finding> findings) {
    LocalDate today = LocalDate.now(clock);
    for (HandoutVersion handout : library.handouts()) {
      if (handout.status() != PublicationStatus.RETIRED && handout.reviewDue().isBefore(today)) {
        findings.add(new Finding(Level.ERROR, handoutFile(handout) + ": front matter.reviewDue",
            "the review date " + handout.reviewDue() + " has passed: review the text, then set a new date"));
      }
    }
  }

  private void approvals(ContentLibrary library, Path root, List<Finding> findings) {
    for (Approval approval : library.approvals()) {
      String where = "approvals: " + approval.artifact() + " " + approval.version();
      Path artifact = root.resolve(approval.artifact()).normalize();
      if (!artifact.startsWith(root.normalize()) || !Files.isRegularFile(artifact)) {
        findings.add(new Finding(Level.ERROR, where, "names a file that does not exist in the library"));
        continue;
      }
      try {
        String current = ContentLoader.sha256(Files.readAllBytes(artifact));
        if (!current.equals(approval.sha256())) {
          findings.add(new Finding(Level.ERROR, where, "the approval by " + approval.approver() + " on "
              + approval.date() + " no longer matches: the file changed after it was approved (approved "
              + approval.sha256().substring(0, 12) + ", now " + current.substring(0, 12) + "); approve it again"));
        }
      } catch (IOException e) {
        findings.add(new Finding(Level.ERROR, where, "cannot be read: " + e.getMessage()));
      }
    }
    List<String> drafts = new ArrayList<>();
    for (Artifact artifact : library.artifacts()) {
      if (artifact.status() == PublicationStatus.ACTIVE && library.approval(artifact).isEmpty()) {
        findings.add(new Finding(Level.ERROR, artifact.path() + (artifact.path().endsWith(".md") ? ": front matter.status" : ": status"),
            "is active but has no approval matching its text: run 'content approve'"));
      }
      if (artifact.status() == PublicationStatus.DRAFT) {
        drafts.add(artifact.path());
      }
    }
    if (!drafts.isEmpty()) {
      findings.add(new Finding(Level.WARNING, "content", drafts.size() + " file(s) are drafts, used only in demo mode"
          + " (handouts watermarked): " + String.join(", ", drafts)));
    }
    for (HandoutVersion handout : library.handouts()) {
      library.staleTranslation(handout).ifPresent(stale -> findings.add(new Finding(
          handout.status() == PublicationStatus.ACTIVE ? Level.ERROR : Level.WARNING,
          handoutFile(handout) + ": front matter.translatedFrom", stale + "; it is not given until then")));
    }
  }

  /** Every file of the library with one of the endings, as paths relative to the root. */
  public static List<Path> files(Path root, String... endings) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(path -> Stream.of(endings).anyMatch(ending -> path.toString().endsWith(ending)))
          .sorted()
          .toList();
    }
  }
}
