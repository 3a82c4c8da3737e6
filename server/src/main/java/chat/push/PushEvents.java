package chat.push;

import chat.core.ChatEvents;
import chat.store.Message;

/** The core's events, delivered to sockets: new messages to subscribers, ended sessions to their sockets. */
public final class PushEvents implements ChatEvents {
    private final ChannelSubscribers subscribers;
    private final SessionSockets sockets;

    public PushEvents(ChannelSubscribers subscribers, SessionSockets sockets) {
        this.subscribers = subscribers;
        this.sockets = sockets;
    }

    @Override
    public void posted(String channel, Message message) {
        subscribers.posted(channel, message);
    }

    @Override
    public void sessionEnded(long sesskey) {
        sockets.sessionEnded(sesskey);
    }
}
