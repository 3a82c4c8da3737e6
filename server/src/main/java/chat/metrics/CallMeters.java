package chat.metrics;

import chat.error.ChatError;
import chat.error.ChatException;
import chat.error.Throttle;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls' metrics, a contract (README, "Metrics"): {@code chat_calls_total{call, outcome}}, outcome {@code ok} or
 * the error code, and {@code chat_call_duration_seconds{call}}; and {@code chat_rate_limited_total{limit}}, the
 * calls a rate limit refused, by its policy name (a fixed set: chat.limit.RateLimits).
 *
 * <p>One {@link Meter} per call, made once: its {@code ok} and duration data points are resolved then; an error
 * code's on its first use (so the exposition lists only the codes that happened), kept by ordinal.
 */
public final class CallMeters {
    private final boolean on;
    private final Metrics.Family<CounterDataPoint> calls;
    private final Metrics.Family<DistributionDataPoint> durations;
    private final Metrics.Family<CounterDataPoint> rateLimited;
    /** By policy: a bounded set of names, so this map stays small. */
    private final ConcurrentMap<String, CounterDataPoint> byLimit = new ConcurrentHashMap<>();

    public CallMeters(Metrics metrics) {
        this.on = metrics.isOn();
        this.calls = metrics.counter("chat_calls_total", "Calls answered, over HTTP and WebSocket, by outcome: ok or "
                + "the error code", "call", "outcome");
        this.durations = metrics.histogram("chat_call_duration_seconds", "Time a call takes from its body to its "
                + "answer (without the wait for a thread or the write)", Metrics.CALL_SECONDS, "call");
        this.rateLimited = metrics.counter("chat_rate_limited_total", "Calls refused by a rate limit, by its policy",
                "limit");
    }

    /** The meter of one call ("post", "subscribe"): make it once, where the call is. */
    public Meter meter(String call) {
        return new Meter(call);
    }

    /** What one call came to, and how long it took. */
    public final class Meter {
        private final String call;
        private final CounterDataPoint ok;
        private final DistributionDataPoint duration;
        private final AtomicReferenceArray<CounterDataPoint> failed =
                new AtomicReferenceArray<>(ChatError.values().length);

        private Meter(String call) {
            this.call = call;
            this.ok = calls.labels(call, "ok");
            this.duration = durations.labels(call);
        }

        /** Where the call begins: the clock, or 0 with metrics off (no clock read). */
        public long start() {
            return on ? System.nanoTime() : 0;
        }

        /** The call has ended, successfully when {@code failure} is null. */
        public void finish(long start, ChatException failure) {
            if (on) {
                duration.observe((System.nanoTime() - start) * 1e-9);
                count(failure);
            }
        }

        /** A call answered without running (refused while it waited for a thread): counted, not timed. */
        public void count(ChatException failure) {
            if (!on) {
                return;
            }
            if (failure == null) {
                ok.inc();
                return;
            }
            ChatError error = failure.error();
            CounterDataPoint point = failed.get(error.ordinal());
            if (point == null) {
                point = calls.labels(call, error.name()); // the same data point, whichever thread asks first
                failed.set(error.ordinal(), point);
            }
            point.inc();
            Throttle throttle = failure.throttle();
            if (throttle != null) {
                byLimit.computeIfAbsent(throttle.policy(), rateLimited::labels).inc();
            }
        }
    }
}
