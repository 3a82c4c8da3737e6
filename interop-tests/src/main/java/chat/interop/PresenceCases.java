package chat.interop;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static chat.interop.WireSocket.body;

/**
 * Spec section 9.1: presence. Optional: every case skips when {@code who} is an unknown call (a server without
 * presence), and, needing sockets to be present with, when the server has no /ws.
 */
final class PresenceCases {
    /**
     * How long a leave may take: the server's grace period comes first (ours: 10 s), then its sweep. The spec gives
     * no bound, so this is generous.
     */
    private static final long LEAVE_SECONDS = 60;

    private PresenceCases() {
    }

    /** Skips the case unless the server answers who: an unknown call (404, or UNKNOWN_CALL) means no presence. */
    private static void requirePresence(Wire wire, long key, String channel) {
        Answer answer = wire.call("who", "sesskey", key, "channel", channel);
        if (answer.httpStatus() == 404 || "UNKNOWN_CALL".equals(answer.error())) {
            throw new CaseSkipped("the server has no presence: who is an unknown call (HTTP " + answer.httpStatus()
                    + ")");
        }
    }

    /** who's data, checked for its shape: {"count": integer, "users": [strings, at most 100, in order]}. */
    private static JsonObject page(JsonElement data, String what) {
        Expect.that(data instanceof JsonObject, what + " should answer an object {\"count\", \"users\"}: " + data);
        JsonObject page = data.getAsJsonObject();
        Expect.that(Expect.isInteger(page.get("count")), what + ": \"count\" should be an integer: " + page);
        Expect.that(page.get("users") instanceof JsonArray, what + ": \"users\" should be an array: " + page);
        List<String> users = names(page);
        Expect.that(users.size() <= 100, what + ": at most 100 names a page, got " + users.size());
        Expect.that(page.get("count").getAsLong() >= users.size(), what + ": a count below the names given: " + page);
        for (int i = 1; i < users.size(); i++) {
            Expect.that(users.get(i - 1).compareTo(users.get(i)) < 0 || !isBmpOnly(users.get(i - 1), users.get(i)),
                    what + ": names in ascending order, got " + users);
        }
        return page;
    }

    /** String.compareTo agrees with code point order when neither string has a character beyond U+FFFF. */
    private static boolean isBmpOnly(String a, String b) {
        return a.codePoints().allMatch(Character::isBmpCodePoint) && b.codePoints().allMatch(Character::isBmpCodePoint);
    }

    private static List<String> names(JsonObject page) {
        List<String> names = new ArrayList<>();
        for (JsonElement name : page.getAsJsonArray("users")) {
            Expect.that(Expect.isString(name), "every name in \"users\" is a string: " + page);
            names.add(name.getAsString());
        }
        return names;
    }

    private static JsonObject whoOverHttp(Wire wire, long key, String channel) {
        Answer answer = wire.call("who", "sesskey", key, "channel", channel);
        Expect.that(answer.isEnvelope() && answer.status(), "who over HTTP should succeed: " + answer.body());
        return page(answer.data(), "who over HTTP");
    }

    private static boolean isPresence(JsonObject frame, String event, String channel, String user) {
        return frame.get("event") != null && event.equals(frame.get("event").getAsString())
                && frame.get("channel") != null && channel.equals(frame.get("channel").getAsString())
                && frame.get("username") != null && user.equals(frame.get("username").getAsString());
    }

    /** A socket of a new user, subscribed to the channel (its own join, if the server sends it, left to be read). */
    private static WireSocket subscribed(Wire wire, String user, String channel) throws Exception {
        WireSocket socket = WireSocket.open(wire, wire.logon(user, "pw-presence"));
        JsonObject answer = socket.call("subscribe", body("channel", channel, "after", 0));
        Expect.that(answer.get("status") != null && answer.get("status").getAsBoolean(), "subscribe: " + answer);
        return socket;
    }

