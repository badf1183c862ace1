package org.prostateed.fhir;

import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** The warning that a chart was not read whole, which the app and the CDS card show. */
public final class ChartIssues {

  /** What the warning says, for every surface that shows it. */
  public static final String INCOMPLETE = "The FHIR server did not return every record of this patient's chart that the"
      + " checks search for (it pages, and the plugin stopped before the last page): pre-filled answers and chart"
      + " findings may be missing. Check the chart by hand.";

  private ChartIssues() {}

  static OperationOutcome incomplete() {
    return Outcomes.outcome(IssueSeverity.WARNING, IssueType.INCOMPLETE, List.of(INCOMPLETE));
  }
}
