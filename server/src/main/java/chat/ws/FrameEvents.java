package chat.ws;

import chat.api.Json;
import chat.api.Where;
import chat.push.ChannelSubscribers;
import chat.push.EventFormat;
import chat.store.Message;
import chat.store.UncheckedReads;

import java.nio.charset.StandardCharsets;

/**
 * Push's events as WebSocket frames: message, gap, reset, join and leave events (spec ws/4, ws/6, ws/15, 9.1). A new message's frame is built once
 * and shared by every subscriber ({@link Frame#shared}); a backlog's frames are each socket's own.
 */
public final class FrameEvents implements EventFormat<Frame> {
    private final SocketMeters meters;

    private FrameEvents(SocketMeters meters) {
        this.meters = meters;
    }

    /**
     * Fan-out to sockets, offering each message on the subscribers' IO threads or on the given pool; its gap and
     * reset events are counted in {@code meters}.
     */
    public static ChannelSubscribers<Frame> subscribers(UncheckedReads store, Where delivery, SocketMeters meters) {
        FrameEvents format = new FrameEvents(meters);
        return delivery.isIoThread() ? ChannelSubscribers.onSubscriberThreads(store, format)
                : ChannelSubscribers.on(delivery.pool(), store, format);
    }

    @Override
    public Frame sharedMessage(String channel, Message message) {
        return Frame.shared(message(channel, message.id(), Json.fieldsWithTime(message)));
    }

    @Override
    public Frame message(String channel, Message message) {
        return Frame.text(message(channel, message.id(), Json.fieldsWithTime(message)));
    }

    @Override
    public Frame gap(String channel, long from, long to) {
        meters.gaps.inc();
        return Frame.text(("{\"event\":\"gap\",\"channel\":" + quote(channel) + ",\"from\":" + from + ",\"to\":" + to
                + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Frame reset(String channel, String epoch, long last) {
        meters.resets.inc();
        return Frame.text(("{\"event\":\"reset\",\"channel\":" + quote(channel) + ",\"epoch\":" + quote(epoch)
                + ",\"last\":" + last + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Frame presence(String channel, String username, boolean joined) {
        return Frame.shared(("{\"event\":\"" + (joined ? "join" : "leave") + "\",\"channel\":" + quote(channel)
                + ",\"username\":" + quote(username) + "}").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code {"event":"message","channel":"...","data":{"messageid":N,"username":...,"message":...,"time":T}}},
     * from the message's fields after the id (with the data object's closing brace).
     */
    private static byte[] message(String channel, long id, byte[] encoded) {
        byte[] head = ("{\"event\":\"message\",\"channel\":" + quote(channel) + ",\"data\":{\"messageid\":" + id + ",")
                .getBytes(StandardCharsets.UTF_8);
        byte[] event = new byte[head.length + encoded.length + 1];
        System.arraycopy(head, 0, event, 0, head.length);
        System.arraycopy(encoded, 0, event, head.length, encoded.length);
        event[event.length - 1] = '}';
        return event;
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        Json.appendString(out, text);
        return out.toString();
    }
}
