package org.prostateed.content;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests in other packages copy the shipped library to break or edit it. */
public final class ContentLoaderTestAccess {

  private ContentLoaderTestAccess() {}

  public static Path copyOfShipped(Path target) throws IOException {
    return ContentLoaderTest.copyOfShipped(target);
  }
}
