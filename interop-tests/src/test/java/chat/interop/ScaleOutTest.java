package chat.interop;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas sharing one Redis, as real processes: what one replica is told, the other knows and pushes; ids
 * stay unique and contiguous when both take posts at once; and a replica or Redis dying under load costs clear
 * failures while it lasts, never an acknowledged message.
 */
@Timeout(180)
class ScaleOutTest {
    /** Big enough that every message posted during a test stays kept, so "nothing lost" can be checked by id. */
    private static final String WINDOW = "100000";
    /** Posts the load gets through in a phase before the next step: enough to show it flows, not one lucky post. */
    private static final int SOME_POSTS = 50;
    /** The longest a phase of load may take to do that; generous, so a busy machine only makes it slower. */
    private static final Duration PHASE_LIMIT = Duration.ofSeconds(30);

    private RedisProcess redis;
    private ServerProcess replicaA;
    private ServerProcess replicaB;
    private Wire wireA;
    private Wire wireB;

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.start();
        replicaA = ServerProcess.start("--bcrypt-cost", "4", "--window", WINDOW, "--store", redis.url(),
                "--trusted-proxies", "127.0.0.1/32"); // behind HAProxy on loopback, as ./run.sh cluster starts them
        replicaB = ServerProcess.start("--bcrypt-cost", "4", "--window", WINDOW, "--store", redis.url(),
                "--trusted-proxies", "127.0.0.1/32"); // behind HAProxy on loopback, as ./run.sh cluster starts them
        wireA = new Wire(replicaA.url(), Duration.ofSeconds(10));
        wireB = new Wire(replicaB.url(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        wireA.close();
        wireB.close();
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    @Test
    void aMessagePostedThroughOneReplicaIsReadAndPushedThroughTheOther() throws Exception {
        long key = wireA.newSession();
        String channel = wireA.newChannel(key);
        try (WireSocket socketOnB = WireSocket.open(wireB, key)) {
            assertSucceeded(socketOnB.call("subscribe", WireSocket.body("channel", channel, "after", 0)),
                    "subscribe on B");

            assertTrue(wireA.call("post", "sesskey", key, "channel", channel, "message", "hello from A")
                    .success().getAsBoolean());

            JsonObject event = socketOnB.next("the message posted through replica A");
            assertEquals(Map.of(1L, "hello from A"), Map.of(messageIdOf(event), textOf(event)), event.toString());
            assertEquals(Map.of(1L, "hello from A"), retrieve(wireB, key, channel, 1, 1));
            assertEquals(List.of(channel), names(wireB.call("list", "sesskey", key)));

            // A logoff through A ends the session everywhere: B closes its socket as the spec says.
            assertTrue(wireA.call("logoff", "sesskey", key).status());
            WireSocket.Ending ending = socketOnB.awaitEnding();
            assertEquals(1008, ending.code(), ending.toString());
            assertEquals("INVALID_SESSION", wireB.call("list", "sesskey", key).error());
        }
    }

    @Test
    void concurrentPostsThroughBothReplicasGetUniqueContiguousIds() throws Exception {
        long key = wireA.newSession();
        String channel = wireA.newChannel(key);
        int threads = 8;
        int postsEach = 50;
        Set<String> posted = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> posters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Wire wire = t % 2 == 0 ? wireA : wireB;
                String prefix = "t" + t + "-";
                posters.add(pool.submit(() -> {
                    for (int n = 0; n < postsEach; n++) {
                        wire.postMessage(key, channel, prefix + n);
                        posted.add(prefix + n);
                    }
                    return null;
                }));
            }
            for (Future<?> poster : posters) {
                poster.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int total = threads * postsEach;
        for (Wire wire : List.of(wireA, wireB)) {
            Map<Long, String> stored = retrieve(wire, key, channel, 1, Long.MAX_VALUE);
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), new ArrayList<>(new TreeSet<>(stored.keySet())),
                    "ids 1 to " + total + ", each once");
            assertEquals(posted, Set.copyOf(stored.values()), "every post stored once");
        }
    }

    @Test
    void killingAReplicaUnderLoadLosesNothingAcknowledgedAndTheBalancerRoutesAroundIt() throws Exception {
        long key = wireA.newSession();
        String channel = wireA.newChannel(key);
        try (HaproxyProcess balancer = HaproxyProcess.start(List.of(replicaA.url(), replicaB.url()));
             Wire viaBalancer = new Wire(balancer.url(), Duration.ofSeconds(10));
             LoadPoster load = new LoadPoster(balancer.url(), key, channel, 4)) {
            load.awaitAcknowledged(SOME_POSTS, PHASE_LIMIT, "posts went through before the kill");
            replicaA.kill();
            balancer.awaitUp(1);
            long routedAround = System.currentTimeMillis();
            load.awaitSuccessesSince(routedAround, SOME_POSTS, PHASE_LIMIT,
                    "posts went through after the balancer routed around");
            load.stop();

            Set<String> acknowledged = load.acknowledged();
            assertStoredWithoutGaps(viaBalancer, key, channel, acknowledged);
            System.out.printf("replica killed under load: %d acknowledged, all stored; %d not acknowledged (%s)%n",
                    acknowledged.size(), load.failures().size(), summary(load.failures()));
        }
    }

