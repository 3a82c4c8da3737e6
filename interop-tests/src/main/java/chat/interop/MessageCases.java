package chat.interop;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The post and lastmessage calls (spec 5.5, 5.6). */
final class MessageCases {
    private MessageCases() {
    }

    static long lastMessage(Wire wire, long key, String channel) {
        Answer answer = wire.call("lastmessage", "sesskey", key, "channel", channel);
        JsonElement data = answer.success();
        Expect.that(Expect.isInteger(data), "lastmessage should answer an integer, got " + data);
        return data.getAsLong();
    }

    static void addTo(Catalogue catalogue) {
        catalogue.must("post/1", "A post answers true and the message is stored under the poster's username", wire -> {
            String alice = wire.newName("alice");
            long a = wire.logon(alice, "pw");
            long b = wire.newSession();
            String channel = wire.newChannel(a);
            Expect.successTrue(wire.call("post", "sesskey", a, "channel", channel, "message", "hello bob"), "post");
            Answer answer = wire.call("retrieve", "sesskey", b, "channel", channel, "first", 1, "last", 1);
            Expect.equal(List.of(1L), Expect.messageIds(answer, "bob retrieves"), "ids");
            JsonObject message = answer.data().getAsJsonArray().get(0).getAsJsonObject();
            Expect.equal(alice, message.get("username").getAsString(), "the username bob sees");
            Expect.equal("hello bob", message.get("message").getAsString(), "the message bob sees");
        });
        catalogue.must("post/2", "Posting to a channel that does not exist fails", wire -> {
            long key = wire.newSession();
            Expect.failure(wire.call("post", "sesskey", key, "channel", wire.newName("none"), "message", "m"),
                    "post to a missing channel");
        });
        catalogue.must("post/3", "Message ids are 1, 2, 3, ... in posting order", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            for (int i = 1; i <= 5; i++) {
                wire.postMessage(key, channel, "message " + i);
                Expect.equal((long) i, lastMessage(wire, key, channel), "lastmessage after post " + i);
            }
            Answer answer = wire.call("retrieve", "sesskey", key, "channel", channel, "first", 1, "last", 5);
            Expect.equal(Expect.range(1, 5), Expect.messageIds(answer, "retrieve"), "ids");
            for (int i = 0; i < 5; i++) {
                Expect.equal("message " + (i + 1),
                        answer.data().getAsJsonArray().get(i).getAsJsonObject().get("message").getAsString(),
                        "message with id " + (i + 1));
            }
        });
        catalogue.must("post/3.concurrent", "Concurrent posts get unique, contiguous ids and each message is kept once",
                wire -> {
                    long key = wire.newSession();
                    String channel = wire.newChannel(key);
                    int threads = 10;
                    int perThread = 10; // 100 in all: the whole window, so every one can be read back
                    ExecutorService pool = Executors.newFixedThreadPool(threads);
                    try {
                        CountDownLatch start = new CountDownLatch(1);
                        List<Future<?>> posts = new ArrayList<>();
                        for (int t = 0; t < threads; t++) {
                            int thread = t;
                            posts.add(pool.submit(() -> {
                                start.await();
                                for (int i = 0; i < perThread; i++) {
                                    wire.postMessage(key, channel, "t" + thread + " m" + i);
                                }
                                return null;
                            }));
                        }
                        start.countDown();
                        for (Future<?> post : posts) {
                            post.get(60, TimeUnit.SECONDS);
                        }
                    } finally {
                        pool.shutdownNow();
                    }
                    int total = threads * perThread;
                    Expect.equal((long) total, lastMessage(wire, key, channel), "lastmessage after " + total + " posts");
                    Answer answer = wire.call("retrieve", "sesskey", key, "channel", channel, "first", 1, "last", total);
                    Expect.equal(Expect.range(1, total), Expect.messageIds(answer, "retrieve"), "ids");
                    Set<String> texts = new HashSet<>();
                    answer.data().getAsJsonArray().forEach(m -> texts.add(m.getAsJsonObject().get("message").getAsString()));
                    Expect.equal(total, texts.size(), "distinct messages kept");
                });
        catalogue.should("post/4", "A message is 1 to 4,096 characters (FIELD_INVALID otherwise)", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            Expect.successTrue(wire.call("post", "sesskey", key, "channel", channel, "message", "m".repeat(4096)),
                    "4,096 characters");
            Expect.status(wire.call("post", "sesskey", key, "channel", channel, "message", "m".repeat(4097)), 200,
                    "FIELD_INVALID", "4,097 characters");
            Expect.status(wire.call("post", "sesskey", key, "channel", channel, "message", ""), 200,
                    "FIELD_INVALID", "an empty message");
        });
        catalogue.must("lastmessage/1", "lastmessage is 0 for an empty channel, then the newest id", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            Expect.equal(0L, lastMessage(wire, key, channel), "lastmessage of a new channel");
            wire.postMessage(key, channel, "one");
            wire.postMessage(key, channel, "two");
            Expect.equal(2L, lastMessage(wire, key, channel), "lastmessage after two posts");
        });
        catalogue.must("lastmessage/2", "lastmessage of an unknown channel fails", wire -> {
            long key = wire.newSession();
            Expect.failure(wire.call("lastmessage", "sesskey", key, "channel", wire.newName("none")), "lastmessage");
        });
    }
}
