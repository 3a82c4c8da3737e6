package chat.server;

import chat.config.Config;
import chat.config.Settings;
import chat.testing.Await;
import chat.testing.RawConnection;
import chat.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSockets open at once, per session and per client address, and who the client is behind a proxy
 * (X-Forwarded-For), through real handshakes from chosen loopback addresses.
 */
@Timeout(60)
class SocketBoundsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<RawConnection> held = new ArrayList<>();
    private TestServer chat;

    /** The test's connections first: a server stopped under open sockets that never answer its close logs noise. */
    @AfterEach
    void closeConnectionsThenServer() {
        held.forEach(RawConnection::close);
        if (chat != null) {
            chat.close();
        }
    }

    private TestServer start(Config.Builder config) {
        chat = TestServer.start(config.build());
        return chat;
    }

    @Test
    void socketsPerSessionAreBoundedAndAClosedOneFreesItsPlace() throws Exception {
        start(TestServer.config().with(Settings.WS_MAX_PER_SESSION, 2));
        long key = chat.newSession();
        RawConnection first = open(chat, "127.0.0.2", key, null);
        open(chat, "127.0.0.2", key, null);
        RawConnection.Answer refused = handshake(chat, "127.0.0.2", key, null);
        assertEquals(429, refused.status(), refused.toString());
        assertEquals("TOO_MANY_CONNECTIONS", refused.error());
        assertTrue(refused.json().get("data").getAsString().contains("session"), refused.toString());

        open(chat, "127.0.0.2", chat.newSession(), null); // another session from the same address: its own count
        for (int i = 0; i < 4; i++) {
            open(chat, "127.0.0.1", key, null); // exempt: no bound
        }

        first.close();
        RawConnection.Answer again = Await.value("a place freed by the closed socket", WAIT,
                () -> handshake(chat, "127.0.0.2", key, null), answer -> answer.status() == 101);
        assertEquals(101, again.status());
    }

    @Test
    void socketsPerAddressAreBoundedAcrossSessions() throws Exception {
        start(TestServer.config().with(Settings.WS_MAX_PER_CLIENT, 2));
        open(chat, "127.0.0.2", chat.newSession(), null);
        open(chat, "127.0.0.2", chat.newSession(), null);
        RawConnection.Answer refused = handshake(chat, "127.0.0.2", chat.newSession(), null);
        assertEquals(429, refused.status(), refused.toString());
        assertEquals("TOO_MANY_CONNECTIONS", refused.error());
        assertTrue(refused.json().get("data").getAsString().contains("address"), refused.toString());
        open(chat, "127.0.0.3", chat.newSession(), null); // another address is not affected
    }

    @Test
    void forwardedForIsIgnoredWithoutTrustedProxies() throws Exception {
        start(TestServer.config().with(Settings.WS_MAX_PER_CLIENT, 1));
        open(chat, "127.0.0.2", chat.newSession(), "203.0.113.1");
        // A client cannot pick another identity (nor the exempt 127.0.0.1) by writing the header.
        assertEquals(429, handshake(chat, "127.0.0.2", chat.newSession(), "203.0.113.2").status());
        assertEquals(429, handshake(chat, "127.0.0.2", chat.newSession(), "127.0.0.1").status());
    }

    @Test
    void fromATrustedProxyTheClientIsTheNearestUntrustedForwardedAddress() throws Exception {
        start(TestServer.config().with(Settings.WS_MAX_PER_CLIENT, 1)
            .with(Settings.TRUSTED_PROXIES, "127.0.0.2/32,10.0.0.0/8"));
        open(chat, "127.0.0.2", chat.newSession(), "203.0.113.1");
        open(chat, "127.0.0.2", chat.newSession(), "203.0.113.2"); // another client behind the same proxy
        // The same client through a second proxy of ours (10.1.1.1): the walk skips trusted hops.
        assertEquals(429, handshake(chat, "127.0.0.2", chat.newSession(), "203.0.113.1, 10.1.1.1").status());
        // What the client wrote itself is left of its real address, which the proxy appended: not believed.
        assertEquals(429, handshake(chat, "127.0.0.2", chat.newSession(), "198.51.100.7, 203.0.113.2").status());
        // An exempt client behind the proxy is exempt.
        open(chat, "127.0.0.2", chat.newSession(), "127.0.0.1");
        open(chat, "127.0.0.2", chat.newSession(), "127.0.0.1");
        // From an untrusted peer the header is ignored: 127.0.0.3 is the client, with room for one socket.
        open(chat, "127.0.0.3", chat.newSession(), "203.0.113.1");
    }

    /** A handshake that must succeed; the connection is kept open (the socket counts) until the test ends. */
    private RawConnection open(TestServer chat, String from, long key, String forwardedFor) {
        RawConnection connection = new RawConnection(from, chat.server.port());
        held.add(connection);
        RawConnection.Answer answer = connection.send(request(key, forwardedFor)).answer();
        assertEquals(101, answer.status(), "handshake from " + from + " (X-Forwarded-For " + forwardedFor + "): " + answer);
        return connection;
    }

    /** A handshake's answer; a socket it opens stays open until the test ends. */
    private RawConnection.Answer handshake(TestServer chat, String from, long key, String forwardedFor) {
        RawConnection connection = new RawConnection(from, chat.server.port());
        held.add(connection);
        return connection.send(request(key, forwardedFor)).answer();
    }

    private static String request(long key, String forwardedFor) {
        return "GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "X-Session-Key: " + key + "\r\n"
                + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "\r\n";
    }
}
