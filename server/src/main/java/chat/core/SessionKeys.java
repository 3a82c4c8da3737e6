package chat.core;

import java.security.SecureRandom;

/**
 * Session keys: unpredictable integers in [1, 2^53), so that a JavaScript client, whose numbers are doubles,
 * reads every key exactly. 53 random bits make a guess succeed about once in 9 * 10^15 tries.
 */
public final class SessionKeys {
    /** Keys are below this bound: 2^53. */
    public static final long BOUND = 1L << 53;

    private final SecureRandom random = new SecureRandom();

    public long next() {
        long key;
        do {
            key = random.nextLong() >>> 11; // the top 53 bits
        } while (key == 0);
        return key;
    }

    public static boolean isWellFormed(long key) {
        return key >= 1 && key < BOUND;
    }
}
