package chat.testing;

import chat.error.ChatError;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * What every answer of the protocol is (spec transport/2, transport/3, ws/2), checked as strictly as the server
 * reads its input: one JSON object in valid UTF-8, {@code "status"} a boolean, {@code "data"} present; a failure's
 * data a reason for a person and its {@code "error"} one of the codes of section 6, never INTERNAL_ERROR (that is
 * an exception the server did not expect, which is what fuzzing looks for). Throws AssertionError otherwise.
 */
public final class Envelopes {
    private static final Set<String> CODES = Set.copyOf(Arrays.stream(ChatError.values()).map(Enum::name).toList());

    private Envelopes() {
    }

    /** An HTTP answer: status, data and, on failure, error; nothing else. */
    public static JsonObject requireAnswer(byte[] answer) {
        JsonObject envelope = parse(answer);
        requireEnvelope(envelope, answer);
        require(!envelope.has("id"), "an HTTP answer has no id", answer);
        return envelope;
    }

    /** A WebSocket answer: the envelope with the request's id first, a string, a number or null. */
    public static JsonObject requireFrameAnswer(byte[] answer) {
        JsonObject envelope = parse(answer);
        require(envelope.keySet().iterator().next().equals("id"), "a frame's answer starts with its id", answer);
        JsonElement id = envelope.get("id");
        require(id.isJsonNull() || id.isJsonPrimitive() && !id.getAsJsonPrimitive().isBoolean(),
                "the id is a string, a number or null", answer);
        requireEnvelope(envelope, answer);
        return envelope;
    }

    private static void requireEnvelope(JsonObject envelope, byte[] answer) {
        JsonElement status = envelope.get("status");
        require(status != null && status.isJsonPrimitive() && status.getAsJsonPrimitive().isBoolean(),
                "\"status\" is a boolean", answer);
        require(envelope.has("data"), "\"data\" is present", answer);
        int allowed = envelope.has("id") ? 1 : 0;
        if (status.getAsBoolean()) {
            require(envelope.size() == allowed + 2, "a success has only status and data", answer);
            return;
        }
        JsonElement reason = envelope.get("data");
        require(reason.isJsonPrimitive() && reason.getAsJsonPrimitive().isString()
                && !reason.getAsString().isBlank(), "a failure's data is a reason for a person", answer);
        JsonElement error = envelope.get("error");
        require(error != null && error.isJsonPrimitive() && CODES.contains(error.getAsString()),
                "a failure's error is a code of spec section 6", answer);
        require(!error.getAsString().equals(ChatError.INTERNAL_ERROR.name()),
                "no input makes the server fail unexpectedly (INTERNAL_ERROR; its stack trace is in the log)", answer);
        require(envelope.size() == allowed + 3, "a failure has only status, data and error", answer);
    }

    private static JsonObject parse(byte[] answer) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(answer)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("the answer is not valid UTF-8: " + Arrays.toString(answer), e);
        }
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement parsed = JsonParser.parseReader(reader);
            require(parsed.isJsonObject(), "the answer is a JSON object", answer);
            require(reader.peek() == JsonToken.END_DOCUMENT, "the answer is one JSON object", answer);
            return parsed.getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("the answer is not strict JSON: " + text, e);
        }
    }

    private static void require(boolean holds, String what, byte[] answer) {
        if (!holds) {
            throw new AssertionError(what + "; the answer was: " + new String(answer, StandardCharsets.UTF_8));
        }
    }
}
