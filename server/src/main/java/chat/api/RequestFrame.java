package chat.api;

import chat.error.ChatError;
import chat.error.ChatException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.util.Map;

/**
 * A call made over a WebSocket: {@code {"id": 7, "call": "post", "body": {...}}} (spec ws/2), read as strictly as
 * an HTTP body and by the same reader ({@link RequestBody}). The id is a string, a number or null, kept as its JSON
 * text to be echoed as given; any other id is refused, and nested values anywhere are skipped without recursion, so
 * no frame can make the server build (or print) a deep tree.
 */
public final class RequestFrame {
    /** The id of an answer to a frame whose own id could not be read. */
    public static final String NO_ID = "null";

    private static final Object ABSENT = new Object();

    private final String id;
    private final Object call;
    private final Object body;

    private RequestFrame(String id, Object call, Object body) {
        this.id = id;
        this.call = call;
        this.body = body;
    }

    /**
     * Reads a frame: MALFORMED_JSON, BODY_NOT_OBJECT when it is not an object, FIELD_WRONG_TYPE when its id is not a
     * string, number or null; its other fields are checked later, when the answer can carry the id.
     */
    public static RequestFrame parse(byte[] bytes) {
        JsonReader reader = RequestBody.strictReader(bytes, "frame");
        try {
            JsonToken first = reader.peek();
            if (first != JsonToken.BEGIN_OBJECT) {
                throw ChatError.BODY_NOT_OBJECT.exception("a frame must be a JSON object {\"id\", \"call\", \"body\"}, got "
                        + RequestBody.describe(first));
            }
            String id = NO_ID;
            ChatException badId = null;
            Object call = null;
            Object body = ABSENT;
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                switch (name) {
                    case "id" -> {
                        Object value = RequestBody.readValue(reader);
                        if (value instanceof String text) {
                            StringBuilder quoted = new StringBuilder(text.length() + 2);
                            Json.appendString(quoted, text);
                            id = quoted.toString();
                        } else if (value instanceof RequestBody.NumberText number) {
                            id = number.text();
                        } else if (value != RequestBody.Kind.NULL) {
                            badId = RequestBody.wrongOrMissing("id", "a string, a number or null", value);
                        }
                    }
                    case "call" -> call = RequestBody.readValue(reader);
                    case "body" -> body = readBody(reader);
                    default -> reader.skipValue();
                }
            }
            reader.endObject();
            RequestBody.requireEnd(reader, "there is more after the frame's JSON object");
            if (badId != null) {
                throw badId; // answered with id null: an id that cannot be echoed is no id
            }
            return new RequestFrame(id, call, body);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw ChatError.MALFORMED_JSON.exception(RequestBody.syntaxReason(e, "frame"));
        }
    }

    /** The body's fields; a body refused (a field named twice) is kept as its refusal, answered with the id. */
    private static Object readBody(JsonReader reader) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            return RequestBody.readValue(reader);
        }
        try {
            return RequestBody.readObject(reader);
        } catch (ChatException refused) {
            while (reader.hasNext()) { // the rest of the body, so that the frame is still read to its end
                reader.nextName();
                reader.skipValue();
            }
            reader.endObject();
            return refused;
        }
    }

    /** The id as JSON text ("7", "\"a\""), or "null" when the frame has none. */
    public String id() {
        return id;
    }

    /** The call's name; FIELD_MISSING or FIELD_WRONG_TYPE when the frame has no string "call". */
    public String call() {
        if (call instanceof String name) {
            return name;
        }
        throw RequestBody.wrongOrMissing("call", "a string", call);
    }

    /**
     * The call's body (an empty one when the frame has none), with the socket's session key as its sesskey;
     * BODY_NOT_OBJECT when "body" is not an object.
     */
    @SuppressWarnings("unchecked")
    public RequestBody body(long sesskey) {
        if (body == ABSENT) {
            return RequestBody.ofFrame(Map.of(), sesskey);
        }
        if (body instanceof ChatException refused) {
            throw refused;
        }
        if (!(body instanceof Map<?, ?> fields)) {
            throw ChatError.BODY_NOT_OBJECT.exception("a frame's \"body\" must be a JSON object");
        }
        return RequestBody.ofFrame((Map<String, Object>) fields, sesskey);
    }
}
