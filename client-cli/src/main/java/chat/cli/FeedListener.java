package chat.cli;

/**
 * Hears what a {@link ChannelFeed} (and the {@link PushFollower} or pollers under it) has for a person: the followed
 * channels' messages, presence, and notices. Called from the feed's threads, one call at a time per source.
 */
interface FeedListener {
    /** A message of a followed channel: each once, in id order per channel. */
    void message(String channel, Message message);

    /** What a person should know: gaps, reconnections, errors. Raw: the listener makes server text safe. */
    void notice(String text);

    /** Someone's first socket on the channel subscribed (joined) or their last one went away (left); issue 18. */
    default void presence(String channel, String username, boolean joined) {
    }

    /** The server refused to follow the channel (no such channel, too many subscriptions): it is followed no more. */
    void refused(String channel, String reason, String errorCode);
}
