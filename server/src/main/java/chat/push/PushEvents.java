package chat.push;

import chat.core.ChatEvents;
import chat.store.Message;

/**
 * The core's events, delivered to subscribers: new messages and joins and leaves to a channel's, ended sessions to the
 * session's.
 */
public final class PushEvents implements ChatEvents {
    private final ChannelSubscribers<?> subscribers;
    private final SessionSubscribers sessions;

    public PushEvents(ChannelSubscribers<?> subscribers, SessionSubscribers sessions) {
        this.subscribers = subscribers;
        this.sessions = sessions;
    }

    @Override
    public void posted(String channel, Message message) {
        subscribers.posted(channel, message);
    }

    @Override
    public void presence(String channel, String username, boolean joined) {
        subscribers.presence(channel, username, joined);
    }

    @Override
    public void sessionEnded(long sesskey) {
        sessions.sessionEnded(sesskey);
    }
}
