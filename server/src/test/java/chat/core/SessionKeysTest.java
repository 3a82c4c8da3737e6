package chat.core;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionKeysTest {
    @Test
    void keysAreDistinctWithinTheJavaScriptSafeRangeAndSpreadOut() {
        SessionKeys keys = new SessionKeys();
        Set<Long> seen = new HashSet<>();
        long above2To52 = 0;
        for (int i = 0; i < 10_000; i++) {
            long key = keys.next();
            assertTrue(key >= 1 && key < SessionKeys.BOUND, "in [1, 2^53): " + key);
            seen.add(key);
            above2To52 += key >= (1L << 52) ? 1 : 0;
        }
        assertEquals(10_000, seen.size());
        // Uniform over 53 bits: about half the keys have the top bit set. Far outside 40-60 % means a bias.
        assertTrue(above2To52 > 4_000 && above2To52 < 6_000, "top bit set in " + above2To52 + " of 10000");
    }
}
