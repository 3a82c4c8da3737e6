package chat.server;

import chat.config.Config;
import chat.config.Settings;
import chat.testing.LocalRedis;
import chat.testing.TestServer;
import com.google.gson.JsonElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * --max-channels is exact under concurrent creates, in memory and on Redis: of many creates racing for the last
 * places, exactly as many succeed as there are places, and the rest are refused LIMIT_REACHED. Real servers, real
 * HTTP; the creates start together from a latch.
 */
@Timeout(120)
class ChannelLimitTest {
    private static final long MAX_CHANNELS = 6;
    private static final int CREATES = 48;

    @Test
    void concurrentCreatesInMemoryStopExactlyAtTheLimit() throws Exception {
        try (TestServer server = TestServer.start(limited(TestServer.config()))) {
            assertCreatesStopAtTheLimit(server, server);
        }
    }

    @Test
    void concurrentCreatesOnTwoRedisReplicasStopExactlyAtTheLimit() throws Exception {
        try (LocalRedis redis = LocalRedis.start();
             TestServer a = TestServer.start(limited(TestServer.config().with(Settings.STORE, redis.url())));
             TestServer b = TestServer.start(limited(TestServer.config().with(Settings.STORE, redis.url())))) {
            assertCreatesStopAtTheLimit(a, b);
        }
    }

    private static Config limited(Config.Builder config) {
        return config.with(Settings.MAX_CHANNELS, MAX_CHANNELS).with(Settings.CLIENT_LIMIT_EXEMPT, "127.0.0.0/8").build();
    }

    private static void assertCreatesStopAtTheLimit(TestServer a, TestServer b) throws Exception {
        long key = a.newSession();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 3; round++) {
                // A fresh server each round would be slow; instead each round races for what is left: none after
                // the first, so later rounds check that a full server refuses every create.
                CountDownLatch start = new CountDownLatch(1);
                List<Future<TestServer.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < CREATES; i++) {
                    TestServer replica = i % 2 == 0 ? a : b;
                    String name = TestServer.unique("race");
                    replies.add(threads.submit(() -> {
                        start.await();
                        return replica.post("create", Map.of("sesskey", key, "channel", name));
                    }));
                }
                start.countDown();
                int created = 0;
                for (Future<TestServer.Reply> reply : replies) {
                    TestServer.Reply answer = reply.get();
                    if (answer.ok()) {
                        created++;
                    } else {
                        assertEquals("LIMIT_REACHED", answer.error(), answer.toString());
                    }
                }
                assertEquals(round == 0 ? MAX_CHANNELS : 0, created, "round " + round);
                JsonElement names = a.post("list", Map.of("sesskey", key)).success();
                assertEquals(MAX_CHANNELS, names.getAsJsonArray().size(), names.toString());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
