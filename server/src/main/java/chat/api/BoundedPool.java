package chat.api;

import chat.error.ChatError;
import chat.error.ChatException;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads for slow work (a bcrypt hash) with a bounded line of work waiting for them, so that a burst of logons
 * holds a bounded amount of memory and never waits without end. Work beyond the line's bound is refused at once,
 * work that waited longer than the wait limit is refused when its turn comes, and work whose client has gone is
 * skipped: each refusal is SERVER_BUSY with a Retry-After estimated from the line's length and the measured time
 * of one piece of work.
 *
 * <p>A transport hands in a {@link Task}: the work, how to answer a refusal, and how to tell that its client has
 * gone, asked on a pool thread just before the work runs (so a burst of abandoned logons costs a check each, not
 * a hash each).
 */
public final class BoundedPool {
    /** One piece of work and what the pool needs of the transport that asked for it. */
    public interface Task {
        /** True when the client that asked is gone, so the work would be for nobody. Called on a pool thread. */
        boolean clientGone();

        /** Does the work and answers it. Called on a pool thread. */
        void run();

        /** Answers that the work is not done now (SERVER_BUSY, with Retry-After). */
        void refuse(ChatException busy);

        /** Lets go of what the task holds, its client gone (an HTTP exchange ends, its connection closes). */
        void abandon();
    }

    /** What the pool has done so far, for the tests and the log. */
    public record Counts(long done, long skipped, long refusedFull, long refusedWaited, int waiting) {
    }

    private final ThreadPoolExecutor threads;
    private final int threadCount;
    private final int maxWaiting;
    private final long maxWaitNanos;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong refusedFull = new AtomicLong();
    private final AtomicLong refusedWaited = new AtomicLong();
    private final DistributionDataPoint waitSeconds;
    private final DistributionDataPoint workSeconds;
    private volatile long averageNanos; // of one task's work, a moving average; 0 until one is measured

    /**
     * @param threadCount threads doing the work
     * @param maxWaiting  tasks that may wait for a thread (beyond those running)
     * @param maxWait     longest a task may wait for a thread before it is refused instead of run
     * @param waitSeconds what the time each task waited for a thread is observed in
     * @param workSeconds what the time of each task's work is observed in
     */
    public BoundedPool(int threadCount, int maxWaiting, Duration maxWait, ThreadFactory factory,
                       DistributionDataPoint waitSeconds, DistributionDataPoint workSeconds) {
        this.waitSeconds = waitSeconds;
        this.workSeconds = workSeconds;
        this.threadCount = threadCount;
        this.maxWaiting = maxWaiting;
        this.maxWaitNanos = maxWait.toNanos();
        this.threads = new ThreadPoolExecutor(threadCount, threadCount, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxWaiting), factory, new ThreadPoolExecutor.AbortPolicy());
        threads.prestartAllCoreThreads(); // so that the line's bound counts only waiting work
    }

    /** Queues the task, or refuses it at once when the line is full. */
    public void submit(Task task) {
        try {
            threads.execute(new Waiting(task, System.nanoTime()));
        } catch (RejectedExecutionException full) {
            refusedFull.incrementAndGet();
            task.refuse(busy(maxWaiting + " logons are waiting for the server's password hashing already"));
        }
    }

    public Counts counts() {
        return new Counts(done.get(), skipped.get(), refusedFull.get(), refusedWaited.get(), threads.getQueue().size());
    }

    public void stop() {
        threads.shutdownNow();
    }

    /** How long until the line now waiting has been worked off: what a refused client is told to wait. */
    Duration retryAfter() {
        long perTask = averageNanos > 0 ? averageNanos : TimeUnit.MILLISECONDS.toNanos(100);
        long ahead = threads.getQueue().size() + threadCount;
        return Duration.ofNanos(Math.min(TimeUnit.MINUTES.toNanos(5), ahead * perTask / threadCount));
    }

    private ChatException busy(String why) {
        return ChatError.SERVER_BUSY.exception("the server is too busy to log you on now (" + why
                + "); try again after the Retry-After seconds").retryAfter(retryAfter());
    }

    private void measured(long nanos) {
        long before = averageNanos;
        averageNanos = before == 0 ? nanos : before + (nanos - before) / 8; // a race loses one sample: harmless
    }

    private final class Waiting implements Runnable {
        private final Task task;
        private final long queuedAt;

        Waiting(Task task, long queuedAt) {
            this.task = task;
            this.queuedAt = queuedAt;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            waitSeconds.observe((start - queuedAt) * 1e-9);
            if (start - queuedAt > maxWaitNanos) {
                refusedWaited.incrementAndGet();
                task.refuse(busy("your logon waited " + TimeUnit.NANOSECONDS.toMillis(start - queuedAt)
                        + " ms for a turn, longer than the server's limit of "
                        + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms"));
                return;
            }
            if (task.clientGone()) {
                skipped.incrementAndGet();
                task.abandon();
                return;
            }
            long begun = System.nanoTime();
            task.run();
            long took = System.nanoTime() - begun;
            measured(took);
            workSeconds.observe(took * 1e-9);
            done.incrementAndGet();
        }
    }
}
