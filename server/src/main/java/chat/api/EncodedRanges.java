package chat.api;

import chat.store.Message;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Recently encoded /retrieve answers, so that many clients reading the same window (the common case: everyone
 * polls the newest messages) share one encoding instead of each copying 100 messages again. A full window of big
 * messages is 2.46 MB encoded (100 x 4,096 {@code \u0001}, 6 bytes each): 400 clients asking for it each had a
 * copy of their own and the heap grew by 1.6 GB (issue 13). Shared, it is in memory once, and the transports send
 * the same array to every one of them without copying it.
 *
 * <p>A message never changes once posted and ids are contiguous, so a channel and its first and last id
 * identify an answer exactly. The cache is direct-mapped by channel (a newer answer replaces the slot's), and the
 * bytes of every answer it holds together stay within {@link #MAX_TOTAL_BYTES}: an answer that would carry them
 * past it is answered but not kept. So its memory is bounded whatever the number of channels or the size of
 * messages: 32 MiB, a dozen full windows of the largest messages, or every slot with a 128 KiB answer.
 */
final class EncodedRanges {
    private static final int SLOTS = 256; // a power of two
    static final long MAX_TOTAL_BYTES = 32L << 20;

    private record Entry(String channel, long firstId, long lastId, byte[] answer) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);
    private final AtomicLong cachedBytes = new AtomicLong();

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
        keep(slot, new Entry(channel, firstId, lastId, answer));
        return answer;
    }

    /**
     * Room is taken before the entry goes in (the slot's old answer gives back its own), so the total never passes
     * the bound, even while threads replace the same slot at once: the one that loses the race gives its room back
     * and keeps nothing.
     */
    private void keep(int slot, Entry entry) {
        Entry replaced = slots.get(slot);
        long growth = entry.answer().length - (replaced == null ? 0 : replaced.answer().length);
        if (cachedBytes.addAndGet(growth) > MAX_TOTAL_BYTES || !slots.compareAndSet(slot, replaced, entry)) {
            cachedBytes.addAndGet(-growth);
        }
    }

    /** The bytes of the answers kept now. */
    long cachedBytes() {
        return cachedBytes.get();
    }
}
