package org.prostateed.content;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;

/** The content library as it is in the repository, for tests that need no server. */
public final class ShippedContent {

  private static ContentLibrary library;

  private ShippedContent() {}

  public static Path folder() {
    Path fromModule = Path.of("..", "content");
    return Files.isDirectory(fromModule) ? fromModule : Path.of("content");
  }

  public static synchronized ContentLibrary library() {
    if (library == null) {
      library = new ContentLoader(new ObjectMapper()).load(folder());
    }
    return library;
  }

  public static ContraindicationQuestionnaire questionnaire() {
    return library().questionnaire(library().items().get(0).questionnaireUrl());
  }
}
