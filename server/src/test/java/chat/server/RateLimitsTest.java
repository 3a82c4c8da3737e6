package chat.server;

import chat.config.Rate;
import chat.config.Settings;
import chat.testing.Await;
import chat.testing.RawConnection;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rate limit met and lifted again through the real server over real HTTP and WebSocket. Another client is
 * another loopback source address (127.0.0.2, 127.0.0.3 ...); 127.0.0.1 is exempt by default from all but the two
 * username buckets of failed logons. Limits that must be seen lifted are configured with a short refill: 2 s, long
 * enough that no token comes back while a test spends the burst even on a machine under load, short enough to
 * wait for.
 */
@Timeout(60)
class RateLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofSeconds(2);

    private static String logonBody(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }

    /** One logon on a fresh connection from {@code source}. */
    private static RawConnection.Answer logon(TestServer chat, String source, String username, String password) {
        try (RawConnection connection = new RawConnection(source, chat.server.port())) {
            return connection.post("/logon", logonBody(username, password));
        }
    }

    /** A 429 RATE_LIMITED with the envelope, a reason, Retry-After and the draft's fields of this policy. */
    private static void assertThrottled(RawConnection.Answer answer, String policy, String reasonPart) {
        assertEquals(429, answer.status(), answer.toString());
        assertEquals("RATE_LIMITED", answer.error(), answer.toString());
        assertEquals(false, answer.json().get("status").getAsBoolean(), answer.toString());
        String reason = answer.json().get("data").getAsString();
        assertTrue(reason.contains(reasonPart) && reason.contains("try again in"), reason);
        String retryAfter = answer.header("Retry-After");
        assertNotNull(retryAfter, answer.head());
        assertTrue(Long.parseLong(retryAfter) >= 1, answer.head());
        assertTrue(answer.header("RateLimit-Policy").startsWith("\"" + policy + "\";q="), answer.head());
        assertEquals("\"" + policy + "\";r=0;t=" + retryAfter, answer.header("RateLimit"), answer.head());
    }

    @Test
    void wrongPasswordsFromLoopbackAreThrottledLongBeforeTheFiftiethWhileTheOwnerLogsOnFromElsewhere() {
        try (TestServer chat = TestServer.start()) {
            String alice = TestServer.unique("alice");
            chat.logon(alice, "right");
            try (RawConnection guesser = new RawConnection("127.0.0.1", chat.server.port())) {
                int attempts = 0;
                RawConnection.Answer answer;
                do {
                    answer = guesser.post("/logon", logonBody(alice, "guess-" + attempts));
                    attempts++;
                } while (answer.status() == 200 && attempts < 50);
                assertEquals(21, attempts, "the default burst is 20 wrong passwords for one username and address");
                assertThrottled(answer, "failed-logons", "too many wrong passwords for " + alice + " from your address");
                assertEquals("\"failed-logons\";q=20;w=1200", answer.header("RateLimit-Policy"));
                assertTrue(Long.parseLong(answer.header("Retry-After")) <= 60, answer.head());
                assertThrottled(guesser.post("/logon", logonBody(alice, "right")), "failed-logons", alice);
            }
            RawConnection.Answer owner = logon(chat, "127.0.0.2", alice, "right");
            assertEquals(200, owner.status(), owner.toString());
            assertTrue(owner.json().get("status").getAsBoolean(), "the owner logs on from another address: " + owner);
        }
    }

    @Test
    void aThrottledPairTriesAgainAfterOneInterval() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config()
                .with(Settings.RATE_FAILED_LOGONS, new Rate(3, SHORT)).build())) {
            String bob = TestServer.unique("bob");
            chat.logon(bob, "right");
            for (int i = 0; i < 3; i++) {
                assertEquals("WRONG_PASSWORD", logon(chat, "127.0.0.2", bob, "wrong").error());
            }
            RawConnection.Answer refused = logon(chat, "127.0.0.2", bob, "right");
            assertThrottled(refused, "failed-logons", bob);
            assertTrue(Long.parseLong(refused.header("Retry-After")) <= 2, refused.head());
            RawConnection.Answer lifted = Await.value("the pair's next token", WAIT,
                    () -> logon(chat, "127.0.0.2", bob, "right"), answer -> answer.status() == 200);
            assertTrue(lifted.json().get("status").getAsBoolean(), lifted.toString());
        }
    }

    @Test
    void invalidFieldsAreNeverCountedAsGuesses() {
        try (TestServer chat = TestServer.start(TestServer.config()
                .with(Settings.RATE_FAILED_LOGONS, new Rate(2, Duration.ofMinutes(1)))
                .with(Settings.RATE_FAILED_LOGONS_USER, new Rate(2, Duration.ofMinutes(1))).build())) {
            String carol = TestServer.unique("carol");
            chat.logon(carol, "right");
            try (RawConnection connection = new RawConnection("127.0.0.2", chat.server.port())) {
                for (int i = 0; i < 20; i++) {
                    assertEquals("FIELD_MISSING", connection.post("/logon", "{\"username\":\"" + carol + "\"}").error());
                    assertEquals("FIELD_INVALID", connection.post("/logon", logonBody(carol, "")).error());
                    assertEquals("FIELD_WRONG_TYPE", connection.post("/logon",
                            "{\"username\":\"" + carol + "\",\"password\":7}").error());
                }
                RawConnection.Answer right = connection.post("/logon", logonBody(carol, "right"));
                assertTrue(right.json().get("status").getAsBoolean(), right.toString());
            }
        }
    }

    @Test
    void guessesSpreadOverManyAddressesMeetTheUsernamesOwnLimit() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config()
                .with(Settings.RATE_FAILED_LOGONS_USER, new Rate(5, SHORT)).build())) {
            String dave = TestServer.unique("dave");
            chat.logon(dave, "right");
            for (int address = 2; address <= 6; address++) {
                assertEquals("WRONG_PASSWORD", logon(chat, "127.0.0." + address, dave, "wrong").error());
            }
            assertThrottled(logon(chat, "127.0.0.7", dave, "wrong"), "failed-logons-user",
                    "too many wrong passwords for " + dave);
            assertEquals(200, logon(chat, "127.0.0.7", TestServer.unique("erin"), "pw").status(),
                    "another username from that address is not held up");
            Await.value("the username's next token", WAIT, () -> logon(chat, "127.0.0.8", dave, "right"),
                    answer -> answer.status() == 200);
        }
    }

    @Test
    void oneAddressGuessingAcrossUsernamesMeetsItsOwnLimitButLoopbackDoesNot() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config()
                .with(Settings.RATE_FAILED_LOGONS_CLIENT, new Rate(4, SHORT)).build())) {
            String[] users = new String[6];
            for (int i = 0; i < users.length; i++) {
                users[i] = TestServer.unique("user");
                chat.logon(users[i], "right");
            }
            for (int i = 0; i < 4; i++) {
                assertEquals("WRONG_PASSWORD", logon(chat, "127.0.0.2", users[i], "wrong").error());
            }
            assertThrottled(logon(chat, "127.0.0.2", users[4], "wrong"), "failed-logons-client",
                    "too many wrong passwords from your address");
            assertEquals("WRONG_PASSWORD", logon(chat, "127.0.0.3", users[4], "wrong").error(),
                    "another address is not held up");
            Await.value("127.0.0.2's next token", WAIT, () -> logon(chat, "127.0.0.2", users[5], "right"),
                    answer -> answer.status() == 200);
            for (String user : users) {
                assertEquals("WRONG_PASSWORD", logon(chat, "127.0.0.1", user, "wrong").error(),
                        "loopback is exempt from the per-address bucket");
            }
        }
    }

    @Test
    void logonsPerAddressAreLimitedAndLiftedWhileAnotherAddressIsServed() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config()
                .with(Settings.RATE_LOGONS, new Rate(3, SHORT)).build())) {
            String frank = TestServer.unique("frank");
            chat.logon(frank, "pw");
            for (int i = 0; i < 3; i++) {
                assertEquals(200, logon(chat, "127.0.0.2", frank, "pw").status());
            }
            assertThrottled(logon(chat, "127.0.0.2", frank, "pw"), "logons", "too many logons from your address");
            assertEquals(200, logon(chat, "127.0.0.3", frank, "pw").status(), "127.0.0.3 is served");
            Await.value("127.0.0.2's next logon token", WAIT, () -> logon(chat, "127.0.0.2", frank, "pw"),
                    answer -> answer.status() == 200);
        }
    }

    @Test
    void registrationsPerAddressAreLimitedButExistingUsersLogOn() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config()
                .with(Settings.RATE_REGISTRATIONS, new Rate(2, SHORT)).build())) {
            String first = TestServer.unique("new");
            assertEquals(200, logon(chat, "127.0.0.2", first, "pw").status());
            assertEquals(200, logon(chat, "127.0.0.2", TestServer.unique("new"), "pw").status());
            String third = TestServer.unique("new");
            assertThrottled(logon(chat, "127.0.0.2", third, "pw"), "registrations", "new users registered");
            assertTrue(logon(chat, "127.0.0.2", first, "pw").json().get("status").getAsBoolean(),
                    "an existing user still logs on from there");
            assertTrue(logon(chat, "127.0.0.3", third, "pw").json().get("status").getAsBoolean(),
                    "the name is registered from another address");
            Await.value("127.0.0.2's next registration token", WAIT,
                    () -> logon(chat, "127.0.0.2", TestServer.unique("new"), "pw"), answer -> answer.status() == 200);
        }
    }

    @Test
    void callsOfOneSessionCountTogetherOverHttpAndWebSocket() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.CLIENT_LIMIT_EXEMPT, "")
                .with(Settings.RATE_CALLS, new Rate(4, Duration.ofMinutes(1))).build())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key); // 1
            chat.post("list", Map.of("sesskey", key)).success(); // 2
            TestSocket socket = new TestSocket(chat.http(), chat.server.url().replace("http", "ws") + "/ws",
                    Long.toString(key));
            try {
                assertTrue(socket.awaitOpen(), "the handshake is not a call");
                socket.succeed("lastmessage", TestSocket.body("channel", channel)); // 3
                socket.succeed("subscribe", TestSocket.body("channel", channel)); // 4
                JsonObject refused = socket.call("list", new JsonObject());
                assertEquals("RATE_LIMITED", refused.get("error").getAsString(), refused.toString());
                assertTrue(refused.get("data").getAsString().contains("this session has made calls too fast"),
                        refused.toString());
                assertTrue(refused.get("retry_after").getAsLong() >= 1, refused.toString());
            } finally {
                socket.close();
            }
            TestServer.Reply overHttp = chat.post("lastmessage", Map.of("sesskey", key, "channel", channel));
            assertEquals(429, overHttp.httpStatus(), overHttp.toString());
            assertEquals("RATE_LIMITED", overHttp.error());
            long other = chat.newSession();
            chat.post("list", Map.of("sesskey", other)).success(); // another session has its own bucket
        }
    }

    @Test
    void postsPerSessionAreLimitedAndLifted() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.CLIENT_LIMIT_EXEMPT, "")
                .with(Settings.RATE_POSTS, new Rate(2, SHORT)).build())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            try (RawConnection connection = new RawConnection("127.0.0.1", chat.server.port())) {
                String post = "{\"sesskey\":" + key + ",\"channel\":\"" + channel + "\",\"message\":\"hi\"}";
                assertEquals(200, connection.post("/post", post).status());
                assertEquals(200, connection.post("/post", post).status());
                RawConnection.Answer refused = connection.post("/post", post);
                assertThrottled(refused, "posts", "this session has posted too fast");
                RawConnection.Answer last = connection.post("/lastmessage",
                        "{\"sesskey\":" + key + ",\"channel\":\"" + channel + "\"}");
                assertEquals(2, last.json().get("data").getAsLong(), "reads go on, and the refused post kept nothing");
                Await.value("the session's next post token", WAIT, () -> connection.post("/post", post),
                        answer -> answer.status() == 200);
            }
        }
    }

    @Test
    void aFloodFromOneAddressIsThrottledWhileAnotherIsServedNormally() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config()
                .with(Settings.RATE_CALLS, new Rate(50, Duration.ofSeconds(1))).build())) {
            long flooder = logon(chat, "127.0.0.2", TestServer.unique("flooder"), "pw").json().get("data").getAsLong();
            long bystander = logon(chat, "127.0.0.3", TestServer.unique("bystander"), "pw").json().get("data")
                    .getAsLong();
            try (RawConnection flood = new RawConnection("127.0.0.2", chat.server.port());
                 RawConnection served = new RawConnection("127.0.0.3", chat.server.port())) {
                int refused = 0;
                for (int i = 0; i < 200; i++) {
                    if (flood.post("/list", "{\"sesskey\":" + flooder + "}").status() == 429) {
                        refused++;
                    }
                    if (i % 20 == 0) {
                        assertEquals(200, served.post("/list", "{\"sesskey\":" + bystander + "}").status());
                    }
                }
                assertTrue(refused >= 100, "of 200 calls at once past a burst of 50, " + refused + " were refused");
                Await.value("the flooder's next token", WAIT, () -> flood.post("/list", "{\"sesskey\":" + flooder + "}"),
                        answer -> answer.status() == 200);
            }
        }
    }

    @Test
    void xForwardedForCountsOnlyFromATrustedProxy() {
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.TRUSTED_PROXIES, "127.0.0.2/32")
                .with(Settings.RATE_LOGONS, new Rate(2, Duration.ofMinutes(1))).build())) {
            String grace = TestServer.unique("grace");
            chat.logon(grace, "pw");
            assertEquals(200, forwarded(chat, "127.0.0.2", "203.0.113.7", grace).status());
            assertEquals(200, forwarded(chat, "127.0.0.2", "203.0.113.7", grace).status());
            assertThrottled(forwarded(chat, "127.0.0.2", "203.0.113.7", grace), "logons", "from your address");
            assertEquals(200, forwarded(chat, "127.0.0.2", "203.0.113.8", grace).status(),
                    "behind the proxy, each forwarded address is its own client; the proxy's is not counted");
            assertEquals(200, forwarded(chat, "127.0.0.3", "203.0.113.9", grace).status());
            assertEquals(200, forwarded(chat, "127.0.0.3", "203.0.113.10", grace).status());
            assertThrottled(forwarded(chat, "127.0.0.3", "203.0.113.11", grace), "logons", "from your address");
        }
    }

    private static RawConnection.Answer forwarded(TestServer chat, String source, String forwardedFor, String user) {
        String body = logonBody(user, "pw");
        try (RawConnection connection = new RawConnection(source, chat.server.port())) {
            return connection.send("POST /logon HTTP/1.1\r\nHost: test\r\nX-Forwarded-For: " + forwardedFor
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .answer();
        }
    }
}
