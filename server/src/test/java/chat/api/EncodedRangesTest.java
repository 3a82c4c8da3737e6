package chat.api;

import chat.store.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncodedRangesTest {
    /** A window of {@code count} messages of {@code bytes} bytes each, ids from 1. */
    private static List<Message> window(int count, int bytes) {
        List<Message> messages = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            messages.add(new Message(id, Message.NO_TIME, Json.messageFields("u", "x".repeat(bytes))));
        }
        return messages;
    }

    @Test
    void aFullWindowOfBigMessagesIsEncodedOnceAndShared() {
        EncodedRanges ranges = new EncodedRanges();
        List<Message> window = window(100, 24_000); // 2.4 MB, far over the old 64 KiB limit of what was kept
        byte[] first = ranges.answer("general", window);
        assertSame(first, ranges.answer("general", window), "the second reader gets the same bytes, not a copy");
        assertNotSame(first, ranges.answer("general", window.subList(1, 100)), "another range is another answer");
    }

    @Test
    void theAnswersKeptStayWithinTheBoundWhateverTheNumberOfChannels() {
        EncodedRanges ranges = new EncodedRanges();
        List<Message> window = window(20, 100_000); // 2 MB each
        for (int channel = 0; channel < 300; channel++) {
            ranges.answer("channel" + channel, window);
            assertTrue(ranges.cachedBytes() <= EncodedRanges.MAX_TOTAL_BYTES, "kept " + ranges.cachedBytes());
        }
        assertTrue(ranges.cachedBytes() > EncodedRanges.MAX_TOTAL_BYTES / 2, "the bound is used, not left empty");
    }
}
