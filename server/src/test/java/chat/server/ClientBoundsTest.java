package chat.server;

import chat.config.Settings;
import chat.testing.Await;
import chat.testing.RawConnection;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections per client, through the real server over real TCP. A second client is another loopback source
 * address (127.0.0.2, 127.0.0.3); 127.0.0.1 is exempt by default.
 */
@Timeout(60)
class ClientBoundsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The 10,050 idle connections probe, scaled down: 20 per client allowed, 25 opened from one address. */
    @Test
    void idleConnectionsOverTheBoundAreRefusedWith429WhileOthersAreServed() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.MAX_CLIENT_CONNECTIONS, 20).build())) {
            int port = chat.server.port();
            List<RawConnection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    held.add(new RawConnection("127.0.0.2", port)); // idle: never sends a byte
                }
                Await.until("20 connections accepted", WAIT, () -> chat.server.openConnections() == 20);
                for (int i = 0; i < 5; i++) {
                    try (RawConnection over = new RawConnection("127.0.0.2", port)) {
                        RawConnection.Answer refusal = over.answer(); // written at accept, before any request
                        assertEquals(429, refusal.status(), refusal.toString());
                        assertEquals("TOO_MANY_CONNECTIONS", refusal.error(), refusal.toString());
                        assertTrue(refusal.head().contains("Connection: close"), refusal.head());
                        assertTrue(over.closedByServer(), "the connection over the bound is closed");
                    }
                }
                try (RawConnection other = new RawConnection("127.0.0.3", port)) {
                    assertEquals(200, other.get("/health").status(), "another address is served");
                }
                assertEquals(200, chat.post("lastmessage", "{}").httpStatus(), "127.0.0.1 is served");
                assertEquals(200, held.get(0).get("/health").status(), "the connections within the bound are served");

                held.remove(0).close(); // closing one frees its place
                RawConnection.Answer again = Await.value("a new connection from 127.0.0.2 to be served", WAIT, () -> {
                    try (RawConnection next = new RawConnection("127.0.0.2", port)) {
                        return next.get("/health");
                    }
                }, answer -> answer.status() == 200);
                assertEquals(200, again.status());
            } finally {
                held.forEach(RawConnection::close);
            }
        }
    }

    @Test
    void exemptAddressesAreNotBounded() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.MAX_CLIENT_CONNECTIONS, 3)
                .with(Settings.CLIENT_LIMIT_EXEMPT, "127.0.0.1,::1,127.0.0.4/32").build())) {
            List<RawConnection> held = new ArrayList<>();
            try {
                for (String address : List.of("127.0.0.1", "127.0.0.4")) {
                    for (int i = 0; i < 8; i++) {
                        held.add(new RawConnection(address, chat.server.port()));
                    }
                }
                for (RawConnection connection : held) {
                    assertEquals(200, connection.get("/health").status(), "an exempt address has no connection bound");
                }
            } finally {
                held.forEach(RawConnection::close);
            }
        }
    }

    /**
     * Near --max-connections (above 90 % of 10: more than 9 open), the connections idle between requests are closed,
     * the longest idle first; a request in flight and a WebSocket are not.
     */
    @Test
    void nearTheConnectionLimitTheLongestIdleConnectionIsClosedFirst() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.MAX_CONNECTIONS, 10).build())) {
            int port = chat.server.port();
            long key = chat.newSession();
            List<RawConnection> held = new ArrayList<>();
            try (TestSocket socket = new TestSocket(chat.http(), chat.server.url().replace("http", "ws") + "/ws",
                    Long.toString(key))) {
                assertTrue(socket.awaitOpen());
                chat.http().connectionPool().evictAll(); // the logon's keep-alive connection would be the oldest idle
                Await.until("only the WebSocket open", WAIT, () -> chat.server.openConnections() == 1);

                String logon = "{\"username\":\"inflight\",\"password\":\"pw\"}";
                RawConnection busy = new RawConnection("127.0.0.1", port);
                held.add(busy);
                busy.send("POST /logon HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: "
                        + logon.length() + "\r\n\r\n" + logon.substring(0, 10));
                Await.until("the logon in flight", WAIT, () -> chat.server.requestsInFlight() == 1);

                List<RawConnection> idle = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    RawConnection connection = new RawConnection("127.0.0.1", port);
                    assertEquals(200, connection.get("/health").status());
                    idle.add(connection);
                    held.add(connection);
                    int idleSoFar = i + 1;
                    Await.until(idleSoFar + " idle", WAIT, () -> chat.server.idleConnections() == idleSoFar);
                }
                held.add(new RawConnection("127.0.0.1", port)); // 9 open: at 90 %, nothing is closed
                Await.until("9 open", WAIT, () -> chat.server.openConnections() == 9);
                held.add(new RawConnection("127.0.0.3", port)); // the 10th: above 90 %

                assertTrue(idle.get(0).closedByServer(), "the longest idle connection is closed");
                Await.until("9 open again", WAIT, () -> chat.server.openConnections() == 9);
                for (RawConnection younger : idle.subList(1, idle.size())) {
                    assertEquals(200, younger.get("/health").status(), "younger idle connections stay open");
                }
                busy.send(logon.substring(10));
                assertEquals(200, busy.answer().status(), "the request in flight was not cut off");
                assertTrue(socket.succeed("list", TestSocket.body()).isJsonArray(), "the WebSocket stays open");
            } finally {
                held.forEach(RawConnection::close);
            }
        }
    }
}
