package chat.store;

import chat.error.ChatError;
import chat.error.ChatException;

/** The refusals both stores give in the same words: each reason is written once, here. */
public final class StoreRefusals {
    private StoreRefusals() {
    }

    public static ChatException channelNotFound(String channel) {
        return ChatError.CHANNEL_NOT_FOUND.exception("no channel named \"" + channel + "\"; create it first");
    }

    public static ChatException channelLimit(long maxChannels) {
        return ChatError.LIMIT_REACHED.exception("the server has " + maxChannels
                + " channels, its limit; post to an existing one");
    }

    /** The in-memory store's budget (--memory-budget) would be passed by {@code more} bytes. */
    public static ChatException memoryFull(long used, long budget, long more) {
        return ChatError.LIMIT_REACHED.exception("the server's message memory is full: kept messages and channels "
                + "take " + used + " of its " + budget + " bytes and this needs " + more + " more; a message no "
                + "larger than the oldest of a full channel still fits there, or ask the operator to raise "
                + "--memory-budget");
    }

    /** A repeat of a post's idempotency key whose channel or message is not the first post's. */
    public static ChatException keyReused(String key) {
        return ChatError.IDEMPOTENCY_KEY_REUSED.exception("the idempotency key \"" + key + "\" was used by one of "
                + "your posts with another channel or message in the last minutes; a repeat must send the same channel "
                + "and message, and a new post a new key");
    }

    /** Redis at its maxmemory (with noeviction) refused to store more. */
    public static ChatException storeMemoryFull() {
        return ChatError.LIMIT_REACHED.exception("the server's store's memory is full (Redis is at its maxmemory), so "
                + "it keeps no new messages, channels or users for now; reading goes on; ask the operator to raise "
                + "Redis's maxmemory");
    }
}
