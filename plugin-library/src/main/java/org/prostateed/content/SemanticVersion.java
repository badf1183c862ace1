package org.prostateed.content;

/** A {@code major.minor.patch} version, ordered numerically. */
public record SemanticVersion(int major, int minor, int patch) implements Comparable<SemanticVersion> {

  public static SemanticVersion parse(String text) {
    String[] parts = text.split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("'" + text + "' is not a major.minor.patch version");
    }
    try {
      return new SemanticVersion(
          Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a major.minor.patch version", e);
    }
  }

  @Override
  public int compareTo(SemanticVersion other) {
    int byMajor = Integer.compare(major, other.major);
    if (byMajor != 0) {
      return byMajor;
    }
    int byMinor = Integer.compare(minor, other.minor);
    return byMinor != 0 ? byMinor : Integer.compare(patch, other.patch);
  }
}
