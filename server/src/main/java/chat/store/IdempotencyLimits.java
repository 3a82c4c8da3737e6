package chat.store;

import java.time.Duration;

/**
 * How long a post's idempotency key is remembered, and how many one user's are at most (--idempotency-window,
 * --idempotency-keys). Past the count the user's oldest key is forgotten rather than the post refused: a client
 * retries a lost answer within seconds, long before it has made that many newer keyed posts, so forgetting the
 * oldest costs no honest client anything, while refusing would stop a busy poster that did nothing wrong.
 *
 * @param window   a repeat within it is answered as the first post was
 * @param perUser  the most keys kept for one user
 */
public record IdempotencyLimits(Duration window, int perUser) {
    /** The settings' defaults: 5 minutes, 1,000 keys a user. */
    public static final IdempotencyLimits DEFAULT = new IdempotencyLimits(Duration.ofMinutes(5), 1000);

    public IdempotencyLimits {
        if (window.isNegative() || window.isZero() || perUser < 1) {
            throw new IllegalArgumentException("idempotency window must be positive and keys at least 1");
        }
    }
}
