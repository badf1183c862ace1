package org.prostateed.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.prostateed.content.ContentLibrary;
import org.prostateed.content.ContentLoader;

/** Input of {@code loadContent}: a loader of the library packed in fhir-plugin.jar. */
@State(Scope.Benchmark)
public class ContentState {

  ContentLoader loader;

  @Setup(Level.Trial)
  public void setUp() {
    loader = new ContentLoader(new ObjectMapper());
    ContentLibrary library = loader.loadPackaged();
    boolean complete = !library.items().isEmpty() && !library.questionnaires().isEmpty()
        && !library.codeSets().isEmpty() && library.handouts().size() >= 2;
    if (!complete) {
      throw new IllegalStateException("loadContent: the packaged library is incomplete (" + library.items().size()
          + " items, " + library.questionnaires().size() + " questionnaires, " + library.codeSets().size()
          + " value sets, " + library.handouts().size() + " handout versions)");
    }
  }
}
