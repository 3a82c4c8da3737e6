package chat.interop;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static chat.interop.WireSocket.body;

/** Spec section 9: the WebSocket endpoint. Every case skips when the server has no /ws. */
final class WsCases {
    private WsCases() {
    }

    /** The frame is the message event of this channel with this id (and text, unless null); fails quoting it if not. */
    private static void expectMessage(JsonObject event, String channel, long id, String text) {
        Expect.that(isMessage(event), "expected message " + id + " as an event {\"event\": \"message\", \"channel\", "
                + "\"data\": {\"messageid\", \"username\", \"message\"}}, got " + event);
        Expect.equal(channel, stringOf(event, "channel"), "the channel of " + event);
        JsonObject data = event.getAsJsonObject("data");
        Expect.equal(id, data.get("messageid").getAsLong(), "the messageid of " + event);
        if (text != null) {
            Expect.equal(text, data.get("message").getAsString(), "the message of " + event);
        }
    }

    /** A message event whose data has an integer messageid, a string username and a string message. */
    private static boolean isMessage(JsonObject frame) {
        if (!"message".equals(stringOf(frame, "event")) || !(frame.get("data") instanceof JsonObject data)) {
            return false;
        }
        return Expect.isInteger(data.get("messageid")) && Expect.isString(data.get("username"))
                && Expect.isString(data.get("message"));
    }

    private static boolean isMessage(JsonObject frame, long id) {
        return isMessage(frame) && frame.getAsJsonObject("data").get("messageid").getAsLong() == id;
    }

    /** {"event": "reset", "channel": c, "epoch": e, "last": n}: ws/15's signal, before any message. */
    private static void expectReset(JsonObject event, String channel, String epoch, long last) {
        Expect.equal("reset", stringOf(event, "event"), "the first event after the answer is a reset (" + event + ")");
        Expect.equal(channel, stringOf(event, "channel"), "the reset's channel");
        Expect.equal(epoch, stringOf(event, "epoch"), "the reset's epoch, the one the answer gave");
        Expect.equal(last, integerOf(event, "last", "the reset event"), "the reset's newest id");
    }

    /** The frame's field as an integer; fails quoting the frame when it has none. */
    private static long integerOf(JsonObject frame, String field, String what) {
        Expect.that(Expect.isInteger(frame.get(field)), what + ": expected an integer \"" + field + "\" in " + frame);
        return frame.get(field).getAsLong();
    }

    /** The data of a successful answer, which must be an object; fails quoting the answer otherwise. */
    private static JsonObject dataObjectOf(JsonObject answer, String what) {
        expectSuccess(answer, what);
        Expect.that(answer.get("data") instanceof JsonObject, what + " should answer an object: " + answer);
        return answer.getAsJsonObject("data");
    }

    private static String stringOf(JsonObject object, String field) {
        return object.has(field) && object.get(field).isJsonPrimitive() ? object.get(field).getAsString() : null;
    }

    private static void expectSuccess(JsonObject answer, String what) {
        Expect.that(Boolean.TRUE.equals(statusOf(answer)), what + " should succeed: " + answer);
    }

    /** The answer's status, or null when it has no boolean status. */
    private static Boolean statusOf(JsonObject answer) {
        JsonElement status = answer.get("status");
        return status != null && status.isJsonPrimitive() && status.getAsJsonPrimitive().isBoolean()
                ? status.getAsBoolean() : null;
    }

    private static void post(Wire wire, long key, String channel, String text) {
        wire.postMessage(key, channel, text);
    }