    @Test
    void redisRestartedUnderLoadGivesClear503sThenFullServiceAndLosesNothingAcknowledged() throws Exception {
        String username = wireA.newName("durable");
        long key = wireA.logon(username, "secret-1");
        String channel = wireA.newChannel(key);
        try (WireSocket socketOnB = WireSocket.open(wireB, key);
             LoadPoster load = new LoadPoster(replicaA.url(), key, channel, 2)) {
            assertSucceeded(socketOnB.call("subscribe", WireSocket.body("channel", channel, "after", 0)),
                    "subscribe on B");
            load.awaitAcknowledged(SOME_POSTS, PHASE_LIMIT, "posts went through before Redis died");
            long killedAt = System.currentTimeMillis();
            redis.kill();
            awaitStatus(wireA, "/ready", 503);
            load.awaitEveryPosterRefusedSince(killedAt, PHASE_LIMIT, "posts were refused while Redis was down");
            long backAt = System.currentTimeMillis();
            redis.restart();
            awaitStatus(wireA, "/ready", 200);
            load.awaitSuccessesSince(backAt, SOME_POSTS, PHASE_LIMIT, "posts went through again after Redis came back");
            load.stop();

            long slowest = assertClearRefusalsWithinTheTimeout(load.failures());

            // Nothing acknowledged was lost: not from the store, not from the push of the other replica, which
            // caught up from the store after its pub/sub connection came back.
            Set<String> acknowledged = load.acknowledged();
            long last = assertStoredWithoutGaps(wireB, key, channel, acknowledged);
            Map<Long, String> pushed = pushedUpTo(socketOnB, last);
            assertEquals(LongStream.rangeClosed(1, last).boxed().toList(), new ArrayList<>(pushed.keySet()),
                    "the socket on B got every id once, in order");
            assertTrue(pushed.values().containsAll(acknowledged), "every acknowledged post was pushed");
            // Users and channels survived too (the live session did: the posts after the restart used it).
            assertTrue(wireB.call("logon", "username", username, "password", "secret-1").status());
            assertEquals("WRONG_PASSWORD", wireB.call("logon", "username", username, "password", "other").error());
            assertTrue(names(wireB.call("list", "sesskey", key)).contains(channel));
            System.out.printf("Redis restarted under load: %d acknowledged, %d refused with 503 (slowest %d ms)%n",
                    acknowledged.size(), load.failures().size(), slowest);
        }
    }

    @Test
    void aRedisThatHangsGives503sWithinTheStoreTimeoutEvenUnderLoadAndServiceResumesWhenItAnswersAgain()
            throws Exception {
        long key = wireA.newSession();
        String channel = wireA.newChannel(key);
        try (LoadPoster load = new LoadPoster(replicaA.url(), key, channel, 48)) {
            load.awaitAcknowledged(SOME_POSTS, PHASE_LIMIT, "posts went through before Redis hung");
            long pausedAt = System.currentTimeMillis();
            redis.pause();
            try {
                awaitStatus(wireA, "/ready", 503);
                // Then every call that was in flight or queued when Redis stopped answering has had its answer.
                load.awaitEveryPosterRefusedSince(pausedAt, PHASE_LIMIT, "posts were refused while Redis hung");
                assertEquals(200, wireA.send("GET", "/health", null, null).httpStatus(), "alive, though not ready");
            } finally {
                redis.resume();
            }
            awaitStatus(wireA, "/ready", 200);
            long resumed = System.currentTimeMillis();
            load.awaitSuccessesSince(resumed, SOME_POSTS, PHASE_LIMIT, "posts went through again once Redis answered");
            load.stop();

            // 48 clients, 8 connections to Redis: without failing fast, the calls queued behind the ones waiting
            // out the timeout would wait several timeouts.
            long slowest = assertClearRefusalsWithinTheTimeout(load.failures());
            assertStoredWithoutGaps(wireB, key, channel, load.acknowledged());
            System.out.printf("Redis hung under load: %d acknowledged, %d refused with 503 (slowest %d ms)%n",
                    load.acknowledged().size(), load.failures().size(), slowest);
        }
    }

    /**
     * Every acknowledged post is stored, and ids run 1, 2, 3... without a gap. (A post that failed may be stored
     * too: Redis may have run it before the answer was lost. It then has its id like any other.) Returns the last id.
     */
    private static long assertStoredWithoutGaps(Wire wire, long key, String channel, Set<String> acknowledged) {
        Map<Long, String> stored = retrieve(wire, key, channel, 1, Long.MAX_VALUE);
        Answer lastMessage = wire.call("lastmessage", "sesskey", key, "channel", channel);
        assertTrue(lastMessage.isEnvelope() && lastMessage.status() && Expect.isInteger(lastMessage.data()),
                "lastmessage should answer an integer, got " + lastMessage.body());
        long last = lastMessage.data().getAsLong();
        assertEquals(LongStream.rangeClosed(1, last).boxed().toList(), new ArrayList<>(new TreeSet<>(stored.keySet())),
                "ids 1 to " + last + ", each once");
        Set<String> missing = new TreeSet<>(acknowledged);
        missing.removeAll(stored.values());
        assertEquals(Set.of(), missing, "acknowledged but not stored");
        return last;
    }

