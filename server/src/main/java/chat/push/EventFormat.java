package chat.push;

import chat.store.Message;

/**
 * How a transport writes push's events (spec section 9, WebSocket: message and gap events). A new message's event is made
 * once, however many subscribers receive it.
 *
 * @param <E> what an event is to the transport
 */
public interface EventFormat<E> {
    /** A new message's event, shared by every subscriber of the channel. */
    E sharedMessage(String channel, Message message);

    /** A kept message's event for one subscriber (a backlog, or a hole filled from the store). */
    E message(String channel, Message message);

    /** Ids {@code from} to {@code to} (inclusive) were lost to the window. */
    E gap(String channel, long from, long to);

    /**
     * The position the subscriber resumes from is not in this history (spec ws/15): the channel's history is
     * {@code epoch}, its newest id {@code last}, and its kept messages follow from the start.
     */
    E reset(String channel, String epoch, long last);

    /** A user joined ({@code joined}) or left the channel (spec 9.1), shared by every subscriber of the channel. */
    E presence(String channel, String username, boolean joined);
}
