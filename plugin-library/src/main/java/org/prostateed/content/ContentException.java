package org.prostateed.content;

import java.util.List;

/** Invalid content: each problem names the file, the field and the reason. */
public final class ContentException extends RuntimeException {

  private final List<String> problems;

  public ContentException(List<String> problems) {
    super("invalid content:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
