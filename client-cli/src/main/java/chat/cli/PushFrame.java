package chat.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.time.Duration;

/** The frames {@link PushFollower} acts on, decoded before it acts, so a malformed frame changes nothing. */
sealed interface PushFrame {
    /** {@code {"event": "message", "channel", "data": {"messageid", "username", "message", "time"?}}} */
    record MessageEvent(String channel, Message message) implements PushFrame {
    }

    /** {@code {"event": "gap", "channel", "from", "to"}}: ids the window dropped before they could be sent. */
    record GapEvent(String channel, long from, long to) implements PushFrame {
    }

    /**
     * {@code {"event": "reset", "channel", "epoch", "last"}}: the position asked for is not in the channel's history
     * (that was lost, or is another one); the kept messages follow from the start.
     */
    record ResetEvent(String channel, String epoch, long last) implements PushFrame {
    }

    /** {@code {"event": "join"|"leave", "channel", "username"}}: presence (issue 18); servers without it send none. */
    record PresenceEvent(String channel, String username, boolean joined) implements PushFrame {
    }

    /**
     * A successful answer to the call sent with {@code id} (null when the server sent none); {@code epoch} is the
     * channel's history's, from subscribe's, or null (spec ws/15).
     */
    record Answer(String id, String epoch) implements PushFrame {
    }

    /**
     * A failure answer, such as subscribe's to a channel that does not exist.
     *
     * @param id         the id of the call refused, as sent (null when the server could not read it)
     * @param error      the protocol's error code, e.g. RATE_LIMITED; null if the frame has none
     * @param retryAfter how long the server asked us to wait before asking again ("retry_after", on RATE_LIMITED and
     *                   SERVER_BUSY); null when it did not, so asking again is no likelier to work
     */
    record Refusal(String id, String reason, String error, Duration retryAfter) implements PushFrame {
    }

    /** Anything else the server may send (an event this client does not know). */
    record Other() implements PushFrame {
    }

    /**
     * @throws RuntimeException for text that is not a frame of the protocol: Gson's getters throw several kinds
     *                          (on a missing field, a wrong type, a value that is not an object)
     */
    static PushFrame decode(String text) {
        JsonObject frame = JsonParser.parseString(text).getAsJsonObject();
        if (frame.has("event")) {
            return switch (frame.get("event").getAsString()) {
                case "message" -> new MessageEvent(channel(frame), Message.from(frame.getAsJsonObject("data")));
                case "gap" -> new GapEvent(channel(frame), frame.get("from").getAsLong(), frame.get("to").getAsLong());
                case "reset" -> new ResetEvent(channel(frame), frame.get("epoch").getAsString(),
                        frame.get("last").getAsLong());
                case "join", "leave" -> new PresenceEvent(channel(frame), frame.get("username").getAsString(),
                        frame.get("event").getAsString().equals("join"));
                default -> new Other();
            };
        }
        String id = frame.has("id") && !frame.get("id").isJsonNull() ? frame.get("id").getAsString() : null;
        if (frame.has("status") && !frame.get("status").getAsBoolean()) {
            String error = frame.has("error") ? frame.get("error").getAsString() : null;
            Duration retryAfter = frame.has("retry_after")
                    ? Duration.ofSeconds(Math.max(0, frame.get("retry_after").getAsLong())) : null;
            return new Refusal(id, frame.get("data").getAsString(), error, retryAfter);
        }
        if (frame.has("status")) {
            JsonElement data = frame.get("data");
            boolean hasEpoch = data != null && data.isJsonObject() && data.getAsJsonObject().has("epoch");
            return new Answer(id, hasEpoch ? data.getAsJsonObject().get("epoch").getAsString() : null);
        }
        return new Other();
    }

    private static String channel(JsonObject frame) {
        return frame.get("channel").getAsString();
    }
}
