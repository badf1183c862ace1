package org.prostateed.engine;

import java.util.ArrayList;
import java.util.List;
import org.prostateed.content.CodeSet;
import org.prostateed.content.Coded;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.EducationItem;

/** Finds the diagnoses linked to an encounter that qualify it for an education item. */
public final class QualifyingDiagnosisFinder {

  private final ContentLibrary library;

  public QualifyingDiagnosisFinder(ContentLibrary library) {
    this.library = library;
  }

  /**
   * @param linkedConditions the Conditions linked to the encounter, through
   *     {@code Encounter.diagnosis} or {@code Condition.encounter}
   */
  public List<QualifyingDiagnosis> find(List<ChartCondition> linkedConditions) {
    List<QualifyingDiagnosis> found = new ArrayList<>();
    for (ChartCondition condition : linkedConditions) {
      if (!condition.isCurrentAndConfirmed()) {
        continue;
      }
      for (EducationItem item : library.items()) {
        qualify(item, condition, found);
      }
    }
    return List.copyOf(found);
  }

  private void qualify(EducationItem item, ChartCondition condition, List<QualifyingDiagnosis> found) {
    for (EducationItem.QualifyingSet set : item.qualifying()) {
      CodeSet codeSet = library.codeSet(set.valueSetUrl());
      for (Coded code : condition.codes()) {
        if (codeSet.contains(code.system(), code.code())) {
          found.add(new QualifyingDiagnosis(
              item.id(), set.indication(), code, condition.reference(), set.valueSetUrl()));
          return;
        }
      }
    }
  }

  /** The distinct education items among the diagnoses, in catalog order. */
  public List<EducationItem> items(List<QualifyingDiagnosis> diagnoses) {
    List<EducationItem> items = new ArrayList<>();
    for (EducationItem item : library.items()) {
      for (QualifyingDiagnosis diagnosis : diagnoses) {
        if (diagnosis.itemId().equals(item.id())) {
          items.add(item);
          break;
        }
      }
    }
    return List.copyOf(items);
  }
}
