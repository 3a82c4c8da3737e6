package chat.server;

import chat.config.Settings;
import chat.testing.RawConnection;
import chat.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slow-body probe: a body must arrive within --body-timeout, however it trickles. */
@Timeout(60)
class BodyTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @Test
    void aTricklingBodyIsAnswered408AtTheTimeoutWhileOthersAreServed() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.BODY_TIMEOUT, TIMEOUT).build());
             RawConnection slow = new RawConnection("127.0.0.2", chat.server.port())) {
            long start = System.nanoTime();
            slow.send("POST /list HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                    + "{\"sesskey\": ");
            // The probe's client: a byte every 20 ms, so some byte arrives well within any per-read timeout. Only a
            // deadline for the whole body ends it.
            AtomicBoolean answered = new AtomicBoolean();
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                while (!answered.get()) {
                    try {
                        slow.send(" ");
                        Thread.sleep(20);
                    } catch (RuntimeException | InterruptedException closed) {
                        return; // the server closed the connection: the probe is over
                    }
                }
            });
            try (RawConnection other = new RawConnection("127.0.0.3", chat.server.port())) {
                assertEquals(200, other.get("/health").status(), "another client is served meanwhile");
            }
            RawConnection.Answer answer = slow.answer();
            long waited = (System.nanoTime() - start) / 1_000_000;
            answered.set(true);
            assertEquals(408, answer.status(), answer.toString());
            assertEquals("BODY_TIMEOUT", answer.error(), answer.toString());
            assertTrue(answer.head().contains("Connection: close"), answer.head());
            assertTrue(waited >= TIMEOUT.toMillis() - 50 && waited < 5_000, "answered at about the timeout: " + waited + " ms");
            assertTrue(slow.closedByServer(), "the connection is closed");
            trickle.join();
        }
    }

    @Test
    void aBodyThatNeverStartsIsAnswered408() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.BODY_TIMEOUT, TIMEOUT).build());
             RawConnection slow = new RawConnection("127.0.0.2", chat.server.port())) {
            slow.send("POST /list HTTP/1.1\r\nHost: test\r\nContent-Length: 20\r\n\r\n");
            RawConnection.Answer answer = slow.answer();
            assertEquals(408, answer.status(), answer.toString());
            assertEquals("BODY_TIMEOUT", answer.error());
            assertTrue(slow.closedByServer());
        }
    }

    @Test
    void aBodyInPiecesWithinTheTimeoutIsAnswered() throws Exception {
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.BODY_TIMEOUT, Duration.ofSeconds(30)).build());
             RawConnection client = new RawConnection("127.0.0.2", chat.server.port())) {
            String body = "{\"sesskey\": 1}";
            client.send("POST /list HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 5));
            client.send(body.substring(5));
            RawConnection.Answer answer = client.answer();
            assertEquals(200, answer.status(), answer.toString());
            assertEquals("INVALID_SESSION", answer.error(), "the call ran on the whole body");
            assertEquals(200, client.get("/health").status(), "and the connection goes on");
        }
    }
}
