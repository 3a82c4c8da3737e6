package chat.api;

import chat.client.Client;
import chat.core.ChatService;
import chat.store.Message;

import java.util.List;

/** /post, /lastmessage and /retrieve. */
final class MessageCalls {
    private final ChatService chat;
    private final EncodedRanges recentRanges = new EncodedRanges();

    MessageCalls(ChatService chat) {
        this.chat = chat;
    }

    byte[] post(RequestBody body, Client client) {
        chat.post(client, body.integer("sesskey"), body.string("channel"), body.string("message"),
                body.optionalString(RequestBody.IDEMPOTENCY_KEY));
        return Json.TRUE;
    }

    byte[] lastMessage(RequestBody body, Client client) {
        return Json.success(chat.lastMessageId(client, body.integer("sesskey"), body.string("channel")));
    }

    byte[] retrieve(RequestBody body, Client client) {
        String channel = body.string("channel");
        List<Message> messages = chat.retrieve(client, body.integer("sesskey"), channel,
                body.integer("first"), body.integer("last"));
        return messages.isEmpty() ? Json.EMPTY_LIST : recentRanges.answer(channel, messages);
    }
}
