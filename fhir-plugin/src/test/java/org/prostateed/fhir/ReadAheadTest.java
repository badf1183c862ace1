package org.prostateed.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The give's reads that go ahead of it: "a request fails at the same point with the same message
 * as before", so a read's exception must reach the caller unchanged, and a busy pool must never
 * leave the caller waiting for a thread.
 */
class ReadAheadTest {

  @Test
  void aReadGoesAheadOnAPoolThreadAndJoinReturnsItsResult() throws InterruptedException {
    AtomicReference<String> readOn = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    ReadAhead<String> read = ReadAhead.start(() -> {
      readOn.set(Thread.currentThread().getName());
      done.countDown();
      return "Practitioner/p1";
    });

    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(readOn.get()).startsWith("store-read-ahead-");
    assertThat(read.join()).isEqualTo("Practitioner/p1");
  }

  @Test
  void joinRethrowsTheReadsOwnException() {
    ResourceNotFoundException missing = new ResourceNotFoundException("Encounter/e1 does not exist");
    ReadAhead<String> read = ReadAhead.start(() -> {
      throw missing;
    });

    assertThatThrownBy(read::join).isSameAs(missing);
  }

  @Test
  void whenEveryPoolThreadIsBusyTheCallerReadsItselfAndTheReadRunsOnce() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    List<ReadAhead<Boolean>> blockers = occupyEveryPoolThread(release);
    try {
      AtomicInteger runs = new AtomicInteger();
      AtomicReference<Thread> readOn = new AtomicReference<>();
      ReadAhead<Integer> read = ReadAhead.start(() -> {
        readOn.set(Thread.currentThread());
        return runs.incrementAndGet();
      });

      assertThat(read.join()).isEqualTo(1);
      assertThat(readOn.get()).isSameAs(Thread.currentThread());

      release.countDown();
      for (ReadAhead<Boolean> blocker : blockers) {
        assertThat(blocker.join()).isTrue();
      }
      // The pool takes its queue in order: once later reads have started on every pool thread, the
      // read the caller ran has been taken off the queue too, and it was not run a second time.
      CountDownLatch hold = new CountDownLatch(1);
      occupyEveryPoolThread(hold);
      hold.countDown();
      assertThat(runs.get()).isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  /** Starts one read per pool thread that waits for {@code release}; returns once all have started. */
  private static List<ReadAhead<Boolean>> occupyEveryPoolThread(CountDownLatch release) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(ReadAhead.THREADS);
    List<ReadAhead<Boolean>> reads = new ArrayList<>();
    for (int i = 0; i < ReadAhead.THREADS; i++) {
      reads.add(ReadAhead.start(() -> {
        started.countDown();
        try {
          return release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    return reads;
  }
}
