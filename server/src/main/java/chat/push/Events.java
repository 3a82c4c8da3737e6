package chat.push;

import chat.server.Json;
import chat.store.Message;

import java.nio.charset.StandardCharsets;

/** The JSON of what the server pushes: message and gap events. */
final class Events {
    private Events() {
    }

    /** {@code {"event":"message","channel":"...","data":{"messageid":N,"username":...,"message":...}}} */
    static byte[] message(String channel, Message message) {
        byte[] head = ("{\"event\":\"message\",\"channel\":" + quote(channel) + ",\"data\":{\"messageid\":"
                + message.id() + ",").getBytes(StandardCharsets.UTF_8);
        byte[] encoded = message.encoded(); // the fields after the id, with the data object's closing brace
        byte[] event = new byte[head.length + encoded.length + 1];
        System.arraycopy(head, 0, event, 0, head.length);
        System.arraycopy(encoded, 0, event, head.length, encoded.length);
        event[event.length - 1] = '}';
        return event;
    }

    /** {@code {"event":"gap","channel":"...","from":F,"to":T}}: ids F to T (inclusive) are lost. */
    static byte[] gap(String channel, long from, long to) {
        return ("{\"event\":\"gap\",\"channel\":" + quote(channel) + ",\"from\":" + from + ",\"to\":" + to + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        Json.appendString(out, text);
        return out.toString();
    }
}
