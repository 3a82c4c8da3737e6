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

    /** The data of a subscribe answer: the kept window. */
    public static byte[] window(long first, long last) {
        return utf8("{\"status\":true,\"data\":{\"first\":" + first + ",\"last\":" + last + "}}");
    }

    public static byte[] failure(String code, String reason) {
        StringBuilder out = new StringBuilder(64 + reason.length()).append("{\"status\":false,\"data\":");
        appendString(out, reason);
        out.append(",\"error\":");
        appendString(out, code);
        return utf8(out.append('}').toString());
    }

    /**
     * A message's fields after its id: {@code "username":"...","message":"..."}} (with the closing brace), the
     * part that never changes. The id is prepended when it is read, so that a store can assign it atomically.
     */
    public static byte[] messageFields(String username, String message) {
        StringBuilder out = new StringBuilder(32 + username.length() + message.length()).append("\"username\":");
        appendString(out, username);
        out.append(",\"message\":");
        appendString(out, message);
        return utf8(out.append('}').toString());
    }

    /** A success whose data is the given messages, each as {"messageid":ID,<fields>}: one allocation, no re-encoding. */
    static byte[] messages(List<Message> messages) {
        int count = messages.size();
        byte[][] ids = new byte[count][];
        int size = MESSAGES_START.length + MESSAGES_END.length + Math.max(0, count - 1); // the commas between
        for (int i = 0; i < count; i++) {
            ids[i] = Long.toString(messages.get(i).id()).getBytes(StandardCharsets.US_ASCII);
            size += MESSAGE_ID.length + ids[i].length + 1 + messages.get(i).encoded().length;
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
            at = put(out, at, messages.get(i).encoded());
        }
        put(out, at, MESSAGES_END);
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    /** Appends a JSON string literal, escaping what RFC 8259 requires. */
    public static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
