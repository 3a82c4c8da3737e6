package chat.limit;

import chat.config.Rate;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.error.Throttle;

import java.time.Duration;

/**
 * One rate limit as configured: a token bucket's shape ({@link Rate}) per key of one kind (a session, a client
 * address, a username), its name, and how a refusal reads to the person refused.
 *
 * @param name    the policy's name in the RateLimit fields, e.g. {@code failed-logons}
 * @param rate    the bucket's burst and refill; {@link Rate#OFF} for a limit that is off
 * @param refusal what was done too often, {@code %s} standing for the subject: "too many wrong passwords for %s"
 */
public record RateLimit(String name, Rate rate, String refusal) {
    public boolean isOff() {
        return rate.isOff();
    }

    /**
     * The refusal, RATE_LIMITED: "too many wrong passwords for alice; try again in 52 s", with Retry-After and the
     * limit's policy for the RateLimit fields.
     */
    public ChatException refuse(String subject, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        String reason = String.format(refusal, subject) + "; try again in " + readable(seconds);
        long window = Math.max(1, (rate.refillTime().toMillis() + 999) / 1000);
        return ChatError.RATE_LIMITED.exception(reason).retryAfter(Duration.ofSeconds(seconds))
                .throttledBy(new Throttle(name, rate.burst(), window));
    }

    private static String readable(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        return (seconds + 59) / 60 + " min";
    }
}
