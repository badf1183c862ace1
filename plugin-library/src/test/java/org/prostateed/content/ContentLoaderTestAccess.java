package org.prostateed.content;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** Lets tests in other packages copy the shipped library to break, edit or release it. */
public final class ContentLoaderTestAccess {

  private ContentLoaderTestAccess() {}

  public static Path copyOfShipped(Path target) throws IOException {
    return ContentLoaderTest.copyOfShipped(target);
  }

  /**
   * A copy of the shipped library released as a content owner would: every governed file set
   * active, the translation recorded against its current original, and every file approved.
   */
  public static Path releasedCopyOfShipped(Path target) throws IOException {
    Path copy = copyOfShipped(target);
    ContentLibrary draft = new ContentLoader(new ObjectMapper()).load(copy);
    for (Artifact artifact : draft.artifacts()) {
      Path file = copy.resolve(artifact.path());
      String text = Files.readString(file);
      Files.writeString(file, artifact.path().endsWith(".md")
          ? text.replaceFirst("(?m)^status: draft$", "status: active")
          : text.replaceFirst("\"status\": \"draft\"", "\"status\": \"active\""));
    }
    for (HandoutVersion handout : draft.handouts()) {
      if (handout.translation().isPresent()) {
        TranslationRecord.record(copy, handout.path());
      }
    }
    ContentApproval approval = new ContentApproval(new ObjectMapper());
    for (Artifact artifact : draft.artifacts()) {
      approval.approve(copy, artifact.path(), "Dr Ada Example", "Consultant urologist", LocalDate.now());
    }
    return copy;
  }
}
