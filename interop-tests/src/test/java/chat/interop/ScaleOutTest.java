package chat.interop;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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

    private RedisProcess redis;
    private ServerProcess replicaA;
    private ServerProcess replicaB;
    private Wire wireA;
    private Wire wireB;

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.start();
        replicaA = ServerProcess.start("--bcrypt-cost", "4", "--window", WINDOW, "--store", redis.url());
        replicaB = ServerProcess.start("--bcrypt-cost", "4", "--window", WINDOW, "--store", redis.url());
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
            assertTrue(socketOnB.call("subscribe", WireSocket.body("channel", channel, "after", 0))
                    .get("status").getAsBoolean());

            assertTrue(wireA.call("post", "sesskey", key, "channel", channel, "message", "hello from A")
                    .success().getAsBoolean());

            JsonObject event = socketOnB.next("the message posted through replica A");
            assertEquals("message", event.get("event").getAsString(), event.toString());
            assertEquals(1, event.getAsJsonObject("data").get("messageid").getAsLong());
            assertEquals("hello from A", event.getAsJsonObject("data").get("message").getAsString());
            assertEquals(Map.of(1L, "hello from A"), retrieve(wireB, key, channel, 1, 1));
            assertEquals(List.of(channel), names(wireB.call("list", "sesskey", key).success()));

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
            Thread.sleep(1_500);
            long beforeKill = load.acknowledged().size();
            replicaA.kill();
            balancer.awaitUp(1);
            long routedAround = System.currentTimeMillis();
            Thread.sleep(1_500);
            load.stop();

            Set<String> acknowledged = load.acknowledged();
            assertTrue(beforeKill > 0, "posts went through before the kill");
            assertTrue(load.successesSince(routedAround) > 0, "posts went through after the balancer routed around");
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
            socketOnB.call("subscribe", WireSocket.body("channel", channel, "after", 0));
            Thread.sleep(1_000);
            redis.kill();
            awaitStatus(wireA, "/ready", 503);
            Thread.sleep(1_500);
            long backAt = System.currentTimeMillis();
            redis.restart();
            awaitStatus(wireA, "/ready", 200);
            Thread.sleep(1_500);
            load.stop();

            long slowest = assertClearRefusalsWithinTheTimeout(load.failures());
            assertTrue(load.successesSince(backAt) > 0, "posts went through again after Redis came back");

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
            assertTrue(names(wireB.call("list", "sesskey", key).success()).contains(channel));
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
            Thread.sleep(500);
            redis.pause();
            try {
                Thread.sleep(2_500);
                assertEquals(503, wireA.send("GET", "/ready", null, null).httpStatus());
                assertEquals(200, wireA.send("GET", "/health", null, null).httpStatus(), "alive, though not ready");
            } finally {
                redis.resume();
            }
            awaitStatus(wireA, "/ready", 200);
            long resumed = System.currentTimeMillis();
            Thread.sleep(500);
            load.stop();

            // 48 clients, 8 connections to Redis: without failing fast, the calls queued behind the ones waiting
            // out the timeout would wait several timeouts.
            long slowest = assertClearRefusalsWithinTheTimeout(load.failures());
            assertTrue(load.successesSince(resumed) > 0, "posts went through again once Redis answered");
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
        long last = wire.call("lastmessage", "sesskey", key, "channel", channel).success().getAsLong();
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
        assertTrue(slowest <= 1_500, "a failure took " + slowest + " ms; the store timeout is 1 s");
        return slowest;
    }

    private static void awaitStatus(Wire wire, String path, int status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        int seen = 0;
        while (System.currentTimeMillis() < deadline) {
            seen = wire.send("GET", path, null, null).httpStatus();
            if (seen == status) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " answered " + seen + ", expected " + status);
    }

    /** Message events from the socket, in arrival order, until id {@code last} has come. */
    private static Map<Long, String> pushedUpTo(WireSocket socket, long last) throws InterruptedException {
        Map<Long, String> pushed = new java.util.LinkedHashMap<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!pushed.containsKey(last) && System.currentTimeMillis() < deadline) {
            JsonObject frame = socket.poll(500);
            if (frame != null && frame.has("event")) {
                assertEquals("message", frame.get("event").getAsString(), "no gap expected: " + frame);
                JsonObject data = frame.getAsJsonObject("data");
                String previous = pushed.put(data.get("messageid").getAsLong(), data.get("message").getAsString());
                assertEquals(null, previous, "pushed twice: " + frame);
            }
        }
        return pushed;
    }

    private static Map<Long, String> retrieve(Wire wire, long key, String channel, long first, long last) {
        Map<Long, String> messages = new HashMap<>();
        for (JsonElement element : wire.call("retrieve", "sesskey", key, "channel", channel, "first", first,
                "last", last).success().getAsJsonArray()) {
            JsonObject message = element.getAsJsonObject();
            messages.put(message.get("messageid").getAsLong(), message.get("message").getAsString());
        }
        return messages;
    }

    private static List<String> names(JsonElement list) {
        List<String> names = new ArrayList<>();
        list.getAsJsonArray().forEach(name -> names.add(name.getAsString()));
        return names;
    }

    private static String summary(List<LoadPoster.Failure> failures) {
        Map<String, Integer> byKind = new HashMap<>();
        failures.forEach(f -> byKind.merge(f.httpStatus() + (f.error() == null ? "" : " " + f.error()), 1, Integer::sum));
        return byKind.toString();
    }
}
