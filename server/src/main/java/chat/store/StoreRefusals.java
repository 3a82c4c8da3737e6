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
}
