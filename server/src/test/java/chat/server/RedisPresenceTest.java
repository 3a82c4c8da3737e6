package chat.server;

import chat.config.Settings;
import chat.testing.Await;
import chat.testing.LocalRedis;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static chat.testing.TestSocket.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence across replicas on one Redis (spec 9.1): who is the same through every replica, joins and leaves made on
 * one reach sockets on another, a user present through two replicas stays present when one socket closes, and the
 * users of a replica killed with SIGKILL (nothing cleaned up) leave within the expiry, announced by a survivor.
 */
@Timeout(120)
class RedisPresenceTest {
    private static final String GRACE = "300ms";
    private static final String EXPIRY = "1500ms";
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final OkHttpClient http = new OkHttpClient();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private TestServer replica(LocalRedis redis) {
        TestServer replica = TestServer.start(TestServer.config().with(Settings.STORE, redis.url())
                .with(Settings.PRESENCE_GRACE, Duration.parse("PT0.3S"))
                .with(Settings.PRESENCE_EXPIRY, Duration.parse("PT1.5S")).build());
        opened.add(replica);
        return replica;
    }

    private TestSocket connect(String serverUrl, long key) throws Exception {
        TestSocket socket = new TestSocket(http, serverUrl.replace("http", "ws") + "/ws", Long.toString(key));
        opened.add(socket);
        assertTrue(socket.awaitOpen());
        return socket;
    }

    private static void expectPresence(TestSocket socket, String event, String channel, String user)
            throws InterruptedException {
        JsonObject expected = new JsonObject();
        expected.addProperty("event", event);
        expected.addProperty("channel", channel);
        expected.addProperty("username", user);
        assertEquals(expected, socket.next(), "expected " + user + " to " + event);
    }

    private static JsonObject who(TestServer replica, long key, String channel) {
        return replica.post("who", Map.of("sesskey", key, "channel", channel)).success().getAsJsonObject();
    }

    private static JsonObject page(long count, String... users) {
        JsonObject answer = new JsonObject();
        answer.addProperty("count", count);
        JsonArray names = new JsonArray();
        for (String user : users) {
            names.add(user);
        }
        answer.add("users", names);
        return answer;
    }

    @Test
    void presenceIsSharedByTheReplicasAndAKilledReplicasUsersLeaveWithinTheExpiry() throws Exception {
        LocalRedis redis = LocalRedis.start();
        opened.add(redis);
        TestServer a = replica(redis);
        TestServer b = replica(redis);
        long owner = a.newSession();
        String channel = a.newChannel(owner);
        String alice = TestServer.unique("alice");
        String bob = TestServer.unique("bob");

        TestSocket aliceOnA = connect(a.server.url(), a.logon(alice, "pw"));
        aliceOnA.subscribe(channel, 0);
        long bobKey = a.logon(bob, "pw");
        TestSocket bobOnB = connect(b.server.url(), bobKey);
        bobOnB.subscribe(channel, 0);
        expectPresence(aliceOnA, "join", channel, bob); // made on B, heard on A
        assertEquals(page(2, alice, bob), who(a, owner, channel));
        assertEquals(page(2, alice, bob), who(b, owner, channel));

        // Bob present through both replicas: his socket on B closing leaves him present through A.
        TestSocket bobOnA = connect(a.server.url(), bobKey);
        bobOnA.subscribe(channel, 0);
        bobOnB.close();
        String carol = TestServer.unique("carol");
        TestSocket carolOnB = connect(b.server.url(), a.logon(carol, "pw"));
        carolOnB.subscribe(channel, 0);
        expectPresence(aliceOnA, "join", channel, carol);
        carolOnB.close(); // her grace ends after bob's socket's would have: her leave comes after any of his
        expectPresence(aliceOnA, "leave", channel, carol);
        a.postMessage(owner, channel, "no leave of bob's came before this");
        assertEquals("no leave of bob's came before this", aliceOnA.nextMessage(channel, 1));
        assertEquals(page(2, alice, bob), who(b, owner, channel));
        bobOnA.close();
        expectPresence(aliceOnA, "leave", channel, bob);

        // A replica killed outright: it refreshes nothing and cleans nothing up.
        Process killed = startProcess(redis);
        try {
            String dave = TestServer.unique("dave");
            TestSocket daveOnKilled = connect(listening(killed), a.logon(dave, "pw"));
            daveOnKilled.subscribe(channel, 0);
            expectPresence(aliceOnA, "join", channel, dave);
            assertEquals(page(2, alice, dave), who(b, owner, channel));
            long killedAt = System.nanoTime();
            killed.destroyForcibly(); // SIGKILL
            assertTrue(killed.waitFor(20, TimeUnit.SECONDS));
            expectPresence(aliceOnA, "leave", channel, dave);
            long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.println("a killed replica's user left after " + tookMillis + " ms (expiry " + EXPIRY + ")");
            assertEquals(page(1, alice), who(a, owner, channel));
            a.postMessage(owner, channel, "one leave, from one replica");
            assertEquals("one leave, from one replica", aliceOnA.nextMessage(channel, 2));
        } finally {
            killed.destroyForcibly();
        }
    }

    /** This module's server as a process of its own, on the test's class path, so that it can be killed. */
    private static Process startProcess(LocalRedis redis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "chat.server.Main",
                "--port", "0", "--store", redis.url(), "--bcrypt-cost", "4", "--presence-grace", GRACE,
                "--presence-expiry", EXPIRY, "--web", "false").redirectErrorStream(true).start();
    }

    /** The URL the process says it listens on; its output is read (and echoed) until it ends. */
    private static String listening(Process process) throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[killed replica] " + line);
                    Matcher found = LISTENING.matcher(line);
                    if (found.find()) {
                        url.complete(found.group(1));
                    }
                }
                url.completeExceptionally(new IllegalStateException("the replica exited before it listened"));
            } catch (Exception e) {
                url.completeExceptionally(e);
            }
        }, "killed-replica-output");
        reader.setDaemon(true);
        reader.start();
        return url.get(60, TimeUnit.SECONDS);
    }
}
