package chat.interop;

import com.google.gson.JsonObject;

import java.util.UUID;

/**
 * Posts retried with an idempotency key (spec post/5, post/6), SHOULD level: a server that ignores the key is
 * conforming, and each case skips once it sees a repeat post again.
 */
final class RetryCases {
    private static final String HEADER = "Idempotency-Key";

    private RetryCases() {
    }

    private static Answer keyedPost(Wire wire, String key, long sesskey, String channel, String message) {
        return wire.callWithHeader("post", HEADER, key, "sesskey", sesskey, "channel", channel, "message", message);
    }

    /** Skips the case when the repeat was posted: the server keeps no keys. */
    private static void skipUnlessOnePost(Wire wire, long sesskey, String channel, String how) {
        long last = MessageCases.lastMessage(wire, sesskey, channel);
        if (last == 2) {
            throw new CaseSkipped("a repeat with the same " + how + " was posted again, so this server ignores "
                    + "idempotency keys (a SHOULD)");
        }
        Expect.equal(1L, last, "lastmessage after a post and its repeat");
    }

    static void addTo(Catalogue catalogue) {
        catalogue.should("post/5", "A repeat of a post with its Idempotency-Key answers as the first did and posts "
                + "nothing", wire -> {
            long sesskey = wire.newSession();
            String channel = wire.newChannel(sesskey);
            String key = UUID.randomUUID().toString();
            Answer first = keyedPost(wire, key, sesskey, channel, "said once");
            Expect.successTrue(first, "the first post");
            Answer repeat = keyedPost(wire, key, sesskey, channel, "said once");
            skipUnlessOnePost(wire, sesskey, channel, "Idempotency-Key header");
            Expect.successTrue(repeat, "the repeat");
            Expect.equal(first.body(), repeat.body(), "the repeat's answer");
            Answer retrieved = wire.call("retrieve", "sesskey", sesskey, "channel", channel, "first", 1, "last", 9);
            Expect.equal(Expect.range(1, 1), Expect.messageIds(retrieved, "retrieve"), "ids");
            long other = wire.newSession(); // another user's key of the same name is their own
            Expect.successTrue(keyedPost(wire, key, other, channel, "said once"), "another user's post with the key");
            Expect.equal(2L, MessageCases.lastMessage(wire, sesskey, channel), "lastmessage after another user's post");
        });
        catalogue.should("post/5.ws", "Over a WebSocket the post's idempotencykey field makes a repeat post nothing",
                wire -> {
                    long sesskey = wire.newSession();
                    String channel = wire.newChannel(sesskey);
                    try (WireSocket socket = WireSocket.open(wire, sesskey)) { // skips without /ws
                        JsonObject post = WireSocket.body("channel", channel, "message", "once over ws",
                                "idempotencykey", UUID.randomUUID().toString());
                        JsonObject first = socket.call("post", post);
                        JsonObject repeat = socket.call("post", post);
                        skipUnlessOnePost(wire, sesskey, channel, "idempotencykey field");
                        Expect.equal(first.get("status") + " " + first.get("data"),
                                repeat.get("status") + " " + repeat.get("data"), "the repeat's answer");
                        Expect.equal("true true", first.get("status") + " " + first.get("data"), "the answers");
                    }
                });
        catalogue.should("post/6", "A key reused for another message is refused IDEMPOTENCY_KEY_REUSED", wire -> {
            long sesskey = wire.newSession();
            String channel = wire.newChannel(sesskey);
            String key = UUID.randomUUID().toString();
            Expect.successTrue(keyedPost(wire, key, sesskey, channel, "the first"), "the first post");
            keyedPost(wire, key, sesskey, channel, "the first");
            skipUnlessOnePost(wire, sesskey, channel, "Idempotency-Key header");
            Answer reused = keyedPost(wire, key, sesskey, channel, "another message");
            Expect.failure(reused, "the key with another message");
            Expect.equal("IDEMPOTENCY_KEY_REUSED", reused.error(), "the refusal's code");
            Expect.equal(1L, MessageCases.lastMessage(wire, sesskey, channel), "lastmessage after the refusal");
        });
    }
}
