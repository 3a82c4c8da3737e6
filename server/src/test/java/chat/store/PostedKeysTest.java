package chat.store;

import chat.error.ChatError;
import chat.error.ChatException;
import chat.limit.RateLimits;
import chat.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory store's idempotency keys: the window, the bound per user, and their charge to the memory budget. */
class PostedKeysTest {
    private static final Function<String, byte[]> HELLO = user -> (user + ": hello").getBytes(StandardCharsets.UTF_8);
    private final MutableClock clock = new MutableClock();

    private InMemoryStore store(MessageMemory memory, int perUser) {
        InMemoryStore store = new InMemoryStore(clock, Duration.ofHours(1), 100, memory, RateLimits.NONE,
                new IdempotencyLimits(Duration.ofMinutes(5), perUser));
        assertTrue(store.openSession(1, "alice"));
        assertTrue(store.addChannel("c"));
        return store;
    }

    @Test
    void aKeyIsForgottenOnceTheWindowHasPassedAndItsMemoryGoesBack() {
        MessageMemory memory = new MessageMemory(Long.MAX_VALUE);
        InMemoryStore store = store(memory, 1000);
        long channelOnly = memory.used();
        assertEquals(1, store.postOnce(1, RateCharge.EXEMPT, "c", "k", HELLO).id());
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertTrue(store.postOnce(1, RateCharge.EXEMPT, "c", "k", HELLO).isRepeat(), "within the window");
        assertEquals(0, store.forgetExpiredKeys());
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, store.forgetExpiredKeys());
        assertEquals(0, store.postedKeyCount());
        long message = KeptBytes.message(HELLO.apply("alice"));
        assertEquals(channelOnly + message, memory.used(), "the key and the user's table released, the message kept");
        Posted again = store.postOnce(1, RateCharge.EXEMPT, "c", "k", HELLO);
        assertEquals(2, again.id(), "a key past its window is a new post");
        assertEquals(channelOnly + 2 * message + KeptBytes.keyedPoster("alice") + KeptBytes.postedKey("k"),
                memory.used(), "every key charged as KeptBytes says");
    }

    @Test
    void pastTheBoundTheOldestKeyIsForgottenAndReleased() {
        MessageMemory memory = new MessageMemory(Long.MAX_VALUE);
        InMemoryStore store = store(memory, 3);
        for (int i = 1; i <= 5; i++) {
            store.postOnce(1, RateCharge.EXEMPT, "c", "key" + i, HELLO);
        }
        assertEquals(3, store.postedKeyCount());
        assertTrue(store.postOnce(1, RateCharge.EXEMPT, "c", "key3", HELLO).isRepeat());
        assertEquals(6, store.postOnce(1, RateCharge.EXEMPT, "c", "key1", HELLO).id(), "forgotten: posts again");
        long messages = 6 * KeptBytes.message(HELLO.apply("alice"));
        assertEquals(KeptBytes.channel("c", 100) + messages + KeptBytes.keyedPoster("alice")
                + 3 * KeptBytes.postedKey("key1"), memory.used());
    }

    @Test
    void aFailedPostKeepsNoKeyAndAFullMemoryStillAnswersARepeat() {
        MessageMemory memory = new MessageMemory(KeptBytes.channel("c", 100) + KeptBytes.keyedPoster("alice")
                + KeptBytes.postedKey("k") + KeptBytes.message(HELLO.apply("alice")));
        InMemoryStore store = store(memory, 1000);
        ChatException missing = assertThrows(ChatException.class,
                () -> store.postOnce(1, RateCharge.EXEMPT, "none", "k", HELLO));
        assertEquals(ChatError.CHANNEL_NOT_FOUND, missing.error());
        assertEquals(1, store.postOnce(1, RateCharge.EXEMPT, "c", "k", HELLO).id(), "the key was not kept");
        assertEquals(memory.budget(), memory.used(), "full now");
        assertTrue(store.postOnce(1, RateCharge.EXEMPT, "c", "k", HELLO).isRepeat(), "a repeat needs no memory");
        ChatException full = assertThrows(ChatException.class,
                () -> store.postOnce(1, RateCharge.EXEMPT, "c", "other", HELLO));
        assertEquals(ChatError.LIMIT_REACHED, full.error());
        assertEquals(1, store.postedKeyCount());
        assertEquals(memory.budget(), memory.used(), "the refused key released what it was charged");
    }
}
