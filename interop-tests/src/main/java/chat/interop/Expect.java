package chat.interop;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Assertions for cases: each throws {@link CaseFailed} with a sentence saying what was expected. */
final class Expect {
    /** Every code of spec section 6 (ErrorCodesTest keeps the two equal). */
    static final Set<String> ERROR_CODES = Set.of("FIELD_MISSING", "FIELD_WRONG_TYPE", "FIELD_INVALID",
            "INVALID_SESSION", "WRONG_PASSWORD", "CHANNEL_EXISTS", "CHANNEL_NOT_FOUND", "LIMIT_REACHED", "IDEMPOTENCY_KEY_REUSED",
            "MALFORMED_JSON", "BODY_NOT_OBJECT", "UNKNOWN_CALL", "METHOD_NOT_ALLOWED", "BODY_TIMEOUT", "BODY_TOO_LARGE",
            "URL_TOO_LONG", "HEADERS_TOO_LARGE", "RATE_LIMITED", "TOO_MANY_CONNECTIONS", "SERVER_BUSY",
            "HANDSHAKE_REFUSED", "NOT_A_WEBSOCKET", "WEBSOCKET_VERSION_UNSUPPORTED", "INTERNAL_ERROR", "SHUTTING_DOWN",
            "STORE_UNAVAILABLE", "NO_REPLICA_READY", "REPLICA_FAILED");

    private Expect() {
    }

    static void that(boolean condition, String expectation) {
        if (!condition) {
            throw new CaseFailed(expectation);
        }
    }

    static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new CaseFailed(what + ": expected " + expected + ", got " + actual);
        }
    }

    /** A success envelope whose data is true. */
    static void successTrue(Answer answer, String what) {
        that(answer.isEnvelope(), what + ": expected the envelope, got " + Wire.abbreviate(answer.body()));
        that(answer.status(), what + ": expected success, got failure " + answer.data());
        JsonElement data = answer.data();
        that(data.isJsonPrimitive() && data.getAsJsonPrimitive().isBoolean() && data.getAsBoolean(),
                what + ": expected data true, got " + data);
    }

    /** A failure envelope with a non-empty reason, at any HTTP status. */
    static void failure(Answer answer, String what) {
        that(answer.isEnvelope(), what + ": expected the failure envelope, got HTTP " + answer.httpStatus() + " "
                + Wire.abbreviate(answer.body()));
        that(!answer.status(), what + ": expected a failure, got success " + answer.data());
        that(answer.isFailureEnvelope(), what + ": a failure's data must be a non-empty reason string, got "
                + answer.data());
    }

    /** A failure envelope whose reason names the field. */
    static void failureNaming(Answer answer, String field, String what) {
        failure(answer, what);
        that(answer.data().getAsString().contains(field),
                what + ": the reason should name the field \"" + field + "\", got " + answer.data());
    }

    /** The SHOULD-level details of a failure: HTTP status and error code. */
    static void status(Answer answer, int httpStatus, String error, String what) {
        failure(answer, what);
        equal(httpStatus, answer.httpStatus(), what + ": HTTP status");
        equal(error, answer.error(), what + ": error code");
    }

    private static final List<String> MESSAGE_FIELDS = List.of("messageid", "username", "message");

    /** A success whose data is an array of messages; returns their ids after checking each message's shape. */
    static List<Long> messageIds(Answer answer, String what) {
        that(answer.isEnvelope() && answer.status(), what + ": expected success, got " + Wire.abbreviate(answer.body()));
        that(answer.data().isJsonArray(), what + ": expected an array, got " + answer.data());
        JsonArray messages = answer.data().getAsJsonArray();
        List<Long> ids = new ArrayList<>();
        for (JsonElement element : messages) {
            that(element.isJsonObject(), what + ": each message must be an object, got " + element);
            JsonObject message = element.getAsJsonObject();
            // At least these three (spec retrieve/1): a client ignores fields it does not know, "time" among them.
            that(message.keySet().containsAll(MESSAGE_FIELDS), what + ": a message has at least " + MESSAGE_FIELDS
                    + ", got " + message);
            that(isInteger(message.get("messageid")), what + ": messageid must be an integer, got " + message.get("messageid"));
            that(isString(message.get("username")), what + ": username must be a string");
            that(isString(message.get("message")), what + ": message must be a string");
            ids.add(message.get("messageid").getAsLong());
        }
        return ids;
    }

    static boolean isInteger(JsonElement element) {
        if (element == null || !element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
            return false;
        }
        String text = element.getAsJsonPrimitive().getAsNumber().toString();
        return text.matches("-?[0-9]+");
    }

    static boolean isString(JsonElement element) {
        return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isString();
    }

    static List<Long> range(long first, long last) {
        List<Long> ids = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            ids.add(id);
        }
        return ids;
    }
}
