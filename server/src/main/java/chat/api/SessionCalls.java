package chat.api;

import chat.client.Client;
import chat.core.ChatService;

/** /logon and /logoff. */
final class SessionCalls {
    private final ChatService chat;

    SessionCalls(ChatService chat) {
        this.chat = chat;
    }

    byte[] logon(RequestBody body, Client client) {
        return Json.success(chat.logon(client, body.string("username"), body.string("password")));
    }

    byte[] logoff(RequestBody body, Client client) {
        chat.logoff(body.integer("sesskey"));
        return Json.TRUE;
    }
}
