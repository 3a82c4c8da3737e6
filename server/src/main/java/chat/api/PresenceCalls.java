package chat.api;

import chat.client.Client;
import chat.core.ChatService;
import chat.store.PresenceStore;

import java.nio.charset.StandardCharsets;

/** /who (spec 9.1): how many users are present in a channel, and a page of their names. */
final class PresenceCalls {
    private final ChatService chat;
    private final PresenceStore presence;

    PresenceCalls(ChatService chat, PresenceStore presence) {
        this.chat = chat;
        this.presence = presence;
    }

    /** {@code {"count": N, "users": [...]}}: at most PresenceStore.PAGE names, sorted, after "after" when given. */
    byte[] who(RequestBody body, Client client) {
        String channel = body.string("channel");
        String after = body.optionalString("after");
        long sesskey = body.integer("sesskey");
        chat.requireSession(client, sesskey); // the session check, its renewal and its rate limit, as for any call
        PresenceStore.Page page = presence.who(channel, after == null ? "" : after);
        StringBuilder out = new StringBuilder(48 + page.users().size() * 16)
                .append("{\"status\":true,\"data\":{\"count\":").append(page.count()).append(",\"users\":[");
        for (int i = 0; i < page.users().size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Json.appendString(out, page.users().get(i));
        }
        return out.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
