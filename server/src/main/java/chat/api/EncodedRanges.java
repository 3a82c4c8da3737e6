package chat.api;

import chat.store.Message;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Recently encoded /retrieve answers, so that many clients reading the same window (the common case: everyone
 * polls the newest messages) share one encoding instead of each copying 100 messages again.
 *
 * <p>A message never changes once posted and ids are contiguous, so a channel and its first and last id
 * identify an answer exactly. The cache is direct-mapped by channel and holds only answers up to a size bound,
 * so its memory is bounded whatever the number of channels or the size of messages.
 */
final class EncodedRanges {
    private static final int SLOTS = 256; // a power of two
    private static final int MAX_CACHED_BYTES = 64 * 1024;

    private record Entry(String channel, long firstId, long lastId, byte[] answer) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /** The encoded answer for these messages (non-empty, contiguous, ascending) of this channel. */
    byte[] answer(String channel, List<Message> messages) {
        long firstId = messages.get(0).id();
        long lastId = messages.get(messages.size() - 1).id();
        int slot = channel.hashCode() & (SLOTS - 1);
        Entry entry = slots.get(slot);
        if (entry != null && entry.firstId() == firstId && entry.lastId() == lastId && entry.channel().equals(channel)) {
            return entry.answer();
        }
        byte[] answer = Json.messages(messages);
        if (answer.length <= MAX_CACHED_BYTES) {
            slots.set(slot, new Entry(channel, firstId, lastId, answer));
        }
        return answer;
    }
}
