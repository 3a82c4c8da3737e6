package chat.interop;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static chat.interop.WireSocket.body;

/**
 * Spec section 3.1 and the rate-limit rows of sections 9 and 10: how a throttled call is answered, which logons
 * count as failed ones, and that limits are not doubled by a socket or a second replica. Each case throttles a
 * username (or session) of its own, with names unique to the run, so the suite can be run again and again against
 * one server; each skips when the server throttles nothing, which the spec allows.
 */
final class RateLimitCases {
    /** Wrong passwords for one username tried before concluding that the server does not throttle them. */
    private static final int WRONG_PASSWORDS_TRIED = 60;
    /** http/19: throttled "well before the 50th" wrong password. */
    private static final int THROTTLED_BEFORE = 50;
    /** Calls of one session tried before concluding that the server has no call limit (ours: 300 at once). */
    private static final int CALLS_TRIED = 2_000;
    /** At most this many frames sent at once (ws/13), well within a socket's queue of frames (ws/9: 1,000). */
    private static final int MOST_FRAMES = 500;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RateLimitCases() {
    }

    /**
     * A username refused RATE_LIMITED for wrong passwords from this client.
     *
     * @param password       the username's right password
     * @param refusedAttempt which wrong password (1, 2, ...) was the first one refused
     * @param refusal        the answer to it
     * @param startedNanos   System.nanoTime() before the first wrong password
     * @param refusedNanos   System.nanoTime() once the refusal had come
     */
    private record Throttled(String username, String password, int refusedAttempt, Answer refusal, long startedNanos,
                             long refusedNanos) {
        /** The wrong passwords the server took (and checked) before it refused one. */
        int letThrough() {
            return refusedAttempt - 1;
        }

        long retryAfter() {
            return retryAfterOf(refusal);
        }

        /**
         * Whether the throttle must hold still, so that a call now is sure to be refused too: a whole-second
         * Retry-After of N stands for a wait of more than N - 1 seconds, and a second of that is left for the time
         * the refusal and the next request spend on the way. Otherwise a case cannot tell a throttle that lifted,
         * as it may, from one that was never kept.
         */
        boolean surelyStillThrottled() {
            return System.nanoTime() - refusedNanos < (retryAfter() - 2) * NANOS_PER_SECOND;
        }
    }

    /** A fresh username, registered, then wrong passwords for it until one is refused; skips if none is. */
    private static Throttled throttle(Wire wire) {
        String username = wire.newName("rl");
        String password = "right-" + username;
        wire.logon(username, password); // registered first: each logon below is a wrong password, not a registration
        long started = System.nanoTime();
        for (int attempt = 1; attempt <= WRONG_PASSWORDS_TRIED; attempt++) {
            Answer answer = wire.call("logon", "username", username, "password", "wrong-" + attempt);
            if (isThrottled(answer)) {
                return new Throttled(username, password, attempt, answer, started, System.nanoTime());
            }
            Expect.failure(answer, "wrong password " + attempt + " for " + username);
        }
        throw new CaseSkipped(WRONG_PASSWORDS_TRIED + " wrong passwords for one username were none of them refused "
                + "RATE_LIMITED: the server does not throttle failed logons");
    }

    /** A refusal by a rate limit, whether or not it is answered as the spec asks (the cases check that). */
    private static boolean isThrottled(Answer answer) {
        return answer.httpStatus() == 429 || "RATE_LIMITED".equals(answer.error());
    }

    /** Retry-After in seconds, or -1 when it is missing or not a whole number of seconds of at least 1. */
    private static long retryAfterOf(Answer answer) {
        String value = answer.header("Retry-After");
        return value != null && value.matches("[0-9]{1,9}") && Long.parseLong(value) >= 1 ? Long.parseLong(value) : -1;
    }

