package chat.api;

import chat.client.Client;
import chat.core.ChatService;

import java.util.List;

/** /list and /create. */
final class ChannelCalls {
    /** The encoded answer for the first {@code count} channels; channels are only ever added, so count says it all. */
    private record EncodedList(int count, byte[] answer) {
    }

    private final ChatService chat;
    private volatile EncodedList lastList = new EncodedList(0, Json.EMPTY_LIST);

    ChannelCalls(ChatService chat) {
        this.chat = chat;
    }

    byte[] list(RequestBody body, Client client) {
        List<String> names = chat.channels(client, body.integer("sesskey"));
        EncodedList cached = lastList;
        if (cached.count() != names.size()) {
            cached = new EncodedList(names.size(), Json.strings(names));
            lastList = cached;
        }
        return cached.answer();
    }

    byte[] create(RequestBody body, Client client) {
        chat.create(client, body.integer("sesskey"), body.string("channel"));
        return Json.TRUE;
    }
}
