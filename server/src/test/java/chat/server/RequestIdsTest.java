package chat.server;

import chat.testing.RawConnection;
import chat.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every HTTP answer carries X-Request-Id: the client's own when it is sane, else one the server made. */
@Timeout(60)
class RequestIdsTest {
    private static RawConnection.Answer post(TestServer chat, String path, String requestId) {
        try (RawConnection connection = new RawConnection("127.0.0.1", chat.server.port())) {
            String header = requestId == null ? "" : "X-Request-Id: " + requestId + "\r\n";
            return connection.send("POST " + path + " HTTP/1.1\r\nHost: test\r\n" + header
                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").answer();
        }
    }

    @Test
    void aSaneIdIsAnsweredAsSentOnCallsFailuresAndUnknownPaths() {
        try (TestServer chat = TestServer.start()) {
            String uuid = "3f2b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
            assertEquals(uuid, post(chat, "/list", uuid).header("X-Request-Id"), "a refused call (no session)");
            assertEquals("abc-123", post(chat, "/nowhere", "abc-123").header("X-Request-Id"), "a 404");
            String haproxy = "7F000001:D2A8_7F000001:1F40_674DF0A2_0001:1A2B";
            assertEquals(haproxy, post(chat, "/list", haproxy).header("X-Request-Id"), "HAProxy's unique-id format");
        }
    }

    @Test
    void aMissingOrInsaneIdIsReplacedByOneOfTheServersOwnEachDifferent() {
        try (TestServer chat = TestServer.start()) {
            Set<String> made = new HashSet<>();
            for (String sent : new String[] {null, "", "has space", "x".repeat(129), "quote\"d", "semi;colon"}) {
                String answered = post(chat, "/list", sent).header("X-Request-Id");
                assertTrue(answered != null && answered.matches("[0-9a-z]+-[0-9a-z]+"), "made here: " + answered);
                assertNotEquals(sent, answered);
                made.add(answered);
            }
            assertEquals(6, made.size(), "each request its own id: " + made);
            assertEquals("x".repeat(128), post(chat, "/list", "x".repeat(128)).header("X-Request-Id"),
                    "128 characters are still taken");
        }
    }

    @Test
    void theWebSocketHandshakeAndHealthCarryOneToo() {
        try (TestServer chat = TestServer.start();
             RawConnection connection = new RawConnection("127.0.0.1", chat.server.port())) {
            long key = chat.newSession();
            RawConnection.Answer upgraded = connection.send("GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nX-Session-Key: " + key + "\r\nX-Request-Id: socket-1\r\n\r\n")
                    .answer();
            assertEquals(101, upgraded.status(), upgraded.toString());
            assertEquals("socket-1", upgraded.header("X-Request-Id"));
        }
        try (TestServer chat = TestServer.start();
             RawConnection connection = new RawConnection("127.0.0.1", chat.server.port())) {
            assertTrue(connection.get("/health").header("X-Request-Id") != null);
        }
    }
}
