package chat.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.time.Clock;
import java.time.Instant;

/**
 * A chat message as retrieve and push events give it.
 *
 * @param time when the server accepted it (issue 18's {@code "time"}, milliseconds since the epoch), or null from a
 *             server that sends none
 * @param json the message object as the server sent it, every field, for {@code --json}
 */
public record Message(long id, String username, String text, Instant time, JsonObject json) {
    /** The wire form of an action ({@code /me waves}): a message starting with this, shown as "* alice waves". */
    static final String ACTION_PREFIX = "/me ";

    static Message from(JsonObject json) {
        JsonElement time = json.get("time");
        boolean hasTime = time != null && time.isJsonPrimitive() && time.getAsJsonPrimitive().isNumber();
        return new Message(json.get("messageid").getAsLong(), json.get("username").getAsString(),
                json.get("message").getAsString(), hasTime ? Instant.ofEpochMilli(time.getAsLong()) : null, json);
    }

    /** True for an action: {@code /me waves} is shown as {@code * alice waves}. */
    boolean isAction() {
        return text.startsWith(ACTION_PREFIX);
    }

    /**
     * How people see it, safe for a terminal, in the local time zone: {@code 14:03 [42] alice: hello} (with the date
     * when not today; without a time from a server that sends none).
     */
    public String display() {
        // The local zone only when there is a time to show: finding it loads the time-zone database, a cost every
        // read and tail paid at start-up against a server that sends no times.
        Clock clock = time == null ? Clock.systemUTC() : Clock.systemDefaultZone();
        return new LineFormat(clock, Style.PLAIN, null).message(null, this).toString();
    }
}
