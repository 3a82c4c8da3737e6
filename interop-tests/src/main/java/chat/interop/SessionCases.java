package chat.interop;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Spec section 4 and the logon and logoff calls (5.1, 5.2). */
final class SessionCases {
    private static final long KEY_BOUND = 1L << 53;

    private SessionCases() {
    }

    static void addTo(Catalogue catalogue) {
        catalogue.must("logon/1", "A first logon registers the user and answers a session key", wire -> {
            Answer answer = wire.call("logon", "username", wire.newName("u"), "password", "pw");
            Expect.that(answer.isEnvelope() && answer.status(), "logon should succeed, got " + answer.body());
        });
        catalogue.must("logon/2", "A logon with the wrong password fails", wire -> {
            String user = wire.newName("u");
            wire.logon(user, "right");
            Expect.failure(wire.call("logon", "username", user, "password", "wrong"), "the wrong password");
        });
        catalogue.must("session/1", "Later logons of a registered name succeed with the same password only", wire -> {
            String user = wire.newName("u");
            wire.logon(user, "first password");
            Answer again = wire.call("logon", "username", user, "password", "first password");
            Expect.that(again.isEnvelope() && again.status(), "the same password again should work: " + again.body());
            Expect.failure(wire.call("logon", "username", user, "password", "First password"), "a different password");
        });
        catalogue.must("session/2", "A session key is a JSON integer (not a string or float) in [1, 2^53)", wire -> {
            Answer answer = wire.call("logon", "username", wire.newName("u"), "password", "pw");
            Expect.that(answer.isEnvelope() && answer.status(), "logon should succeed, got " + answer.body());
            String literal = answer.dataLiteral();
            Expect.that(literal != null, "the key must be a JSON number, got " + answer.data());
            Expect.that(literal.matches("[0-9]+"), "the key must be an integer literal, got " + literal);
            Expect.that(literal.length() <= 16, "the key must be below 2^53, got " + literal);
            long key = Long.parseLong(literal);
            Expect.that(key >= 1 && key < KEY_BOUND, "the key must be in [1, 2^53), got " + key);
        });
        catalogue.must("session/3", "Session keys are distinct, unpredictable and not sequential", wire -> {
            int count = 40;
            List<Long> keys = new ArrayList<>();
            String user = wire.newName("u");
            for (int i = 0; i < count; i++) {
                keys.add(wire.logon(i % 2 == 0 ? user : wire.newName("u"), "pw"));
            }
            Expect.equal(count, new HashSet<>(keys).size(), "distinct keys among " + count);
            Set<Long> steps = new HashSet<>();
            long smallSteps = 0;
            for (int i = 1; i < count; i++) {
                long step = keys.get(i) - keys.get(i - 1);
                steps.add(step);
                smallSteps += Math.abs(step) < 1_000_000 ? 1 : 0;
            }
            Expect.that(steps.size() > count / 2, "keys must not follow a fixed step: steps " + steps);
            Expect.that(smallSteps < 3, "consecutive keys must not be close together (guessable): " + keys);
            long min = keys.stream().min(Long::compare).orElseThrow();
            long max = keys.stream().max(Long::compare).orElseThrow();
            Expect.that(max - min > (1L << 40), "keys should spread over the key space, all lie in [" + min + ", "
                    + max + "]");
        });
        catalogue.must("session/4", "One user may hold several live sessions at once", wire -> {
            String user = wire.newName("u");
            long first = wire.logon(user, "pw");
            long second = wire.logon(user, "pw");
            Expect.that(first != second, "two logons should give two keys");
            Expect.that(wire.call("list", "sesskey", first).status(), "the first session should still work");
            Expect.that(wire.call("list", "sesskey", second).status(), "the second session should work");
        });
        catalogue.must("session/5", "Logoff ends the session: later calls with the key fail, logoff included", wire -> {
            String user = wire.newName("u");
            long key = wire.logon(user, "pw");
            long other = wire.logon(user, "pw");
            Expect.successTrue(wire.call("logoff", "sesskey", key), "logoff");
            Expect.failure(wire.call("list", "sesskey", key), "list with a logged-off key");
            Expect.failure(wire.call("create", "sesskey", key, "channel", wire.newName("c")), "create, logged off");
            Expect.failure(wire.call("logoff", "sesskey", key), "logoff again");
            Expect.that(wire.call("list", "sesskey", other).status(), "the user's other session should live on");
        });
        catalogue.must("session/6", "Every call but logon refuses an unknown key", wire -> {
            long key = wire.newSession();
            String channel = wire.newChannel(key);
            long unknown = key ^ (1L << 51); // well-formed, differs from a live key in one bit
            Expect.failure(wire.call("logoff", "sesskey", unknown), "logoff");
            Expect.failure(wire.call("list", "sesskey", unknown), "list");
            Expect.failure(wire.call("create", "sesskey", unknown, "channel", wire.newName("c")), "create");
            Expect.failure(wire.call("post", "sesskey", unknown, "channel", channel, "message", "m"), "post");
            Expect.failure(wire.call("lastmessage", "sesskey", unknown, "channel", channel), "lastmessage");
            Expect.failure(wire.call("retrieve", "sesskey", unknown, "channel", channel, "first", 1, "last", 9),
                    "retrieve");
            Expect.failure(wire.call("list", "sesskey", 0), "list with key 0");
            Expect.failure(wire.call("list", "sesskey", -1), "list with key -1");
        });
        catalogue.must("session/8", "Passwords are never returned or echoed", wire -> {
            String user = wire.newName("u");
            String password = "Pw-" + wire.newName("secret");
            Answer logon = wire.call("logon", "username", user, "password", password);
            Expect.that(!logon.body().contains(password), "the logon answer contains the password");
            Answer wrong = wire.call("logon", "username", user, "password", password + "-wrong");
            Expect.failure(wrong, "a wrong password");
            Expect.that(!wrong.body().contains(password), "the failure echoes the password: " + wrong.body());
            Answer invalid = wire.call("logon", "username", "", "password", password);
            Expect.that(!invalid.body().contains(password), "a failure echoes the password: " + invalid.body());
        });
        catalogue.must("session/9", "Of concurrent first logons of one name, exactly one registers it", wire -> {
            String user = wire.newName("u");
            int contenders = 8;
            AtomicInteger passwords = new AtomicInteger();
            int succeeded = Race.successes(contenders, () -> {
                Answer answer = wire.call("logon", "username", user, "password", "contender " + passwords.incrementAndGet());
                return answer.isEnvelope() && answer.status();
            });
            Expect.equal(1, succeeded, "logons that succeeded among " + contenders + " with different passwords");
        });
        catalogue.should("session/10", "Usernames are 1-32 characters without control characters (FIELD_INVALID)",
                wire -> {
                    String base = wire.newName("u");
                    String exactly32 = (base + "x".repeat(32)).substring(0, 32);
                    Expect.that(wire.call("logon", "username", exactly32, "password", "pw").status(),
                            "a 32-character name should be accepted");
                    Expect.status(wire.call("logon", "username", exactly32 + "y", "password", "pw"), 200,
                            "FIELD_INVALID", "a 33-character name");
                    Expect.status(wire.call("logon", "username", "", "password", "pw"), 200, "FIELD_INVALID",
                            "an empty name");
                    Expect.status(wire.call("logon", "username", "a\nb" + base, "password", "pw"), 200,
                            "FIELD_INVALID", "a name with a newline");
                });
        catalogue.must("logoff/1", "Logoff of a live key answers true", wire -> {
            long key = wire.newSession();
            Expect.successTrue(wire.call("logoff", "sesskey", key), "logoff");
        });
    }
}
