package org.prostateed.content;

/** A code in a code system, as used in answers and code lists; display is optional. */
public record Coded(String system, String code, String display) {

  public boolean sameCode(String otherSystem, String otherCode) {
    return system.equals(otherSystem) && code.equals(otherCode);
  }

  public boolean sameCode(Coded other) {
    return sameCode(other.system, other.code);
  }

  @Override
  public String toString() {
    return system + "|" + code;
  }
}
