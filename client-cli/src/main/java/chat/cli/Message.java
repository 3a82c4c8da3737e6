package chat.cli;

import com.google.gson.JsonObject;

/** A chat message as retrieve returns it. */
public record Message(long id, String username, String text) {
    static Message from(JsonObject json) {
        return new Message(json.get("messageid").getAsLong(), json.get("username").getAsString(),
                json.get("message").getAsString());
    }

    /** How people see it: {@code [42] alice: hello}. */
    public String display() {
        return "[" + id + "] " + username + ": " + text;
    }
}
