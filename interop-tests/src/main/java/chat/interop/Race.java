package chat.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Starts several attempts at the same instant, for the cases that check atomicity under concurrency. */
final class Race {
    private Race() {
    }

    /** Runs {@code contenders} copies of the attempt at once and counts those that returned true. */
    static int successes(int contenders, Callable<Boolean> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return attempt.call();
                }));
            }
            start.countDown();
            int succeeded = 0;
            for (Future<Boolean> outcome : outcomes) {
                succeeded += outcome.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            return succeeded;
        } finally {
            pool.shutdownNow();
        }
    }
}
