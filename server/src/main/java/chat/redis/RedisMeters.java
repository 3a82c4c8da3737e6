package chat.redis;

import chat.metrics.Metrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * Redis's health as this replica sees it: the time of each call (one round trip, or the pool wait and connect
 * before it), the calls that found it not answering, whether it answers now (a gauge read from the last call's
 * outcome, never from a call of its own: a scrape must not wait on a Redis that hangs), and how often the pub/sub
 * listener had to reconnect.
 */
final class RedisMeters {
    /** Redis calls take from ~100 us on loopback to the store timeout (2 s by default) when it hangs. */
    private static final double[] SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5, 5};

    final DistributionDataPoint callSeconds;
    final CounterDataPoint failures;
    final CounterDataPoint reconnects;

    RedisMeters(Metrics metrics) {
        this.callSeconds = metrics.histogram("chat_redis_call_duration_seconds",
                "Time of one Redis call, the wait for a pooled connection included", SECONDS);
        this.failures = metrics.counter("chat_redis_failures_total",
                "Redis calls that failed because it did not answer (no connection, timeout, loading, busy)");
        this.reconnects = metrics.counter("chat_redis_pubsub_reconnects_total",
                "Times the pub/sub listener lost its connection to Redis and connected again");
    }
}
