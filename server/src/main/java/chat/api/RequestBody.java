package chat.api;

import chat.error.ChatError;
import chat.error.ChatException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A call's body: one JSON object, parsed strictly (RFC 8259), with typed access to its fields.
 *
 * <p>Parsing is streaming and shallow: known fields are read by their JSON type, anything else is skipped.
 * Numbers are kept as their literal text, so that "5.0" or "5e0" can be refused where an integer is required
 * and an integer beyond 64 bits is reported rather than silently rounded.
 */
public final class RequestBody {
    /** JSON types, for telling a client what it sent instead. */
    enum Kind {
        NULL("null"), BOOLEAN("a boolean"), OBJECT("an object"), ARRAY("an array");

        final String described;

        Kind(String described) {
            this.described = described;
        }
    }

    /** A number exactly as written in the body. */
    record NumberText(String text) {
    }

    /** post's optional field for its idempotency key; over HTTP the Idempotency-Key header may give it instead. */
    public static final String IDEMPOTENCY_KEY = "idempotencykey";

    private static final Pattern POSITION = Pattern.compile("at line (\\d+) column (\\d+)");

    private final Map<String, Object> fields;

    private RequestBody(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** Parses a call's body: exactly one JSON object. */
    static RequestBody parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw ChatError.MALFORMED_JSON.exception("the body is empty; send a JSON object such as {\"sesskey\": 123}");
        }
        JsonReader reader = strictReader(bytes, "body");
        try {
            JsonToken first = reader.peek();
            if (first != JsonToken.BEGIN_OBJECT) {
                throw ChatError.BODY_NOT_OBJECT.exception("the body must be a JSON object, got " + describe(first));
            }
            Map<String, Object> fields = readObject(reader);
            requireEnd(reader, "there is more after the JSON object; send exactly one object");
            return new RequestBody(fields);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw ChatError.MALFORMED_JSON.exception(syntaxReason(e, "body"));
        }
    }

    /** A strict reader of the text, after checking that it is UTF-8; {@code what} names it in a refusal. */
    static JsonReader strictReader(byte[] bytes, String what) {
        JsonReader reader = new JsonReader(new StringReader(decodeUtf8(bytes, what)));
        reader.setStrictness(Strictness.STRICT);
        return reader;
    }

    /** Reads one object's fields: known types by their kind, nested values skipped; a repeated name is refused. */
    static Map<String, Object> readObject(JsonReader reader) throws IOException {
        Map<String, Object> fields = new HashMap<>(8);
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            if (fields.put(name, readValue(reader)) != null) {
                throw ChatError.MALFORMED_JSON.exception("field \"" + name + "\" appears more than once");
            }
        }
        reader.endObject();
        return fields;
    }

    /**
     * The body of a call made over a WebSocket, with the socket's session key in place of any sesskey field (the
     * socket authenticated once, at the handshake).
     */
    static RequestBody ofFrame(Map<String, Object> fields, long sesskey) {
        Map<String, Object> withSession = new HashMap<>(fields);
        withSession.put("sesskey", new NumberText(Long.toString(sesskey)));
        return new RequestBody(withSession);
    }

    static void requireEnd(JsonReader reader, String refusal) {
        boolean ended;
        try {
            ended = reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException | IllegalStateException e) {
            ended = false;
        }
        if (!ended) {
            throw ChatError.MALFORMED_JSON.exception(refusal);
        }
    }

    /** Whether the body has this field at all. */
    public boolean has(String name) {
        return fields.containsKey(name);
    }

    static Object readValue(JsonReader reader) throws IOException {
        return switch (reader.peek()) {
            case STRING -> reader.nextString();
            case NUMBER -> new NumberText(reader.nextString());
            case BOOLEAN -> {
                reader.nextBoolean();
                yield Kind.BOOLEAN;
            }
            case NULL -> {
                reader.nextNull();
                yield Kind.NULL;
            }
            case BEGIN_OBJECT -> {
                reader.skipValue();
                yield Kind.OBJECT;
            }
            case BEGIN_ARRAY -> {
                reader.skipValue();
                yield Kind.ARRAY;
            }
            default -> throw new IllegalStateException("Unexpected " + reader.peek() + " " + reader.getPath());
        };
    }

    /** A string field that may be absent (null then); FIELD_WRONG_TYPE when it is there but no string. */
    public String optionalString(String name) {
        Object value = fields.get(name);
        return value == null ? null : string(name);
    }

    /**
     * This body with the value of HTTP's {@code Idempotency-Key} header (null when absent: then this body, as it is)
     * as its {@link #IDEMPOTENCY_KEY} field. The header is a structured-field string (draft-ietf-httpapi-idempotency-
     * key-header), {@code "abc"}; a bare {@code abc}, as many clients send, is taken too. A body that has the field
     * as well must give the same key.
     */
    RequestBody withIdempotencyKeyHeader(String header) {
        if (header == null) {
            return this;
        }
        String key = header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                ? header.substring(1, header.length() - 1) : header;
        Object field = fields.putIfAbsent(IDEMPOTENCY_KEY, key);
        if (field != null && !field.equals(key)) {
            throw ChatError.FIELD_INVALID.exception("the Idempotency-Key header and the \"" + IDEMPOTENCY_KEY
                    + "\" field name two different keys; send one");
        }
        return this;
    }

    /** A string field; FIELD_MISSING or FIELD_WRONG_TYPE otherwise. */
    public String string(String name) {
        Object value = fields.get(name);
        if (value instanceof String text) {
            return text;
        }
        throw wrongOrMissing(name, "a string", value);
    }

    /** An integer field written as a JSON integer literal (no fraction, no exponent) within 64 bits. */
    public long integer(String name) {
        Object value = fields.get(name);
        if (!(value instanceof NumberText number)) {
            throw wrongOrMissing(name, "an integer", value);
        }
        String text = number.text();
        if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            throw ChatError.FIELD_WRONG_TYPE.exception(
                    "field \"" + name + "\" must be an integer without fraction or exponent, got " + abbreviate(text));
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ChatError.FIELD_INVALID.exception(
                    "field \"" + name + "\" is outside the 64-bit integer range: " + abbreviate(text));
        }
    }

    static ChatException wrongOrMissing(String name, String expected, Object value) {
        if (value == null) {
            return ChatError.FIELD_MISSING.exception("missing field \"" + name + "\" (" + expected + ")");
        }
        String got = value instanceof String ? "a string"
                : value instanceof NumberText ? "a number"
                : ((Kind) value).described;
        return ChatError.FIELD_WRONG_TYPE.exception("field \"" + name + "\" must be " + expected + ", got " + got);
    }

    private static String decodeUtf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ChatError.MALFORMED_JSON.exception("the " + what + " is not valid UTF-8");
        }
    }

    static String describe(JsonToken token) {
        return switch (token) {
            case BEGIN_ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> token.toString();
        };
    }

    /**
     * Gson's messages name its own API ("use setStrictness ...") and a troubleshooting link; a client needs
     * only what is wrong and where.
     */
    static String syntaxReason(Exception e, String what) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        Matcher at = POSITION.matcher(message);
        String where = at.find() ? " at line " + at.group(1) + " column " + at.group(2) : "";
        String problem = message.startsWith("Use JsonReader.setStrictness") || message.isBlank()
                ? "syntax that strict JSON does not allow"
                : message.substring(0, at.find(0) ? at.start() : message.length()).strip();
        return "the " + what + " is not valid JSON (RFC 8259): " + lowerFirst(problem) + where;
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private static String abbreviate(String text) {
        return abbreviate(text, 40);
    }

    /** At most {@code max} characters of a client's text, for a reason quoting it. */
    public static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