    static void addTo(Catalogue catalogue) {
        catalogue.must("presence/1", "A user with a socket subscribed is present, once however many sockets; an HTTP "
                + "caller is not", wire -> {
            long owner = wire.newSession();
            String channel = wire.newChannel(owner);
            requirePresence(wire, owner, channel);
            String alice = wire.newName("a");
            try (WireSocket first = subscribed(wire, alice, channel);
                 WireSocket second = subscribed(wire, alice, channel)) {
                JsonObject page = whoOverHttp(wire, owner, channel);
                Expect.equal(List.of(alice), names(page), "who with alice subscribed on two sockets");
                Expect.equal(1L, page.get("count").getAsLong(), "the count with alice on two sockets");
            }
        });
        catalogue.must("presence/2", "who answers {count, users}, over HTTP and over the socket, paged after a name",
                wire -> {
                    long owner = wire.newSession();
                    String channel = wire.newChannel(owner);
                    requirePresence(wire, owner, channel);
                    Expect.equal(0L, whoOverHttp(wire, owner, channel).get("count").getAsLong(), "nobody subscribed");
                    String alice = wire.newName("a");
                    String bob = wire.newName("b");
                    try (WireSocket aliceSocket = subscribed(wire, alice, channel);
                         WireSocket bobSocket = subscribed(wire, bob, channel)) {
                        List<String> both = new ArrayList<>(List.of(alice, bob));
                        both.sort(String::compareTo);
                        Expect.equal(both, names(whoOverHttp(wire, owner, channel)), "who over HTTP");
                        JsonObject overSocket = bobSocket.call("who", body("channel", channel));
                        Expect.that(overSocket.get("status") != null && overSocket.get("status").getAsBoolean(),
                                "who over the socket should succeed: " + overSocket);
                        Expect.equal(both, names(page(overSocket.get("data"), "who over the socket")),
                                "who over the socket");
                        Answer after = wire.call("who", "sesskey", owner, "channel", channel, "after", both.get(0));
                        JsonObject rest = page(after.success(), "who after " + both.get(0));
                        Expect.equal(List.of(both.get(1)), names(rest), "the names after " + both.get(0));
                        Expect.equal(2L, rest.get("count").getAsLong(), "the count is of all, whatever the page");
                    }
                });
        catalogue.must("presence/3", "who fails for an unknown channel and for missing or mistyped fields", wire -> {
            long owner = wire.newSession();
            String channel = wire.newChannel(owner);
            requirePresence(wire, owner, channel);
            Expect.failure(wire.call("who", "sesskey", owner, "channel", wire.newName("none")), "who of no channel");
            Expect.failureNaming(wire.call("who", "sesskey", owner), "channel", "who without a channel");
            Expect.failureNaming(wire.call("who", "sesskey", owner, "channel", 5), "channel", "who of channel 5");
            Expect.failureNaming(wire.call("who", "sesskey", owner, "channel", channel, "after", 5), "after",
                    "who after 5");
            Expect.failure(wire.call("who", "sesskey", owner ^ (1L << 50), "channel", channel), "who with a dead key");
        });
        catalogue.should("presence/3.code", "who of an unknown channel is CHANNEL_NOT_FOUND", wire -> {
            long owner = wire.newSession();
            requirePresence(wire, owner, wire.newChannel(owner));
            Expect.status(wire.call("who", "sesskey", owner, "channel", wire.newName("none")), 200,
                    "CHANNEL_NOT_FOUND", "who of no channel");
        });
        catalogue.must("presence/4", "Subscribers get a join when a user becomes present and a leave when they are "
                + "present no longer", wire -> {
            long owner = wire.newSession();
            String channel = wire.newChannel(owner);
            requirePresence(wire, owner, channel);
            String alice = wire.newName("a");
            String bob = wire.newName("b");
            try (WireSocket aliceSocket = subscribed(wire, alice, channel)) {
                try (WireSocket bobSocket = subscribed(wire, bob, channel)) {
                    aliceSocket.readUntil(frame -> isPresence(frame, "join", channel, bob), "bob's join");
                    bobSocket.call("unsubscribe", body("channel", channel));
                    JsonObject frame;
                    do {
                        frame = aliceSocket.next("bob's leave", LEAVE_SECONDS);
                        Expect.that(!isPresence(frame, "join", channel, bob), "a second join of bob: " + frame);
                    } while (!isPresence(frame, "leave", channel, bob));
                }
                Expect.that(!names(whoOverHttp(wire, owner, channel)).contains(bob), "bob is not present after his "
                        + "leave");
            }
        });
        catalogue.should("presence/5", "A reconnect within the grace period is neither a leave nor a join", wire -> {
            long owner = wire.newSession();
            String channel = wire.newChannel(owner);
            requirePresence(wire, owner, channel);
            String alice = wire.newName("a");
            String bob = wire.newName("b");
            String carol = wire.newName("c");
            try (WireSocket aliceSocket = subscribed(wire, alice, channel)) {
                long bobKey = wire.logon(bob, "pw-presence");
                try (WireSocket first = WireSocket.open(wire, bobKey)) {
                    first.call("subscribe", body("channel", channel, "after", 0));
                    aliceSocket.readUntil(frame -> isPresence(frame, "join", channel, bob), "bob's join");
                }
                try (WireSocket again = WireSocket.open(wire, bobKey)) {
                    again.call("subscribe", body("channel", channel, "after", 0));
                    // Carol comes and goes after bob's reconnect: her leave, after her grace, comes after any of his.
                    subscribed(wire, carol, channel).close();
                    JsonObject frame;
                    do {
                        frame = aliceSocket.next("carol's leave", LEAVE_SECONDS);
                        Expect.that(!isPresence(frame, "leave", channel, bob) && !isPresence(frame, "join", channel, bob),
                                "bob reconnected within the grace period, yet: " + frame);
                    } while (!isPresence(frame, "leave", channel, carol));
                    wire.postMessage(owner, channel, "after carol's leave"); // what her sweep sent comes before it
                    do {
                        frame = aliceSocket.next("the message after carol's leave");
                        Expect.that(!isPresence(frame, "leave", channel, bob) && !isPresence(frame, "join", channel, bob),
                                "bob reconnected within the grace period, yet: " + frame);
                    } while (!"message".equals(frame.get("event") == null ? null : frame.get("event").getAsString()));
                    Expect.that(names(whoOverHttp(wire, owner, channel)).contains(bob), "bob is still present");
                }
            }
        });
    }
}
