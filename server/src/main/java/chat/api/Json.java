package chat.api;

import chat.store.Message;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the protocol's answers as bytes. Hand-written rather than through a general serializer: the
 * answers have a handful of fixed shapes, and the hot ones (true, a number, a window of messages) are then
 * a few appends or one array copy.
 */
public final class Json {
    public static final byte[] TRUE = utf8("{\"status\":true,\"data\":true}");
    static final byte[] EMPTY_LIST = utf8("{\"status\":true,\"data\":[]}");
    public static final byte[] HEALTHY = utf8("{\"status\":true,\"data\":\"ok\"}");
    public static final byte[] READY = utf8("{\"status\":true,\"data\":\"ready\"}");

    private static final byte[] MESSAGES_START = utf8("{\"status\":true,\"data\":[");
    private static final byte[] MESSAGES_END = utf8("]}");
    private static final byte[] MESSAGE_ID = utf8("{\"messageid\":");
    private static final byte[] CLOSE = utf8("}");

    /** The first byte of a message's compact form; see {@link #messageFields}. */
    private static final char COMPACT = 0;
    /** Escaping that costs no more than this stays in the stored JSON: a few newlines are not worth a copy per read. */
    private static final int ESCAPING_KEPT = 64;
    /** How each control character is written in a JSON string. */
    private static final String[] ESCAPES = new String[0x20];
    private static final byte[][] ESCAPED_BYTES = new byte[0x20][];

