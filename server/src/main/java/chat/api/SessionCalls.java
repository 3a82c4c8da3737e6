package chat.api;

import chat.core.ChatService;

/** /logon and /logoff. */
final class SessionCalls {
    private final ChatService chat;

    SessionCalls(ChatService chat) {
        this.chat = chat;
    }

    byte[] logon(RequestBody body) {
        return Json.success(chat.logon(body.string("username"), body.string("password")));
    }

    byte[] logoff(RequestBody body) {
        chat.logoff(body.integer("sesskey"));
        return Json.TRUE;
    }
}
