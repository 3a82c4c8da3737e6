package chat.config;

import java.time.Duration;

/**
 * A token bucket's shape, as a rate limit's setting gives it: {@code burst} calls at once, then one more every
 * {@code interval} (a greedy refill: the bucket fills continuously, so after half an interval half a token is
 * back). Written {@code 30,1s} ("a burst of 30, then one a second"), or {@code off}.
 *
 * @param burst    how many tokens the bucket holds; 0 when the limit is off
 * @param interval how long one token takes to come back
 */
public record Rate(int burst, Duration interval) {
    public static final Rate OFF = new Rate(0, Duration.ZERO);

    public boolean isOff() {
        return burst == 0;
    }

    /** How long an empty bucket takes to fill: the window of the RateLimit-Policy field. */
    public Duration refillTime() {
        return interval.multipliedBy(burst);
    }

    /** Throws IllegalArgumentException, with the form it takes, for any other text. */
    static Rate parse(String text) {
        String value = text.strip();
        if (value.equalsIgnoreCase("off")) {
            return OFF;
        }
        int comma = value.indexOf(',');
        if (comma > 0) {
            try {
                int burst = Integer.parseInt(value.substring(0, comma).strip());
                Duration interval = Durations.parse(value.substring(comma + 1));
                if (burst >= 1 && !interval.isNegative() && !interval.isZero()) {
                    return new Rate(burst, interval);
                }
            } catch (IllegalArgumentException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("not a rate: '" + text + "' (write BURST,INTERVAL as in 30,1s: a burst "
                + "of 30, then one more a second; or off)");
    }

    @Override
    public String toString() {
        return isOff() ? "off" : burst + "," + Durations.format(interval);
    }
}
