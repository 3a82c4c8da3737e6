package chat.server;

import chat.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise for local tools, load tests and test suites, with the default limits: from 127.0.0.1 (exempt),
 * 32 threads each with its own session at full speed for 15 s, 160 logons at once, and 10 threads registering one
 * name with different passwords (9 wrong, then the winner logs on again) never see a 429.
 */
@Timeout(120)
class LoopbackAtFullSpeedTest {
    @Test
    void loopbackNeverMeetsALimit() throws Exception {
        try (TestServer chat = TestServer.start()) {
            ConcurrentLinkedQueue<String> throttled = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(160);
            try {
                fullSpeedSessions(chat, pool, throttled);
                concurrentLogons(chat, pool, throttled);
                oneNameRegisteredByTen(chat, pool, throttled);
            } finally {
                pool.shutdownNow();
            }
            assertTrue(throttled.isEmpty(), "refused from loopback: " + throttled);
        }
    }

    private static void fullSpeedSessions(TestServer chat, ExecutorService pool, ConcurrentLinkedQueue<String> throttled)
            throws Exception {
        long owner = chat.newSession();
        String channel = chat.newChannel(owner);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        AtomicLong calls = new AtomicLong();
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            threads.add(pool.submit(() -> {
                long key = chat.newSession();
                while (System.nanoTime() < deadline) {
                    record(throttled, chat.post("post", Map.of("sesskey", key, "channel", channel, "message", "hi")));
                    record(throttled, chat.post("lastmessage", Map.of("sesskey", key, "channel", channel)));
                    record(throttled, chat.post("list", Map.of("sesskey", key)));
                    calls.addAndGet(3);
                }
                return null;
            }));
        }
        for (Future<?> thread : threads) {
            thread.get();
        }
        // Far past every per-session default (a burst of 30 posts, then one a second), so the exemption was what let
        // them through.
        assertTrue(calls.get() > 32 * 100, "calls made: " + calls.get());
    }

    private static void concurrentLogons(TestServer chat, ExecutorService pool, ConcurrentLinkedQueue<String> throttled)
            throws Exception {
        String user = TestServer.unique("crowd");
        chat.logon(user, "pw");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> logons = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            logons.add(pool.submit(() -> {
                start.await();
                TestServer.Reply reply = chat.post("logon", Map.of("username", user, "password", "pw"));
                record(throttled, reply);
                reply.success();
                return null;
            }));
        }
        start.countDown();
        for (Future<?> logon : logons) {
            logon.get();
        }
    }

    private static void oneNameRegisteredByTen(TestServer chat, ExecutorService pool,
                                               ConcurrentLinkedQueue<String> throttled) throws Exception {
        String name = TestServer.unique("contested");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<TestServer.Reply>> attempts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String password = "password-" + i;
            attempts.add(pool.submit(() -> {
                start.await();
                return chat.post("logon", Map.of("username", name, "password", password));
            }));
        }
        start.countDown();
        String winner = null;
        int wrong = 0;
        for (int i = 0; i < attempts.size(); i++) {
            TestServer.Reply reply = attempts.get(i).get();
            record(throttled, reply);
            if (reply.ok()) {
                winner = "password-" + i;
            } else {
                assertEquals("WRONG_PASSWORD", reply.error(), reply.toString());
                wrong++;
            }
        }
        assertEquals(9, wrong, "one registered the name, the others gave a wrong password for it");
        TestServer.Reply again = chat.post("logon", Map.of("username", name, "password", winner));
        record(throttled, again);
        again.success();
    }

    private static void record(ConcurrentLinkedQueue<String> throttled, TestServer.Reply reply) {
        if (reply.httpStatus() == 429) {
            throttled.add(reply.toString());
        }
    }
}