    static void addTo(Catalogue catalogue) {
        catalogue.must("http/15", "A call refused by a rate limit answers 429 RATE_LIMITED in the envelope, with "
                + "Retry-After in whole seconds", wire -> {
            Throttled throttled = throttle(wire);
            String what = "the refusal of wrong password " + throttled.refusedAttempt();
            Expect.status(throttled.refusal(), 429, "RATE_LIMITED", what);
            Expect.that(throttled.retryAfter() >= 1, what + ": Retry-After must be a whole number of seconds, at "
                    + "least 1, got " + throttled.refusal().header("Retry-After"));
        });
        catalogue.should("http/16", "A refusal's reason says when to try again, and RateLimit-Policy and RateLimit "
                + "(draft-ietf-httpapi-ratelimit-headers-10) name its limit", wire -> {
            Throttled throttled = throttle(wire);
            Answer refusal = throttled.refusal();
            Expect.failure(refusal, "the refusal");
            String reason = refusal.data().getAsString();
            Expect.that(reason.matches("(?s).*[0-9].*"), "the reason should say when to try again (in seconds or "
                    + "minutes), got \"" + reason + "\"");
            RateLimitFields.Refusing refusing = RateLimitFields.refusingLimit(refusal);
            Expect.that(refusing != null, "the refusal should carry RateLimit-Policy: \"<name>\";q=<burst>;w=<seconds> "
                    + "and RateLimit: \"<name>\";r=0;t=<Retry-After>, got RateLimit-Policy: "
                    + refusal.header("RateLimit-Policy") + ", RateLimit: " + refusal.header("RateLimit"));
            Expect.that(refusing.policy().integer("q") >= 1, "the policy's quota q should be a positive integer: "
                    + refusing.policy());
            Expect.equal(throttled.retryAfter(), refusing.limit().integer("t"),
                    "RateLimit's t (seconds until there is room) against Retry-After, in " + refusing.limit());
        });
        catalogue.should("http/17", "The connection that carried a refused call is kept open", wire -> {
            Throttled throttled = throttle(wire);
            byte[] body = ("{\"username\": \"" + throttled.username() + "\", \"password\": \"wrong-again\"}")
                    .getBytes(StandardCharsets.UTF_8);
            try (RawExchange raw = new RawExchange(wire.baseUrl(), 10_000)) {
                raw.send("POST /logon HTTP/1.1\r\nHost: " + raw.host + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n");
                raw.send(body);
                RawExchange.Response refused = raw.read();
                if (refused.status() != 429) {
                    throw new CaseSkipped("the throttle had lifted before this connection could be refused: HTTP "
                            + refused.status());
                }
                if (refused.header("Content-Length") == null) {
                    throw new CaseSkipped("the 429 came without Content-Length (chunked?), which this case's raw "
                            + "HTTP/1.1 client cannot read past");
                }
                String connection = refused.header("Connection");
                Expect.that(connection == null || !connection.toLowerCase(Locale.ROOT).contains("close"),
                        "the 429 should keep the connection open, got Connection: " + connection);
                raw.send("GET /health HTTP/1.1\r\nHost: " + raw.host + "\r\n\r\n");
                RawExchange.Response health;
                try {
                    health = raw.read();
                } catch (IOException e) {
                    throw new CaseFailed("the server closed the connection after the 429: " + e.getMessage());
                }
                Expect.equal(200, health.status(), "GET /health on the connection after its 429");
            }
        });
        catalogue.must("http/18", "Logons with a missing or mistyped field are never RATE_LIMITED and count against "
                + "no limit", wire -> {
            String username = wire.newName("rl");
            String named = "\"username\": \"" + username + "\""; // run names need no JSON escapes
            List<String> malformed = List.of("{" + named + "}", "{" + named + ", \"password\": 5}",
                    "{" + named + ", \"password\": null}", "{" + named + ", \"password\": [\"pw\"]}");
            for (int i = 0; i < WRONG_PASSWORDS_TRIED; i++) {
                String body = malformed.get(i % malformed.size());
                Answer answer = wire.post("logon", body);
                Expect.failure(answer, "logon " + body);
                Expect.that(!isThrottled(answer), "a logon with a missing or mistyped password is no failed logon "
                        + "and must not be rate limited, but logon " + (i + 1) + " of " + WRONG_PASSWORDS_TRIED
                        + " such was: HTTP " + answer.httpStatus() + " " + answer.body());
            }
            Answer registers = wire.call("logon", "username", username, "password", "right");
            Expect.that(registers.isEnvelope() && registers.status(), "after " + WRONG_PASSWORDS_TRIED + " malformed "
                    + "logons naming it, the first logon with a password should register " + username + ", got HTTP "
                    + registers.httpStatus() + " " + registers.body());
            Answer wrong = wire.call("logon", "username", username, "password", "wrong");
            Expect.failure(wrong, "a wrong password after them");
            Expect.that(!isThrottled(wrong), "no wrong password came before this one, so it should be answered as "
                    + "one, not rate limited: HTTP " + wrong.httpStatus() + " " + wrong.body());
        });
        catalogue.should("http/19", "Wrong passwords for one username from one address are throttled well before the "
                + "50th, and the right password from there then too", wire -> {
            Throttled throttled = throttle(wire);
            Expect.that(throttled.refusedAttempt() < THROTTLED_BEFORE, "wrong passwords should be throttled well "
                    + "before the " + THROTTLED_BEFORE + "th; the first refusal came at the "
                    + throttled.refusedAttempt() + "th");
            if (throttled.surelyStillThrottled()) { // else it may rightly have lifted, and nothing can be told
                Answer right = wire.call("logon", "username", throttled.username(), "password", throttled.password());
                Expect.that(isThrottled(right), "from the throttled address the right password should be refused "
                        + "too until Retry-After (else the one answer that is not RATE_LIMITED gives the password "
                        + "away), got HTTP " + right.httpStatus() + " " + right.body());
            }
        });
        catalogue.should("http/19.other-address", "While one address is throttled for a username, its right password "
                + "from another address (127.0.0.2) logs on", wire -> {
            try (Wire second = SecondAddress.wire(wire)) { // skips before throttling anything when there is none
                Throttled throttled = throttle(wire);
                Answer answer = second.call("logon", "username", throttled.username(), "password", throttled.password());
                Expect.that(answer.isEnvelope() && answer.status(), "the right password from 127.0.0.2, while "
                        + "127.0.0.1 is throttled for " + throttled.username() + ", should log on: a guesser should "
                        + "not lock the owner out; got HTTP " + answer.httpStatus() + " " + answer.body());
            }
        });
        catalogue.should("ws/12", "A call over a socket refused by a rate limit answers RATE_LIMITED with an integer "
                + "retry_after, and the socket stays open", wire -> {
            try (WireSocket socket = WireSocket.open(wire, wire.newSession())) { // skips without /ws, before throttling
                Throttled throttled = throttle(wire);
                JsonObject answer = socket.call("logon", body("username", throttled.username(), "password",
                        "wrong-over-the-socket"));
                if (!"RATE_LIMITED".equals(stringOf(answer, "error")) && !throttled.surelyStillThrottled()) {
                    throw new CaseSkipped("the throttle may have lifted before the socket's logon: " + answer);
                }
                Expect.that(isFailure(answer), "a throttled logon over the socket should fail with a reason: " + answer);
                Expect.equal("RATE_LIMITED", stringOf(answer, "error"), "the error of a throttled logon over the "
                        + "socket (" + answer + ")");
                JsonElement retryAfter = answer.get("retry_after");
                Expect.that(Expect.isInteger(retryAfter) && retryAfter.getAsLong() >= 1, "the answer should say in "
                        + "\"retry_after\" how many seconds to wait, an integer of at least 1: " + answer);
                Expect.that(Boolean.TRUE.equals(statusOf(socket.call("list", body()))),
                        "the socket should serve on after the refusal");
            }
        });
        catalogue.should("ws/13", "A socket's calls count with its session's HTTP calls against one call limit",
                RateLimitCases::socketCallsShareTheSessionsLimit);
        catalogue.should("replicas/6", "No more wrong passwords get through before the refusal than its "
                + "RateLimit-Policy allows, however many replicas take them", wire -> {
            Throttled throttled = throttle(wire);
            RateLimitFields.Refusing refusing = RateLimitFields.refusingLimit(throttled.refusal());
            if (refusing == null || refusing.policy().integer("q") < 1 || refusing.policy().integer("w") < 1) {
                throw new CaseSkipped("the refusal names no policy with a quota q and a window w to count against "
                        + "(http/16 says what it lacks)");
            }
            long quota = refusing.policy().integer("q");
            long window = refusing.policy().integer("w");
            double seconds = (throttled.refusedNanos() - throttled.startedNanos()) / (double) NANOS_PER_SECOND;
            // The quota at once, what came back while the wrong passwords went in, and one for rounding.
            long allowed = quota + (long) Math.floor(seconds * quota / window) + 1;
            Expect.that(throttled.letThrough() <= allowed, throttled.letThrough() + " wrong passwords got through "
                    + "before the refusal, more than its policy " + refusing.policy() + " allows in "
                    + String.format(Locale.ROOT, "%.1f", seconds) + " s (" + allowed + "): do replicas count apart?");
        });
    }

    /**
     * ws/13 from 127.0.0.2, a client whose calls are rate limited (the suite's own address may be exempt, as
     * loopback is on our server): the session's HTTP calls until one is refused, then at once as many calls over
     * its socket. On an allowance of its own at least the size of HTTP's, the socket would take them all; sharing
     * the session's, it has next to nothing left.
     */
    private static void socketCallsShareTheSessionsLimit(Wire wire) throws Exception {
        long key = wire.newSession(); // registered from the suite's own address: 127.0.0.2 opens no account
        try (Wire second = SecondAddress.wire(wire); WireSocket socket = WireSocket.open(second, key)) {
            int taken = 0;
            Answer refusal = null;
            while (refusal == null && taken < CALLS_TRIED) {
                Answer answer = second.call("list", "sesskey", key);
                if (isThrottled(answer)) {
                    refusal = answer;
                } else {
                    Expect.that(answer.isEnvelope() && answer.status(), "list " + (taken + 1) + " should succeed "
                            + "until the session is throttled: HTTP " + answer.httpStatus() + " " + answer.body());
                    taken++;
                }
            }
            if (refusal == null) {
                throw new CaseSkipped(CALLS_TRIED + " calls of one session from 127.0.0.2 were none of them refused "
                        + "RATE_LIMITED: no call limit for a socket to share");
            }
            Expect.status(refusal, 429, "RATE_LIMITED", "the refusal of HTTP call " + (taken + 1));
            int frames = Math.min(taken, MOST_FRAMES);
            for (int i = 0; i < frames; i++) {
                socket.send("list", body());
            }
            int refused = 0;
            for (int i = 0; i < frames; i++) {
                JsonObject answer = socket.next("answer " + (i + 1) + " of " + frames + " list frames sent at once");
                refused += "RATE_LIMITED".equals(stringOf(answer, "error")) ? 1 : 0;
            }
            Expect.that(refused > 0, "right after the session's HTTP calls were refused (after " + taken + "), all "
                    + frames + " list calls over its socket succeeded: the socket's calls have an allowance of "
                    + "their own");
        }
    }

    private static boolean isFailure(JsonObject answer) {
        return Boolean.FALSE.equals(statusOf(answer)) && Expect.isString(answer.get("data"))
                && !answer.get("data").getAsString().isBlank();
    }

    /** The answer's boolean status, or null when it has none. */
    private static Boolean statusOf(JsonObject answer) {
        JsonElement status = answer.get("status");
        return status != null && status.isJsonPrimitive() && status.getAsJsonPrimitive().isBoolean()
                ? status.getAsBoolean() : null;
    }

    private static String stringOf(JsonObject object, String field) {
        return Expect.isString(object.get(field)) ? object.get(field).getAsString() : null;
    }
}
