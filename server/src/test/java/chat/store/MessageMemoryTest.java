package chat.store;

import chat.error.ChatError;
import chat.error.ChatException;
import chat.limit.RateLimits;
import chat.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The accounting of kept bytes: charged when kept, released when pushed out, never leaked or counted twice. */
@Timeout(30)
class MessageMemoryTest {

    @Test
    void theCountIsTheSumOverWhatTheWindowKeepsThroughEveryReplacement() {
        MessageMemory memory = new MessageMemory(Long.MAX_VALUE);
        MessageWindow window = new MessageWindow(3, memory);
        for (int length = 1; length <= 50; length++) {
            window.append(bytes(length * 7 % 23 + 1), 0); // sizes go up and down, so replacements free and take
            long kept = window.range(1, Long.MAX_VALUE).stream().mapToLong(m -> KeptBytes.message(m.stored())).sum();
            assertEquals(kept, memory.used(), "after message " + length);
        }
        assertEquals(3, window.range(1, Long.MAX_VALUE).size());
    }

    @Test
    void aPostThatWouldPassTheBudgetIsRefusedAndChangesNothing() {
        long oneMessage = KeptBytes.message(bytes(1000));
        MessageMemory memory = new MessageMemory(2 * oneMessage + 64);
        MessageWindow window = new MessageWindow(100, memory);
        window.append(bytes(1000), 0);
        window.append(bytes(1000), 0);
        ChatException refused = assertThrows(ChatException.class, () -> window.append(bytes(1000), 0));
        assertEquals(ChatError.LIMIT_REACHED, refused.error());
        assertTrue(refused.getMessage().contains("message memory is full"), refused.getMessage());
        assertEquals(2 * oneMessage, memory.used(), "the refused message is not counted");
        assertEquals(2, window.lastId(), "nor kept, nor given an id");
        window.append(bytes(10), 0); // a small one still fits in what is left
        assertEquals(3, window.lastId());
    }

    @Test
    void inAFullWindowOnlyTheDifferenceCounts() {
        long big = KeptBytes.message(bytes(1000));
        long small = KeptBytes.message(bytes(8));
        MessageMemory memory = new MessageMemory(2 * big);
        MessageWindow window = new MessageWindow(2, memory);
        window.append(bytes(1000), 0);
        window.append(bytes(1000), 0);
        assertEquals(2 * big, memory.used(), "full, in bytes and in slots");
        window.append(bytes(1000), 0); // replaces one as large: no more memory
        window.append(bytes(8), 0); // replaces a large one: frees
        assertEquals(big + small, memory.used());
        window.append(bytes(1000), 0); // replaces a large one again
        assertEquals(big + small, memory.used());
        window.append(bytes(1000), 0); // replaces the small one: takes back what it freed, and fits
        assertEquals(2 * big, memory.used());
        assertEquals(6, window.lastId());
    }

    @Test
    void aChannelIsChargedWhenCreatedOnceAndARefusedCreateCostsNothing() {
        MessageMemory memory = new MessageMemory(KeptBytes.channel("first", 100) + 100);
        InMemoryStore store = new InMemoryStore(new MutableClock(), Duration.ofMinutes(30), 100, memory, RateLimits.NONE,
                IdempotencyLimits.DEFAULT);
        assertTrue(store.addChannel("first"));
        assertFalse(store.addChannel("first"), "a name taken");
        assertEquals(KeptBytes.channel("first", 100), memory.used(), "charged once");
        ChatException refused = assertThrows(ChatException.class, () -> store.addChannel("second"));
        assertEquals(ChatError.LIMIT_REACHED, refused.error());
        assertEquals(List.of("first"), store.channelNames());
        assertEquals(KeptBytes.channel("first", 100), memory.used());
    }

    @Test
    void theDefaultBudgetIsHalfTheHeap() {
        assertEquals(512L << 20, MessageMemory.budgetFor(0, 1L << 30));
        assertEquals(65536, MessageMemory.budgetFor(65536, 1L << 30));
    }

    @Test
    void concurrentPostsNeverPassTheBudget() throws Exception {
        long oneMessage = KeptBytes.message(bytes(100));
        MessageMemory memory = new MessageMemory(4 * KeptBytes.channel("c0", 1000) + 500 * oneMessage);
        InMemoryStore store = new InMemoryStore(new MutableClock(), Duration.ofMinutes(30), 1000, memory, RateLimits.NONE,
                IdempotencyLimits.DEFAULT);
        for (int c = 0; c < 4; c++) {
            store.addChannel("c" + c);
        }
        long channels = memory.used();
        Thread[] posters = new Thread[4];
        int[] kept = new int[4];
        for (int t = 0; t < posters.length; t++) {
            int poster = t;
            posters[t] = new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    try {
                        store.append("c" + poster, bytes(100));
                        kept[poster]++;
                    } catch (ChatException full) {
                        assertEquals(ChatError.LIMIT_REACHED, full.error());
                    }
                }
            });
            posters[t].start();
        }
        for (Thread poster : posters) {
            poster.join();
        }
        int total = kept[0] + kept[1] + kept[2] + kept[3];
        assertEquals(channels + total * oneMessage, memory.used());
        assertTrue(memory.used() <= memory.budget());
        assertEquals(500, total, "exactly the budget's worth was kept, of 1,200 tried:  the budget's worth was kept: " + total);
    }

    private static byte[] bytes(int length) {
        return "m".repeat(length).getBytes(StandardCharsets.UTF_8);
    }
}
