package chat.core;

import chat.store.Message;

/**
 * What the core tells the push side. Called on the calling thread, after the store has acknowledged the change,
 * outside any lock: notifications for one channel can arrive out of id order when posts race, so a listener that
 * needs order must sequence by id (see chat.push.Subscription).
 */
public interface ChatEvents {
    ChatEvents NONE = new ChatEvents() {
    };

    /** A message was stored in this channel. */
    default void posted(String channel, Message message) {
    }

    /** A session was ended by logoff. */
    default void sessionEnded(long sesskey) {
    }

    /** A user joined ({@code joined}) or left a channel (spec 9.1), as presence decided to announce it. */
    default void presence(String channel, String username, boolean joined) {
    }
}
