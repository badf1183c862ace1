package org.prostateed.bench;

// Build and run from the repository root:
//
//   mvn -q -DskipTests -DskipContentValidation package
//   java -cp "bench/target/bench.jar:bench/target/lib/*" org.openjdk.jmh.Main [jmh options]
//
// With no options every benchmark runs with the defaults below (about 3 minutes on 2 cores).
// Short run: add  -f 1 -wi 1 -i 2 -w 2s -r 2s ; one benchmark: add its name, e.g.  cdsHook ;
// list them: -l ; exit 1 when a setup check fails: -foe true ; see bench/README.md.

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.prostateed.cdshooks.EducationHooks;
import org.prostateed.cdshooks.json.CdsRequestJson;
import org.prostateed.cdshooks.json.CdsResponseJson;
import org.prostateed.content.ContentLibrary;
import org.prostateed.engine.Decision;

/**
 * The plugin's in-process hot paths: the contraindication decision, the handout page and its PDF,
 * the CDS hook without HTTP, and loading the packaged content. Every state checks once, in its
 * setup, that the measured call gives the expected result, and fails the run if not.
 *
 * <p>The forked JVM gets the heap the demo server gets in bench/run.sh. Warm-up: on 2 cores the
 * HAPI parser, flexmark/sanitizer, openhtmltopdf and the content loader were still getting faster
 * after 20 s, so those benchmarks warm up for 20 s; the small ones for less.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 10, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class HotPaths {

  /** ContraindicationCheck.decide(questionnaire, answers, chart findings); see {@link DecideState}. */
  @Benchmark
  @Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
  @Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
  public Decision decide(DecideState state) {
    return state.check.decide(state.questionnaire, state.answers, state.chartFindings);
  }

  /** The English handout personalised for the all-"no" response and rendered to a sanitised HTML page. */
  @Benchmark
  public byte[] renderHtml(HandoutState state) {
    return html(state);
  }

  /** That HTML page rendered to PDF bytes. */
  @Benchmark
  public byte[] renderPdf(HandoutState state) {
    return state.pdf.pdf(state.htmlPage);
  }

  /**
   * POST /cds-services/prostate-education-encounter-start minus HTTP: the body read into
   * CdsRequestJson from a stream, the hook called, the response written as JSON bytes, as
   * CdsHooksServlet.call does.
   * A demo patient with a rich chart and complete prefetch.
   */
  @Benchmark
  public byte[] cdsHookFullPrefetch(CdsHookState state) throws IOException {
    return hook(state, EducationHooks.ENCOUNTER_START, state.fullPrefetchBody);
  }

  /**
   * The full-prefetch call's decision alone: the request already read, the cards not written.
   * What {@code cdsHookFullPrefetch} spends beyond reading and writing.
   */
  @Benchmark
  public CdsResponseJson cdsHookDecision(CdsHookState state) {
    return state.hooks.call(EducationHooks.ENCOUNTER_START, state.fullPrefetchRequest);
  }

  /** The same for patient-view and a patient with an empty chart: the no-op of bench/run.sh. */
  @Benchmark
  @Warmup(iterations = 6, time = 2, timeUnit = TimeUnit.SECONDS)
  @Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
  public byte[] cdsHookEmptyChart(CdsHookState state) throws IOException {
    return hook(state, EducationHooks.PATIENT_VIEW, state.emptyChartBody);
  }

  /** ContentLoader.loadPackaged(): the library read and checked from fhir-plugin.jar. */
  @Benchmark
  public ContentLibrary loadContent(ContentState state) {
    return state.loader.loadPackaged();
  }

  // The measured code, shared with the setup checks so that they check exactly what is measured.

  static byte[] html(HandoutState state) {
    String markdown = state.personalisation.personalise(state.handout.markdown(), state.answers, state.acknowledged)
        .markdown();
    return state.renderer.page(state.handout, markdown, false);
  }

  static byte[] hook(CdsHookState state, String serviceId, byte[] body) throws IOException {
    CdsRequestJson request = state.json.readValue(new ByteArrayInputStream(body), CdsRequestJson.class);
    return state.json.writeValueAsBytes(state.hooks.call(serviceId, request));
  }
}
