package chat.server;

import chat.api.BoundedPool;
import chat.config.Settings;
import chat.testing.Await;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import chat.testing.TestServer.Reply;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logon line is bounded (spec http/11): past --logon-queue a logon is refused at once, past --logon-wait when
 * its turn comes, both with SERVER_BUSY, Retry-After and the envelope, while other calls are answered; a logon
 * whose client has gone is not hashed; and a burst of 160 concurrent logons succeeds at the defaults.
 */
@Timeout(120)
class LogonQueueTest {
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Test
    void aFullLineAnswersServerBusyAtOnceWhileOtherCallsAreServed() throws Exception {
        // One thread hashing at cost 14 (about a second a hash): the line of 64 stays full for the whole test.
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.LOGON_QUEUE, 64)
                .with(Settings.BCRYPT_COST, 14).with(Settings.HASH_THREADS, 1)
                .with(Settings.SHUTDOWN_TIMEOUT, Duration.ofSeconds(1)).build())) {
            List<RawHttp> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 1 + 64 + 10; i++) { // one hashing, 64 waiting, 10 over the bound
                    RawHttp client = new RawHttp(chat.server.url());
                    clients.add(client);
                    client.sendLogon(TestServer.unique("queued"), "pw");
                }
                BoundedPool.Counts full = Await.value("the line to be full and logons refused", WITHIN,
                        chat.server::logonCounts, counts -> counts.waiting() == 64 && counts.refusedFull() >= 5);
                // Meanwhile, everything else is answered.
                assertEquals("ok", chat.send(new okhttp3.Request.Builder().url(chat.url("/health")).build())
                        .success().getAsString());
                assertEquals("INVALID_SESSION", chat.post("list", Map.of("sesskey", 1)).error());

                RawHttp refused = Await.value("a refused logon's answer", WITHIN, () -> firstWithInput(clients),
                        client -> client != null);
                RawHttp.Response answer = refused.read();
                assertEquals(503, answer.status(), answer.toString());
                JsonObject envelope = JsonParser.parseString(answer.body()).getAsJsonObject();
                assertFalse(envelope.get("status").getAsBoolean(), answer.toString());
                assertEquals("SERVER_BUSY", envelope.get("error").getAsString(), answer.toString());
                assertTrue(envelope.get("data").getAsString().contains("64 logons are waiting"), answer.toString());
                assertNotNull(answer.header("Retry-After"), answer.toString());
                assertTrue(Long.parseLong(answer.header("Retry-After")) >= 1, answer.toString());
                assertTrue(full.done() <= 1, "at most the first logon was hashed meanwhile: " + full);
            } finally {
                for (RawHttp client : clients) {
                    client.close(); // the waiting logons are then skipped, not hashed
                }
            }
        }
    }

    @Test
    void aLogonThatWaitedLongerThanTheLimitIsRefusedWithoutHashing() throws Exception {
        // One thread at cost 13 (about half a second a hash): whoever waits behind the first waits past 100 ms.
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.LOGON_WAIT, Duration.ofMillis(100))
                .with(Settings.BCRYPT_COST, 13).with(Settings.HASH_THREADS, 1).build())) {
            List<RawHttp> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawHttp client = new RawHttp(chat.server.url());
                    clients.add(client);
                    client.sendLogon(TestServer.unique("waiting"), "pw");
                }
                List<RawHttp.Response> answers = new ArrayList<>();
                for (RawHttp client : clients) {
                    answers.add(client.read());
                }
                long busy = answers.stream().filter(answer -> answer.status() == 503).count();
                assertEquals(2, busy, "the two behind the first waited too long: " + answers);
                for (RawHttp.Response answer : answers) {
                    if (answer.status() == 503) {
                        assertTrue(answer.body().contains("\"error\":\"SERVER_BUSY\""), answer.toString());
                        assertTrue(answer.body().contains("waited"), answer.toString());
                        assertNotNull(answer.header("Retry-After"), answer.toString());
                    } else {
                        assertEquals(200, answer.status(), answer.toString());
                        assertTrue(answer.body().startsWith("{\"status\":true"), answer.toString());
                    }
                }
                BoundedPool.Counts counts = Await.value("the first logon to be counted", WITHIN,
                        chat.server::logonCounts, seen -> seen.done() == 1);
                assertEquals(2, counts.refusedWaited(), counts.toString());
            } finally {
                for (RawHttp client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void logonsWhoseClientsHungUpAreNotHashedAndARealLogonIsServedPromptly() throws Exception {
        // The probe at its own settings: bcrypt cost 10, the default line and threads.
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.BCRYPT_COST, 10).build())) {
            int burst = 300;
            List<RawHttp> clients = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                RawHttp client = new RawHttp(chat.server.url());
                clients.add(client);
                client.sendLogon(TestServer.unique("gone"), "pw");
            }
            for (RawHttp client : clients) {
                client.close();
            }
            long start = System.nanoTime();
            chat.logon(TestServer.unique("real"), "pw");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            BoundedPool.Counts counts = Await.value("every abandoned logon to be hashed or skipped", WITHIN,
                    chat.server::logonCounts, seen -> seen.done() + seen.skipped() + seen.refusedFull() == burst + 1);
            assertTrue(counts.skipped() >= burst - 20,
                    "the abandoned logons should be skipped, not hashed: " + counts + " (the real one took " + took + ")");
            // Their exchanges end too: nothing is left in flight to hold up a shutdown.
            Await.until("the abandoned exchanges to end", WITHIN, () -> chat.server.requestsInFlight() == 0);
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "the real logon took " + took);
        }
    }

    @Test
    void aBurstOf160ConcurrentLogonsAllSucceedAtTheDefaultBounds() throws Exception {
        try (TestServer chat = TestServer.start()) {
            int burst = 160;
            ExecutorService clients = Executors.newFixedThreadPool(burst);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Reply>> replies = new ArrayList<>();
                for (int i = 0; i < burst; i++) {
                    String user = TestServer.unique("burst");
                    replies.add(clients.submit(() -> {
                        go.await();
                        return chat.post("logon", Map.of("username", user, "password", "pw"));
                    }));
                }
                go.countDown();
                for (Future<Reply> reply : replies) {
                    Reply answer = reply.get();
                    assertTrue(answer.ok(), answer.toString());
                }
            } finally {
                clients.shutdownNow();
            }
            BoundedPool.Counts counts = chat.server.logonCounts();
            assertEquals(0, counts.refusedFull() + counts.refusedWaited(), counts.toString());
        }
    }

    @Test
    void logonsOverAWebSocketThatClosedAreNotHashed() throws Exception {
        // One thread at cost 12: while it hashes the HTTP logon, the socket's logons wait, and the socket closes.
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.BCRYPT_COST, 12)
                .with(Settings.HASH_THREADS, 1).build())) {
            long key = chat.newSession();
            try (RawHttp busy = new RawHttp(chat.server.url())) {
                busy.sendLogon(TestServer.unique("busy"), "pw");
                Await.until("the HTTP logon to be taken by the hash thread", WITHIN,
                        () -> chat.server.logonCounts().waiting() == 0 && chat.server.logonCounts().done() == 1);
                TestSocket socket = new TestSocket(chat.http(), chat.server.url().replace("http", "ws") + "/ws",
                        Long.toString(key));
                assertTrue(socket.awaitOpen());
                int frames = 5;
                for (int i = 0; i < frames; i++) {
                    socket.send("logon", TestSocket.body("username", TestServer.unique("ws"), "password", "pw"));
                }
                Await.until("the socket's logons to wait", WITHIN, () -> chat.server.logonCounts().waiting() == frames);
                socket.close();
                Await.until("the socket to close", WITHIN, () -> chat.server.openSockets() == 0);
                assertEquals(200, busy.read().status());
                BoundedPool.Counts counts = Await.value("the socket's logons to be skipped", WITHIN,
                        chat.server::logonCounts, seen -> seen.skipped() + seen.done() == 2 + frames);
                assertEquals(frames, counts.skipped(), counts.toString());
            }
        }
    }

    private static RawHttp firstWithInput(List<RawHttp> clients) {
        for (RawHttp client : clients) {
            try {
                if (client.hasInput()) {
                    return client;
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return null;
    }
}
