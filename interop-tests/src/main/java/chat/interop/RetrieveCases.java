package chat.interop;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The retrieve call (spec 5.7): the window, range boundaries and consistency. */
final class RetrieveCases {
    private RetrieveCases() {
    }

    private static List<Long> retrieve(Wire wire, long key, String channel, long first, long last) {
        return Expect.messageIds(wire.call("retrieve", "sesskey", key, "channel", channel, "first", first, "last", last),
                "retrieve [" + first + ", " + last + "]");
    }

    /** A channel with 150 messages "m1".."m150": the window keeps 51..150. */
    private static long[] channelWith150(Wire wire, String[] channel) {
        long key = wire.newSession();
        channel[0] = wire.newChannel(key);
        for (int i = 1; i <= 150; i++) {
            wire.postMessage(key, channel[0], "m" + i);
        }
        return new long[]{key};
    }

    static void addTo(Catalogue catalogue) {
        catalogue.must("retrieve/1", "retrieve answers kept messages in [first, last] ascending, each with at least "
                + "an integer messageid, a string username and a string message", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            for (int i = 1; i <= 5; i++) {
                wire.postMessage(key, channel, "m" + i);
            }
            Expect.equal(Expect.range(2, 4), retrieve(wire, key, channel, 2, 4), "ids of [2, 4]");
            Expect.equal(Expect.range(1, 5), retrieve(wire, key, channel, 1, 5), "ids of [1, 5]");
        });
        catalogue.must("retrieve/2", "Only the newest 100 messages are kept: after 150 posts, [1, 150] gives 51..150",
                wire -> {
                    String[] channel = new String[1];
                    long key = channelWith150(wire, channel)[0];
                    Answer answer = wire.call("retrieve", "sesskey", key, "channel", channel[0], "first", 1, "last", 150);
                    Expect.equal(Expect.range(51, 150), Expect.messageIds(answer, "retrieve [1, 150]"), "ids kept");
                    for (int i = 0; i < 100; i++) {
                        Expect.equal("m" + (51 + i),
                                answer.data().getAsJsonArray().get(i).getAsJsonObject().get("message").getAsString(),
                                "message with id " + (51 + i));
                    }
                });
        catalogue.must("retrieve/3", "Parts of the range outside the window are absent; a range wholly outside gives []",
                wire -> {
                    String[] channel = new String[1];
                    long key = channelWith150(wire, channel)[0];
                    Expect.equal(Expect.range(51, 60), retrieve(wire, key, channel[0], 1, 60), "overlap at the old end");
                    Expect.equal(Expect.range(141, 150), retrieve(wire, key, channel[0], 141, 400),
                            "overlap at the new end");
                    Expect.equal(List.of(), retrieve(wire, key, channel[0], 1, 50), "dropped by the window");
                    Expect.equal(List.of(), retrieve(wire, key, channel[0], 151, 300), "not yet posted");
                    Expect.equal(Expect.range(100, 100), retrieve(wire, key, channel[0], 100, 100), "one inside");
                });
        catalogue.must("retrieve/4", "first > last gives [], not a failure", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            wire.postMessage(key, channel, "only");
            Expect.equal(List.of(), retrieve(wire, key, channel, 2, 1), "[last + 1, last] when nothing is new");
            Expect.equal(List.of(), retrieve(wire, key, channel, 1, 0), "[1, 0]");
        });
        catalogue.must("retrieve/5", "first == last gives that one message", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            wire.postMessage(key, channel, "one");
            wire.postMessage(key, channel, "two");
            Expect.equal(List.of(2L), retrieve(wire, key, channel, 2, 2), "[2, 2]");
            Expect.equal(List.of(1L), retrieve(wire, key, channel, 1, 1), "[1, 1]");
        });
        catalogue.must("retrieve/6", "first and last may be any 64-bit integers; ids that never exist select nothing",
                wire -> {
                    long key = wire.newSession();
                    String channel = wire.newChannel(key);
                    wire.postMessage(key, channel, "one");
                    Expect.equal(List.of(), retrieve(wire, key, channel, 0, 0), "[0, 0]");
                    Expect.equal(List.of(), retrieve(wire, key, channel, -10, -1), "negative ids");
                    Expect.equal(List.of(1L), retrieve(wire, key, channel, Long.MIN_VALUE, Long.MAX_VALUE),
                            "[min, max] of 64 bits");
                    Expect.equal(List.of(), retrieve(wire, key, channel, Long.MAX_VALUE, Long.MAX_VALUE),
                            "[max, max]");
                });
        catalogue.must("retrieve/7", "retrieve of an unknown channel fails", wire -> {
            long key = wire.newSession();
            Expect.failure(wire.call("retrieve", "sesskey", key, "channel", wire.newName("none"), "first", 1, "last", 5),
                    "retrieve");
        });
        catalogue.must("retrieve/8", "Once lastmessage returned N, retrieve sees every kept message up to N: polling "
                + "[last seen + 1, lastmessage] never misses one", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            int total = 80; // within the window, so every message must be seen
            AtomicReference<Throwable> posterFailed = new AtomicReference<>();
            Thread poster = new Thread(() -> {
                try {
                    for (int i = 1; i <= total; i++) {
                        wire.postMessage(key, channel, "p" + i);
                    }
                } catch (Throwable e) {
                    posterFailed.set(e);
                }
            });
            poster.start();
            List<Long> seen = new ArrayList<>();
            long lastSeen = 0;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (lastSeen < total && System.nanoTime() < deadline && posterFailed.get() == null) {
                long newest = MessageCases.lastMessage(wire, key, channel);
                List<Long> got = retrieve(wire, key, channel, lastSeen + 1, newest);
                Expect.equal(Expect.range(lastSeen + 1, newest), got,
                        "retrieve [" + (lastSeen + 1) + ", " + newest + "] right after lastmessage said " + newest);
                seen.addAll(got);
                lastSeen = newest;
            }
            poster.join(60_000);
            if (posterFailed.get() != null) {
                throw new CaseFailed("posting failed: " + posterFailed.get().getMessage());
            }
            Expect.equal(Expect.range(1, total), seen, "ids seen by the poller");
        });
        catalogue.should("retrieve/9", "Each message carries \"time\": when the server accepted it, an integer of "
                + "milliseconds since the epoch (UTC), never earlier as ids go up", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            long before = System.currentTimeMillis();
            for (int i = 1; i <= 3; i++) {
                wire.postMessage(key, channel, "m" + i);
            }
            long after = System.currentTimeMillis();
            Answer answer = wire.call("retrieve", "sesskey", key, "channel", channel, "first", 1, "last", 3);
            Expect.equal(Expect.range(1, 3), Expect.messageIds(answer, "retrieve [1, 3]"), "ids");
            List<Long> times = MessageTimes.of(answer.data().getAsJsonArray(), "retrieve [1, 3]");
            MessageTimes.expectPlausible(times, before, after, "retrieve [1, 3]");
        });
    }

    /** What retrieve/9 and ws/4.time check of a message's time; a server that sends none skips them. */
    static final class MessageTimes {
        /** How far a server's clock may be from the suite's: NTP keeps it far closer; a local time zone is 30 min off or more. */
        private static final long CLOCK_SKEW_MS = 10 * 60_000;

        private MessageTimes() {
        }

        /** Each message's time, checked to be an integer; skips the case when no message has one. */
        static List<Long> of(JsonArray messages, String what) {
            List<Long> times = new ArrayList<>();
            for (JsonElement element : messages) {
                JsonObject message = element.getAsJsonObject();
                if (!message.has("time")) {
                    continue;
                }
                Expect.that(Expect.isInteger(message.get("time")),
                        what + ": \"time\" must be an integer (ms since the epoch), got " + message.get("time"));
                times.add(message.get("time").getAsLong());
            }
            if (times.isEmpty()) {
                throw new CaseSkipped("the server sends no \"time\" with messages (a SHOULD; clients then show none)");
            }
            Expect.that(times.size() == messages.size(), what + ": every new message has a time: " + messages);
            return times;
        }

        /** Each message's time, where the server has shown it gives times: one missing fails, it does not skip. */
        static List<Long> required(JsonArray messages, String what) {
            for (JsonElement message : messages) {
                Expect.that(message.getAsJsonObject().has("time"), what + ": no \"time\", though retrieve gives "
                        + "the message one: " + message);
            }
            return of(messages, what);
        }

        /** Milliseconds, not seconds, within the clocks' skew of when they were posted, never going back. */
        static void expectPlausible(List<Long> times, long postedFrom, long postedTo, String what) {
            for (int i = 0; i < times.size(); i++) {
                long time = times.get(i);
                Expect.that(time >= postedFrom - CLOCK_SKEW_MS && time <= postedTo + CLOCK_SKEW_MS,
                        what + ": time " + time + " is not within 10 minutes of when it was posted (" + postedFrom
                                + " to " + postedTo + " ms since the epoch here): seconds, or local time?");
                if (i > 0) {
                    Expect.that(time >= times.get(i - 1), what + ": times go back as ids go up: " + times);
                }
            }
        }
    }
}
