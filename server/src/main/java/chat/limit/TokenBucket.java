package chat.limit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;

/**
 * One token bucket in this process's memory: Bucket4j's lock-free bucket with a greedy refill, so it refills
 * continuously, as the Redis buckets ({@code chat.redis.RedisBuckets}) do, and an empty one says exactly how long
 * until its next token.
 */
public final class TokenBucket {
    private final RateLimit limit;
    private final Bucket bucket;

    public TokenBucket(RateLimit limit) {
        this.limit = limit;
        this.bucket = Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.rate().burst())
                        .refillGreedy(1, limit.rate().interval()).build())
                .build();
    }

    /** Takes a token: null when taken, else how long until there is one (nothing taken then). */
    public Duration tryTake() {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? null : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    /** Puts back a token taken for a call that, in the end, does not count (a logon whose password was right). */
    public void giveBack() {
        bucket.addTokens(1);
    }

    /** Whether it holds its whole burst: then it is no different from a new one, and may be forgotten. */
    public boolean isFull() {
        return bucket.getAvailableTokens() >= limit.rate().burst();
    }
}
