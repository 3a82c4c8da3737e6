package chat.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The frames {@link PushFollower} acts on, decoded before it acts, so a malformed frame changes nothing. */
sealed interface PushFrame {
    /** {@code {"event": "message", "channel", "data": {"messageid", "username", "message"}}} */
    record MessageEvent(Message message) implements PushFrame {
    }

    /** {@code {"event": "gap", "channel", "from", "to"}}: ids the window dropped before they could be sent. */
    record GapEvent(long from, long to) implements PushFrame {
    }

    /** A failure answer, such as subscribe's to a channel that does not exist. */
    record Refusal(String reason) implements PushFrame {
    }

    /** Anything else the server may send (the subscribe call's answer, an event this client does not know). */
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
                case "message" -> new MessageEvent(Message.from(frame.getAsJsonObject("data")));
                case "gap" -> new GapEvent(frame.get("from").getAsLong(), frame.get("to").getAsLong());
                default -> new Other();
            };
        }
        if (frame.has("status") && !frame.get("status").getAsBoolean()) {
            return new Refusal(frame.get("data").getAsString());
        }
        return new Other();
    }
}
