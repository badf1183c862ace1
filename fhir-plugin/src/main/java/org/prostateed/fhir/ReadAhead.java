package org.prostateed.fhir;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A store read that needs nothing the caller has still to work out, started on a small pool so
 * that the caller can go on. {@link #join} runs the read on the calling thread when no pool thread
 * has taken it yet, so a busy pool costs no more than reading in turn, and rethrows what the read
 * threw, as it was thrown: the caller sees the same exceptions, in the order it joins, as if it
 * had read there.
 *
 * <p>Only reads go ahead: every write stays on the caller's thread, in its order.
 */
final class ReadAhead<T> {

  /** One thread per core: the reads are the database's work on this machine, or waits on another. */
  static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
  private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, new ThreadFactoryWithNames());

  private final FutureTask<T> task;

  private ReadAhead(Supplier<T> read) {
    this.task = new FutureTask<>(read::get);
  }

  static <T> ReadAhead<T> start(Supplier<T> read) {
    ReadAhead<T> ahead = new ReadAhead<>(read);
    POOL.execute(ahead.task);
    return ahead;
  }

  /** The read's result; its exception if it failed. */
  T join() {
    task.run(); // does nothing if a pool thread has started or finished it
    try {
      return task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a store read", e);
    }
  }

  /** Daemon threads named for what they do, so that they show in a thread dump and never hold the JVM. */
  private static final class ThreadFactoryWithNames implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable runnable) {
      Thread thread = new Thread(runnable, "store-read-ahead-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
