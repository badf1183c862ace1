package org.prostateed.chart;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** The warning that a chart was not read whole, which the operations, the app and the CDS card show. */
public final class ChartIssues {

  /** What the warning says, for every surface that shows it. */
  public static final String INCOMPLETE = "The FHIR server did not return every record of this patient's chart that"
      + " the checks search for (it pages, and the plugin stopped before the last page): pre-filled answers and"
      + " chart findings may be missing. Check the chart by hand.";

  private ChartIssues() {}

  /** SDC's {@code issues}: one warning, of type incomplete. */
  public static OperationOutcome incomplete() {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(IssueSeverity.WARNING).setCode(IssueType.INCOMPLETE).setDiagnostics(INCOMPLETE);
    return outcome;
  }
}