    static void addTo(Catalogue catalogue) {
        catalogue.must("ws/1", "A WebSocket takes its session key at the handshake (header or query); a bad key is "
                + "refused before the upgrade", wire -> {
            long key = wire.newSession();
            try (WireSocket byHeader = WireSocket.open(wire, key)) {
                expectSuccess(byHeader.call("list", body()), "list over a socket keyed by header");
            }
            try (WireSocket byQuery = WireSocket.open(wire, "/ws?sesskey=" + key, null)) {
                expectSuccess(byQuery.call("list", body()), "list over a socket keyed by query");
            }
            try (WireSocket refused = WireSocket.attempt(wire, "/ws", Long.toString(key ^ (1L << 50)))) {
                Expect.that(!refused.awaitOpened(), "a handshake with an unknown key must be refused");
            }
        });
        catalogue.should("ws/1.status", "A refused handshake answers HTTP 401 with the envelope", wire -> {
            WireSocket.open(wire, wire.newSession()).close(); // skips without /ws
            Expect.status(wire.send("GET", "/ws?sesskey=12345", null, null), 401, "HANDSHAKE_REFUSED",
                    "GET /ws with an unknown key");
        });
        catalogue.must("ws/2", "Over the socket, {id, call, body} frames get {id, status, data} answers, as over HTTP",
                wire -> {
                    try (WireSocket socket = WireSocket.open(wire, wire.newSession())) {
                        String channel = wire.newName("c");
                        expectSuccess(socket.call("create", body("channel", channel)), "create");
                        JsonObject again = socket.call("create", body("channel", channel));
                        Expect.that(Boolean.FALSE.equals(statusOf(again)) && Expect.isString(again.get("data")),
                                "creating it again should fail with a reason: " + again);
                        expectSuccess(socket.call("post", body("channel", channel, "message", "over ws")), "post");
                        JsonObject last = socket.call("lastmessage", body("channel", channel));
                        expectSuccess(last, "lastmessage");
                        Expect.equal(1L, integerOf(last, "data", "lastmessage"), "lastmessage after one post");
                        JsonObject retrieved = socket.call("retrieve", body("channel", channel, "first", 1, "last", 1));
                        expectSuccess(retrieved, "retrieve");
                        JsonElement messages = retrieved.get("data");
                        Expect.that(messages != null && messages.isJsonArray() && messages.getAsJsonArray().size() == 1
                                        && messages.getAsJsonArray().get(0) instanceof JsonObject message
                                        && "over ws".equals(stringOf(message, "message")),
                                "retrieve [1, 1] should answer the one message \"over ws\": " + retrieved);
                    }
                });
        catalogue.must("ws/3", "A malformed frame gets a failure answer and the socket stays open", wire -> {
            try (WireSocket socket = WireSocket.open(wire, wire.newSession())) {
                socket.sendRaw("{not json");
                JsonObject answer = socket.next("the answer to a malformed frame");
                Expect.that(Boolean.FALSE.equals(statusOf(answer)),
                        "a malformed frame should get a failure answer: " + answer);
                expectSuccess(socket.call("list", body()), "list after the malformed frame");
            }
        });
        catalogue.should("ws/3.id", "A frame whose id is not a string, number or null gets a failure answer with id null",
                wire -> {
                    try (WireSocket socket = WireSocket.open(wire, wire.newSession())) {
                        String deep = "[".repeat(10_000) + "]".repeat(10_000);
                        for (String id : List.of("{\"a\": 1}", "true", deep)) {
                            socket.sendRaw("{\"id\": " + id + ", \"call\": \"list\", \"body\": {}}");
                            JsonObject answer = socket.next("the answer to a frame with id " + abbreviate(id));
                            Expect.that(Boolean.FALSE.equals(statusOf(answer)) && answer.has("id")
                                            && answer.get("id").isJsonNull(),
                                    "a frame with id " + abbreviate(id) + " should fail with id null: "
                                            + abbreviate(answer.toString()));
                            Expect.equal("FIELD_WRONG_TYPE", stringOf(answer, "error"), "the error of a frame with id "
                                    + abbreviate(id));
                        }
                        socket.sendRaw("{\"id\": \"x\\u0001y\", \"call\": \"list\", \"body\": {}}");
                        JsonObject echoed = socket.next("the answer to a frame with a string id");
                        Expect.that(echoed.has("id") && echoed.get("id").isJsonPrimitive()
                                        && "x\u0001y".equals(echoed.get("id").getAsString()),
                                "a string id is echoed as given: " + echoed);
                    }
                });
        catalogue.must("ws/4", "subscribe answers the kept window, then sends kept messages after \"after\", then new "
                + "ones as events", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            for (int i = 1; i <= 3; i++) {
                post(wire, key, channel, "m" + i);
            }
            try (WireSocket socket = WireSocket.open(wire, key)) {
                JsonObject window = dataObjectOf(socket.call("subscribe", body("channel", channel, "after", 1)),
                        "subscribe");
                Expect.equal(1L, integerOf(window, "first", "subscribe"), "first kept id");
                Expect.equal(3L, integerOf(window, "last", "subscribe"), "last kept id");
                expectMessage(socket.next("message 2"), channel, 2, "m2");
                expectMessage(socket.next("message 3"), channel, 3, "m3");
                post(wire, key, channel, "m4");
                expectMessage(socket.next("message 4"), channel, 4, "m4");
            }
        });
        catalogue.should("ws/4.time", "A message event carries the same \"time\" as retrieve gives the message",
                wire -> {
                    long key = wire.newSession();
                    String channel = wire.newChannel(key);
                    try (WireSocket socket = WireSocket.open(wire, key)) {
                        expectSuccess(socket.call("subscribe", body("channel", channel)), "subscribe");
                        long before = System.currentTimeMillis();
                        post(wire, key, channel, "m1");
                        post(wire, key, channel, "m2");
                        long after = System.currentTimeMillis();
                        JsonArray pushed = new JsonArray();
                        for (long id = 1; id <= 2; id++) {
                            JsonObject event = socket.next("message " + id);
                            expectMessage(event, channel, id, "m" + id);
                            pushed.add(event.getAsJsonObject("data"));
                        }
                        Answer retrieved = wire.call("retrieve", "sesskey", key, "channel", channel, "first", 1,
                                "last", 2);
                        Expect.messageIds(retrieved, "retrieve [1, 2]");
                        List<Long> retrievedTimes = RetrieveCases.MessageTimes.of(retrieved.data().getAsJsonArray(),
                                "retrieve [1, 2]");
                        List<Long> pushedTimes = RetrieveCases.MessageTimes.required(pushed, "the message events");
                        RetrieveCases.MessageTimes.expectPlausible(pushedTimes, before, after, "the message events");
                        Expect.equal(retrievedTimes, pushedTimes, "the times pushed and the times retrieved");
                    }
                });
        catalogue.must("ws/5", "Events arrive in id order, each once, even when posts race", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            try (WireSocket socket = WireSocket.open(wire, key)) {
                expectSuccess(socket.call("subscribe", body("channel", channel)), "subscribe");
                int posts = 60;
                ExecutorService pool = Executors.newFixedThreadPool(6);
                try {
                    List<Future<?>> posting = new ArrayList<>();
                    for (int i = 0; i < posts; i++) {
                        String text = "race " + i;
                        posting.add(pool.submit(() -> post(wire, key, channel, text)));
                    }
                    for (Future<?> future : posting) {
                        future.get(30, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }
                for (long id = 1; id <= posts; id++) {
                    expectMessage(socket.next("message " + id), channel, id, null);
                }
                // Nothing doubled: rather than wait a while to see that nothing more comes, post one more. Events
                // come in id order, so a message sent twice would come before it.
                post(wire, key, channel, "after the race");
                expectMessage(socket.next("message " + (posts + 1)), channel, posts + 1, "after the race");
            }
        });
        catalogue.must("ws/5.reconnect", "A client that resubscribes from its last id gets exactly what it missed",
                wire -> {
                    long key = wire.newSession();
                    String channel = wire.newChannel(key);
                    try (WireSocket first = WireSocket.open(wire, key)) {
                        expectSuccess(first.call("subscribe", body("channel", channel)), "subscribe");
                        post(wire, key, channel, "seen 1");
                        post(wire, key, channel, "seen 2");
                        expectMessage(first.next("message 1"), channel, 1, "seen 1");
                        expectMessage(first.next("message 2"), channel, 2, "seen 2");
                    }
                    post(wire, key, channel, "missed 3");
                    post(wire, key, channel, "missed 4");
                    try (WireSocket second = WireSocket.open(wire, key)) {
                        expectSuccess(second.call("subscribe", body("channel", channel, "after", 2)), "resubscribe");
                        expectMessage(second.next("message 3"), channel, 3, "missed 3");
                        expectMessage(second.next("message 4"), channel, 4, "missed 4");
                        // Nothing seen comes again: the next message posted is the next event (events come in id
                        // order, so a repeat of 3 or 4 would come before 5).
                        post(wire, key, channel, "new 5");
                        expectMessage(second.next("message 5"), channel, 5, "new 5");
                    }
                });
        catalogue.must("ws/6", "Messages dropped by the window before they could be sent are announced by a gap event",
                wire -> {
                    long key = wire.newSession();
                    String channel = wire.newChannel(key);
                    for (int i = 1; i <= 110; i++) {
                        post(wire, key, channel, "m" + i);
                    }
                    try (WireSocket socket = WireSocket.open(wire, key)) {
                        expectSuccess(socket.call("subscribe", body("channel", channel, "after", 4)), "subscribe");
                        JsonObject gap = socket.next("the gap event");
                        Expect.equal("gap", stringOf(gap, "event"), "the first event's kind (" + gap + ")");
                        Expect.equal(5L, integerOf(gap, "from", "the gap event"), "the gap's first lost id");
                        Expect.equal(10L, integerOf(gap, "to", "the gap event"), "the gap's last lost id");
                        expectMessage(socket.next("message 11"), channel, 11, "m11");
                    }
                });
        catalogue.must("ws/15", "A position ahead of the channel's newest id is reset out loud: a reset event with "
                + "the epoch, then the kept messages from the start", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            post(wire, key, channel, "m1");
            post(wire, key, channel, "m2");
            try (WireSocket socket = WireSocket.open(wire, key)) {
                JsonObject window = dataObjectOf(socket.call("subscribe",
                        body("channel", channel, "after", 1_000_000)), "subscribe ahead of the newest id");
                String epoch = stringOf(window, "epoch");
                Expect.that(epoch != null && !epoch.isEmpty(), "the subscribe answer names the history's epoch, a "
                        + "non-empty string: " + window);
                expectReset(socket.next("the reset event"), channel, epoch, 2);
                expectMessage(socket.next("message 1"), channel, 1, "m1");
                expectMessage(socket.next("message 2"), channel, 2, "m2");
                post(wire, key, channel, "m3");
                expectMessage(socket.next("message 3"), channel, 3, "m3");
            }
        });
        catalogue.must("ws/15.epoch", "A position in another history (an epoch not the channel's) is reset out loud, "
                + "and the channel's own epoch resumes as usual", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            post(wire, key, channel, "m1");
            post(wire, key, channel, "m2");
            String epoch;
            try (WireSocket socket = WireSocket.open(wire, key)) {
                JsonObject window = dataObjectOf(socket.call("subscribe",
                        body("channel", channel, "after", 1, "epoch", "not-this-history")), "subscribe");
                epoch = stringOf(window, "epoch");
                expectReset(socket.next("the reset event"), channel, epoch, 2);
                expectMessage(socket.next("message 1"), channel, 1, "m1");
                expectMessage(socket.next("message 2"), channel, 2, "m2");
            }
            try (WireSocket socket = WireSocket.open(wire, key)) {
                JsonObject window = dataObjectOf(socket.call("subscribe",
                        body("channel", channel, "after", 1, "epoch", epoch)), "subscribe with the channel's epoch");
                Expect.equal(epoch, stringOf(window, "epoch"), "the epoch, unchanged");
                expectMessage(socket.next("message 2 (the channel's own epoch resumes after 1, without a reset)"),
                        channel, 2, "m2");
            }
        });
        catalogue.must("ws/7", "unsubscribe answers true and stops the channel's events", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            try (WireSocket socket = WireSocket.open(wire, key)) {
                expectSuccess(socket.call("subscribe", body("channel", channel)), "subscribe");
                expectSuccess(socket.call("unsubscribe", body("channel", channel)), "unsubscribe");
                post(wire, key, channel, "unheard"); // id 1
                // Rather than wait a while to see that 1 does not come: subscribe again after 1, post 2 and 3, and
                // read up to 3. Events come in id order (ws/5), so a server that kept the first subscription sends
                // its 1 (or a second 2) before the new subscription's 3.
                int resubscribe = socket.send("subscribe", body("channel", channel, "after", 1));
                List<JsonObject> frames = socket.readUntil(frame -> WireSocket.isAnswerTo(frame, resubscribe),
                        "the answer to subscribing again");
                expectSuccess(frames.get(frames.size() - 1), "subscribing again after 1");
                post(wire, key, channel, "heard"); // id 2
                post(wire, key, channel, "heard too"); // id 3: a late 1 or a second 2 from the old one comes before it
                frames.addAll(socket.readUntil(frame -> isMessage(frame, 3), "message 3"));
                Expect.that(frames.size() == 3, "after unsubscribe, only the answer to subscribing again and then "
                        + "messages 2 and 3 should come, got " + frames);
                expectMessage(frames.get(1), channel, 2, "heard");
                expectMessage(frames.get(2), channel, 3, "heard too");
            }
        });
        catalogue.must("ws/8", "When the session ends, its sockets close with 1008 \"session ended\"", wire -> {
            long key = wire.newSession();
            try (WireSocket socket = WireSocket.open(wire, key)) {
                Expect.successTrue(wire.call("logoff", "sesskey", key), "logoff over HTTP");
                WireSocket.Ending ending = socket.awaitEnding();
                Expect.equal(1008, ending.code(), "the close code (" + ending + ")");
                Expect.equal("session ended", ending.reason(), "the close reason");
            }
        });
        catalogue.should("ws/9", "A client that stops reading is closed with 1013 \"too slow\" once its queue is full",
                wire -> {
                    long key = wire.newSession();
                    String channel = wire.newChannel(key);
                    WireSocket.open(wire, key).close(); // skips without /ws
                    try (StalledSocket stalled = new StalledSocket(wire.baseUrl(), key, channel)) {
                        String big = "x".repeat(4000);
                        // Enough to fill the kernel's buffers on both sides (a few MiB on loopback) and the default
                        // queue bound (1,000 frames or 1 MiB) several times over.
                        for (int i = 0; i < 2500; i++) {
                            wire.postMessage(key, channel, big);
                        }
                        String close = stalled.readUntilClose();
                        // The close frame waits behind the frames this client never read; a server may drop the
                        // connection once the client has not answered it for a few seconds (ws/9), and the posts
                        // above can take longer than that.
                        Expect.that(close.equals("1013 too slow") || close.startsWith("no close frame: the connection "),
                                "the stalled socket should be closed with 1013 \"too slow\" (or dropped after it): "
                                        + close);
                    }
                    Expect.that(wire.call("list", "sesskey", key).status(), "everyone else is still served");
                });
        catalogue.should("ws/9.answer", "An answer larger than the socket's queue (1 MiB) is still answered", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            String emoji = "\uD83D\uDE00".repeat(4096); // 16 KB in UTF-8: 70 of them make an answer of 1.15 MB
            for (int i = 0; i < 70; i++) {
                wire.postMessage(key, channel, emoji);
            }
            try (WireSocket socket = WireSocket.open(wire, key)) {
                JsonObject retrieved = socket.call("retrieve", body("channel", channel, "first", 1, "last", 70));
                expectSuccess(retrieved, "retrieve of 70 messages of 4,096 emoji");
                JsonElement messages = retrieved.get("data");
                Expect.that(messages != null && messages.isJsonArray() && messages.getAsJsonArray().size() == 70
                                && messages.getAsJsonArray().get(69) instanceof JsonObject last
                                && emoji.equals(stringOf(last, "message")),
                        "retrieve [1, 70] should answer the 70 messages: " + abbreviate(String.valueOf(retrieved)));
            }
        });
        catalogue.should("ws/11", "A frame over the limit (64 KiB) closes the socket with 1009 and a reason", wire -> {
            try (WireSocket socket = WireSocket.open(wire, wire.newSession())) {
                socket.sendRaw("{\"id\": 1, \"call\": \"list\", \"body\": {\"pad\": \"" + "x".repeat(70 * 1024) + "\"}}");
                WireSocket.Ending ending = socket.awaitEnding();
                Expect.equal(1009, ending.code(), "the close code (" + ending + ")");
                Expect.that(ending.reason() != null && !ending.reason().isBlank(), "the close should give a reason");
            }
        });
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
