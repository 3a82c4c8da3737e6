package chat.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Posts to one channel from several threads, as fast as answers come, until stopped; records the text of every
 * acknowledged post (each text is unique) and every failure (its HTTP status, error code and how long it took). The scale-out
 * tests cut a replica or Redis meanwhile and then check that nothing acknowledged is missing. They wait for what
 * the load has done (so many posts acknowledged, every poster refused) with the await methods, never for a time.
 */
final class LoadPoster implements AutoCloseable {
    /** A post that was not acknowledged: no answer (httpStatus 0), or a failure envelope. */
    record Failure(int httpStatus, String error, long millis) {
    }

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Long> lastSuccessMillis = new CopyOnWriteArrayList<>();
    /** Each poster's latest refusal (System.currentTimeMillis()), by the prefix of its texts. */
    private final Map<String, Long> lastRefusalMillis = new ConcurrentHashMap<>();
    private final int posters;
    private final ExecutorService threads;
    private final List<Future<?>> running = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    /** Starts {@code threads} posters, each on its own connection to {@code baseUrl}. */
    LoadPoster(String baseUrl, long sesskey, String channel, int threads) {
        this.threads = Executors.newFixedThreadPool(threads);
        this.posters = threads;
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + "-";
            running.add(this.threads.submit(() -> post(baseUrl, sesskey, channel, prefix)));
        }
    }

    private void post(String baseUrl, long sesskey, String channel, String prefix) {
        try (Wire wire = new Wire(baseUrl, Duration.ofSeconds(10))) {
            for (int n = 0; !stopped; n++) {
                String text = prefix + n;
                long start = System.nanoTime();
                try {
                    Answer answer = wire.call("post", "sesskey", sesskey, "channel", channel, "message", text);
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (answer.isEnvelope() && answer.status()) {
                        acknowledged.add(text);
                        lastSuccessMillis.add(System.currentTimeMillis());
                    } else {
                        failures.add(new Failure(answer.httpStatus(), answer.error(), millis));
                        lastRefusalMillis.put(prefix, System.currentTimeMillis());
                        Thread.sleep(20); // a client backs off a little; this one does too
                    }
                } catch (CaseFailed noAnswer) {
                    failures.add(new Failure(0, null, (System.nanoTime() - start) / 1_000_000));
                    lastRefusalMillis.put(prefix, System.currentTimeMillis());
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Set<String> acknowledged() {
        return acknowledged;
    }

    List<Failure> failures() {
        return failures;
    }

    /** How many posts were acknowledged since this time (System.currentTimeMillis()). */
    long successesSince(long millis) {
        return lastSuccessMillis.stream().filter(at -> at >= millis).count();
    }

    /** Waits until at least this many posts were acknowledged in all; fails saying what the load did if not. */
    void awaitAcknowledged(int count, Duration time, String why) throws InterruptedException {
        await(count + " acknowledged posts (" + why + ")", time, () -> acknowledged.size() >= count);
    }

    /** Waits until at least this many posts were acknowledged at or after this time (System.currentTimeMillis()). */
    void awaitSuccessesSince(long millis, int count, Duration time, String why) throws InterruptedException {
        await(count + " posts acknowledged since " + millis + " (" + why + ")", time,
                () -> successesSince(millis) >= count);
    }

    /**
     * Waits until every poster has had a post refused at or after this time: then every call that was in flight
     * at that time has been answered, however long the server made it wait.
     */
    void awaitEveryPosterRefusedSince(long millis, Duration time, String why) throws InterruptedException {
        await("a refusal since " + millis + " for each of the " + posters + " posters (" + why + ")", time,
                () -> postersRefusedSince(millis) == posters);
    }

    private long postersRefusedSince(long millis) {
        return lastRefusalMillis.values().stream().filter(at -> at >= millis).count();
    }

    private void await(String what, Duration time, BooleanSupplier happened) throws InterruptedException {
        if (!Poll.within(time, happened)) {
            throw new AssertionError("waited " + time.toSeconds() + " s for " + what + "; so far " + acknowledged.size()
                    + " acknowledged, " + failures.size() + " failed, " + lastRefusalMillis.size() + " of " + posters
                    + " posters ever refused");
        }
    }

    void stop() throws Exception {
        stopped = true;
        for (Future<?> poster : running) {
            poster.get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stopped = true;
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }
}