    static {
        for (char c = 0; c < 0x20; c++) {
            ESCAPES[c] = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                default -> String.format("\\u%04x", (int) c);
            };
            ESCAPED_BYTES[c] = utf8(ESCAPES[c]);
        }
    }

    private Json() {
    }

    static byte[] success(long number) {
        return utf8("{\"status\":true,\"data\":" + number + '}');
    }

    static byte[] strings(List<String> strings) {
        StringBuilder out = new StringBuilder(32 + strings.size() * 16).append("{\"status\":true,\"data\":[");
        for (int i = 0; i < strings.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendString(out, strings.get(i));
        }
        return utf8(out.append("]}").toString());
    }

    /** The answer to a WebSocket call: the HTTP answer with the frame's id put first. */
    public static byte[] withId(String idJson, byte[] answer) {
        byte[] head = ("{\"id\":" + idJson + ",").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + answer.length - 1];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(answer, 1, out, head.length, answer.length - 1); // answer without its opening brace
        return out;
    }

    /** GET /version's answer: {@code {"status":true,"data":{"version":"...","commit":"..."}}}. */
    public static byte[] version(String version, String commit) {
        StringBuilder out = new StringBuilder(96).append("{\"status\":true,\"data\":{\"version\":");
        appendString(out, version);
        out.append(",\"commit\":");
        appendString(out, commit);
        return utf8(out.append("}}").toString());
    }

    /** A subscribe answer: the kept window, and the epoch of the history it is a window of (ws/15). */
    public static byte[] window(long first, long last, String epoch) {
        StringBuilder out = new StringBuilder(64).append("{\"status\":true,\"data\":{\"first\":").append(first)
                .append(",\"last\":").append(last).append(",\"epoch\":");
        appendString(out, epoch);
        return utf8(out.append("}}").toString());
    }

    public static byte[] failure(String code, String reason) {
        return utf8(failureFields(code, reason).append('}').toString());
    }

    /** A failure that waiting helps, over a WebSocket: the envelope and {@code "retry_after"}, in seconds. */
    public static byte[] failure(String code, String reason, long retryAfterSeconds) {
        return utf8(failureFields(code, reason).append(",\"retry_after\":").append(retryAfterSeconds).append('}')
                .toString());
    }

    private static StringBuilder failureFields(String code, String reason) {
        StringBuilder out = new StringBuilder(80 + reason.length()).append("{\"status\":false,\"data\":");
        appendString(out, reason);
        out.append(",\"error\":");
        appendString(out, code);
        return out;
    }

    /**
     * A message's fields after its id as the store keeps them: {@code "username":"...","message":"..."}} (with the
     * closing brace), the part that never changes. The id is prepended when it is read, so that a store can assign
     * it atomically.
     *
     * <p>Most often these are the wire's very bytes, copied as they are into every answer. But JSON escapes most
     * control characters as 6 bytes (a backslash, u and four hex digits), so a text of them would be kept at 6 times
     * its size; when escaping adds more than {@link #ESCAPING_KEPT} bytes and more than an eighth, the fields are
     * kept instead with their control characters as themselves (1 byte each) behind a leading 0 byte, and
     * {@link #fields} escapes them when they are read (in UTF-8 no other byte is below 0x20, and the JSON form
     * starts with a quote, so the two forms cannot be mistaken).
     */
    public static byte[] messageFields(String username, String message) {
        int escaping = escapingCost(username) + escapingCost(message);
        boolean compact = escaping > ESCAPING_KEPT && escaping * 8L > username.length() + message.length();
        StringBuilder out = new StringBuilder(33 + username.length() + message.length());
        if (compact) {
            out.append(COMPACT);
        }
        out.append("\"username\":");
        appendString(out, username, compact);
        out.append(",\"message\":");
        appendString(out, message, compact);
        return utf8(out.append('}').toString());
    }

    /** A message's fields as JSON, for the wire: its stored bytes themselves, or escaped from its compact form. */
    public static byte[] fields(Message message) {
        byte[] stored = message.stored();
        if (stored.length == 0 || stored[0] != COMPACT) {
            return stored;
        }
        int size = 0;
        for (int i = 1; i < stored.length; i++) {
            size += stored[i] >= 0 && stored[i] < 0x20 ? escaped(stored[i]).length : 1; // UTF-8's other bytes: < 0
        }
        byte[] out = new byte[size];
        int at = 0;
        for (int i = 1; i < stored.length; i++) {
            byte b = stored[i];
            if (b >= 0 && b < 0x20) {
                at = put(out, at, escaped(b));
            } else {
                out[at++] = b;
            }
        }
        return out;
    }

    /**
     * A message's fields after its id, for the wire, its time included: {@code "username":...,"message":...,
     * "time":T}} (without the time for a message kept before times were: spec retrieve/9).
     */
    public static byte[] fieldsWithTime(Message message) {
        byte[] fields = fields(message);
        if (!message.hasTime()) {
            return fields;
        }
        byte[] tail = timeTail(message);
        byte[] out = new byte[fields.length - 1 + tail.length];
        put(out, put(out, 0, fields, fields.length - 1), tail);
        return out;
    }

    /** {@code ,"time":T}} or {@code }}: what follows a message's fields, their closing brace left out. */
    private static byte[] timeTail(Message message) {
        return message.hasTime() ? (",\"time\":" + message.time() + "}").getBytes(StandardCharsets.US_ASCII) : CLOSE;
    }

    /**
     * A success whose data is the given messages, each as {"messageid":ID,<fields>,"time":T}: one allocation for the
     * answer, no re-encoding.
     */
    static byte[] messages(List<Message> messages) {
        int count = messages.size();
        byte[][] ids = new byte[count][];
        byte[][] fields = new byte[count][];
        byte[][] tails = new byte[count][];
        int size = MESSAGES_START.length + MESSAGES_END.length + Math.max(0, count - 1); // the commas between
        for (int i = 0; i < count; i++) {
            Message message = messages.get(i);
            ids[i] = Long.toString(message.id()).getBytes(StandardCharsets.US_ASCII);
            fields[i] = fields(message);
            tails[i] = timeTail(message);
            size += MESSAGE_ID.length + ids[i].length + 1 + fields[i].length - 1 + tails[i].length;
        }
        byte[] out = new byte[size];
        int at = put(out, 0, MESSAGES_START);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            at = put(out, at, MESSAGE_ID);
            at = put(out, at, ids[i]);
            out[at++] = ',';
            at = put(out, at, fields[i], fields[i].length - 1);
            at = put(out, at, tails[i]);
        }
        put(out, at, MESSAGES_END);
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        return put(out, at, part, part.length);
    }

    private static int put(byte[] out, int at, byte[] part, int length) {
        System.arraycopy(part, 0, out, at, length);
        return at + length;
    }

    /** Appends a JSON string literal, escaping what RFC 8259 requires. */
    public static void appendString(StringBuilder out, String value) {
        appendString(out, value, false);
    }

    /** ... or all of it but the control characters, left as they are for the compact form. */
    private static void appendString(StringBuilder out, String value, boolean keepControls) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append("\\\"");
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 && !keepControls) {
                out.append(ESCAPES[c]);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** The bytes escaping adds to a text: 1 for the short escapes (\\n and its like), 5 for the other controls. */
    private static int escapingCost(String value) {
        int cost = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20) {
                cost += ESCAPES[c].length() - 1;
            }
        }
        return cost;
    }

    private static byte[] escaped(byte control) {
        return ESCAPED_BYTES[control];
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
