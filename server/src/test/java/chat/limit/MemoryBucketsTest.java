package chat.limit;

import chat.config.Rate;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.testing.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory logon buckets: all or none, and bounded (forgotten once full, capped in count). */
class MemoryBucketsTest {
    private static final RateLimit SLOW = new RateLimit("slow", new Rate(2, Duration.ofHours(1)), "too many for %s");
    private static final RateLimit FAST = new RateLimit("fast", new Rate(1, Duration.ofMillis(20)), "too fast");

    @Test
    void takesFromEveryBucketOrFromNone() {
        MemoryBuckets buckets = new MemoryBuckets(100);
        Charge slow = new Charge(SLOW, "alice", "alice");
        Charge other = new Charge(new RateLimit("other", new Rate(5, Duration.ofHours(1)), "other"), "alice", "alice");
        assertNull(buckets.take(List.of(slow, other)));
        assertNull(buckets.take(List.of(slow, other)));
        ChatException refused = buckets.take(List.of(other, slow));
        assertNotNull(refused);
        assertEquals(ChatError.RATE_LIMITED, refused.error());
        assertTrue(refused.reason().startsWith("too many for alice; try again in "), refused.reason());
        assertTrue(refused.retryAfter().compareTo(Duration.ofMinutes(59)) > 0, refused.retryAfter().toString());
        assertEquals("slow", refused.throttle().policy());
        // "other" gave its token back: 3 of its 5 are left.
        for (int i = 0; i < 3; i++) {
            assertNull(buckets.take(List.of(other)), "token " + (i + 1) + " of the 3 left");
        }
        assertNotNull(buckets.take(List.of(other)));
    }

    @Test
    void aGivenBackTokenCanBeTakenAgain() {
        MemoryBuckets buckets = new MemoryBuckets(100);
        Charge slow = new Charge(SLOW, "bob", "bob");
        assertNull(buckets.take(List.of(slow)));
        assertNull(buckets.take(List.of(slow)));
        assertNotNull(buckets.take(List.of(slow)));
        buckets.giveBack(List.of(slow));
        assertNull(buckets.take(List.of(slow)));
    }

    @Test
    void fullBucketsAreForgottenByTheSweep() throws Exception {
        MemoryBuckets buckets = new MemoryBuckets(100);
        for (int i = 0; i < 50; i++) {
            assertNull(buckets.take(List.of(new Charge(FAST, "client-" + i, ""))));
        }
        assertEquals(50, buckets.size("fast"));
        Await.until("every bucket full and swept", Duration.ofSeconds(10), () -> {
            buckets.sweep();
            return buckets.size("fast") == 0;
        });
    }

    @Test
    void pastItsCapANewKeyIsRefusedUntilBucketsRefill() throws Exception {
        MemoryBuckets buckets = new MemoryBuckets(100);
        for (int i = 0; i < 100; i++) {
            assertNull(buckets.take(List.of(new Charge(SLOW, "client-" + i, ""))));
        }
        ChatException refused = buckets.take(List.of(new Charge(SLOW, "one-more", "")));
        assertNotNull(refused, "the 101st key is not tracked");
        assertEquals(ChatError.RATE_LIMITED, refused.error());
        assertTrue(refused.reason().contains("tracking too many clients"), refused.reason());
        assertEquals(100, buckets.size("slow"));
        assertNull(buckets.take(List.of(new Charge(SLOW, "client-7", ""))), "a tracked key is still served");

        MemoryBuckets fast = new MemoryBuckets(100);
        for (int i = 0; i < 100; i++) {
            assertNull(fast.take(List.of(new Charge(FAST, "client-" + i, ""))));
        }
        // Once the old buckets are full again, a new key makes room by sweeping them.
        Await.until("room for a new key", Duration.ofSeconds(10),
                () -> fast.take(List.of(new Charge(FAST, "new", ""))) == null);
        assertTrue(fast.size("fast") <= 100);
    }
}