    /** Some calls failed, each with 503 STORE_UNAVAILABLE and within the store timeout (and some slack); the slowest. */
    private static long assertClearRefusalsWithinTheTimeout(List<LoadPoster.Failure> failures) {
        assertTrue(!failures.isEmpty(), "calls failed while Redis was out");
        for (LoadPoster.Failure failure : failures) {
            assertEquals(503, failure.httpStatus(), failure.toString());
            assertEquals("STORE_UNAVAILABLE", failure.error(), failure.toString());
        }
        long slowest = failures.stream().mapToLong(LoadPoster.Failure::millis).max().orElseThrow();
        // The store timeout (1 s) and room for scheduling: the slowest measured was 1.13 s, on 2 cores that two
        // busy loops and other tests shared. A call queued behind one that waited out the timeout would take 2 s
        // or more, so the bound stays well below that.
        assertTrue(slowest <= 1_500, "a failure took " + slowest + " ms; the store timeout is 1 s");
        return slowest;
    }

    private static void awaitStatus(Wire wire, String path, int status) throws InterruptedException {
        // /ready follows the store within its timeout (1 s); the rest is room for a busy machine.
        Poll.until(path + " answering " + status, Duration.ofSeconds(15),
                () -> wire.send("GET", path, null, null).httpStatus(), seen -> seen == status);
    }

    /**
     * Message events from the socket, in arrival order, until id {@code last} has come. The socket's answers
     * were read by the calls that asked for them, so every frame here must be a message event.
     */
    private static Map<Long, String> pushedUpTo(WireSocket socket, long last) throws InterruptedException {
        Map<Long, String> pushed = new LinkedHashMap<>();
        while (!pushed.containsKey(last)) {
            // Each frame within the socket's wait (10 s): the replica catches up from the store as soon as its
            // pub/sub connection is back, then pushes without pause.
            JsonObject frame = socket.next("message " + last + " (pushed so far: up to "
                    + pushed.keySet().stream().max(Long::compare).orElse(0L) + ")");
            String previous = pushed.put(messageIdOf(frame), textOf(frame));
            assertEquals(null, previous, "pushed twice: " + frame);
        }
        return pushed;
    }

    /** The id of a message event; fails quoting the frame when it is anything else (a gap, an answer). */
    private static long messageIdOf(JsonObject frame) {
        JsonElement id = messageDataOf(frame).get("messageid");
        assertTrue(Expect.isInteger(id), "a message event's messageid should be an integer: " + frame);
        return id.getAsLong();
    }

    private static String textOf(JsonObject frame) {
        JsonElement text = messageDataOf(frame).get("message");
        assertTrue(Expect.isString(text), "a message event's message should be a string: " + frame);
        return text.getAsString();
    }

    private static JsonObject messageDataOf(JsonObject frame) {
        JsonElement event = frame.get("event");
        assertTrue(event != null && event.isJsonPrimitive() && event.getAsString().equals("message")
                && frame.get("data") != null && frame.get("data").isJsonObject(),
                "expected a message event {\"event\": \"message\", \"data\": {...}}, got " + frame);
        return frame.getAsJsonObject("data");
    }

    private static void assertSucceeded(JsonObject answer, String what) {
        JsonElement status = answer.get("status");
        assertTrue(status != null && status.isJsonPrimitive() && status.getAsJsonPrimitive().isBoolean()
                && status.getAsBoolean(), what + " should succeed: " + answer);
    }

    private static Map<Long, String> retrieve(Wire wire, long key, String channel, long first, long last) {
        Answer answer = wire.call("retrieve", "sesskey", key, "channel", channel, "first", first, "last", last);
        Map<Long, String> messages = new HashMap<>();
        for (JsonElement element : arrayOf(answer, "retrieve")) {
            JsonObject message = element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
            assertTrue(Expect.isInteger(message.get("messageid")) && Expect.isString(message.get("message")),
                    "retrieve answered a message without an integer messageid and a string message: " + element);
            messages.put(message.get("messageid").getAsLong(), message.get("message").getAsString());
        }
        return messages;
    }

    private static List<String> names(Answer list) {
        List<String> names = new ArrayList<>();
        for (JsonElement name : arrayOf(list, "list")) {
            assertTrue(Expect.isString(name), "list answered a name that is not a string: " + name);
            names.add(name.getAsString());
        }
        return names;
    }

    private static JsonArray arrayOf(Answer answer, String call) {
        assertTrue(answer.isEnvelope() && answer.status() && answer.data().isJsonArray(),
                call + " should answer an array, got HTTP " + answer.httpStatus() + " " + answer.body());
        return answer.data().getAsJsonArray();
    }

    private static String summary(List<LoadPoster.Failure> failures) {
        Map<String, Integer> byKind = new HashMap<>();
        failures.forEach(f -> byKind.merge(f.httpStatus() + (f.error() == null ? "" : " " + f.error()), 1, Integer::sum));
        return byKind.toString();
    }
}
