package chat.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class MessageWindowTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> ids(List<Message> messages) {
        return messages.stream().map(Message::id).toList();
    }

    private static List<Long> idRange(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    @Test
    void idsStartAtOneAndGoUpByOne() {
        MessageWindow window = new MessageWindow(100, new MessageMemory(Long.MAX_VALUE));
        assertEquals(0, window.lastId());
        assertEquals(1, window.append(bytes("a"), 0).id());
        assertEquals(2, window.append(bytes("b"), 0).id());
        assertEquals(2, window.lastId());
    }

    @Test
    void eachMessageKeepsItsTimeAndTimesNeverGoBackAsIdsGoUp() {
        MessageWindow window = new MessageWindow(100, new MessageMemory(Long.MAX_VALUE));
        assertEquals(1_000, window.append(bytes("a"), 1_000).time());
        assertEquals(1_000, window.append(bytes("b"), 900).time(), "a clock set back does not reorder times");
        assertEquals(1_200, window.append(bytes("c"), 1_200).time());
        assertEquals(List.of(1_000L, 1_000L, 1_200L), window.range(1, 3).stream().map(Message::time).toList());
    }

    @Test
    void keepsOnlyTheNewestHundredMessages() {
        MessageWindow window = new MessageWindow(100, new MessageMemory(Long.MAX_VALUE));
        for (int i = 1; i <= 150; i++) {
            window.append(bytes("m" + i), 0);
        }
        List<Message> kept = window.range(1, 150);
        assertEquals(idRange(51, 150), ids(kept));
        assertEquals("m51", new String(kept.get(0).stored(), StandardCharsets.UTF_8));
        assertEquals("m150", new String(kept.get(99).stored(), StandardCharsets.UTF_8));
    }

    @Test
    void rangeBoundariesSelectOnlyKeptIdsInTheRange() {
        MessageWindow window = new MessageWindow(100, new MessageMemory(Long.MAX_VALUE));
        for (int i = 1; i <= 150; i++) {
            window.append(bytes("m" + i), 0);
        }
        assertEquals(idRange(51, 60), ids(window.range(40, 60)), "partial overlap at the old end");
        assertEquals(idRange(140, 150), ids(window.range(140, 1000)), "partial overlap at the new end");
        assertEquals(List.of(), ids(window.range(1, 50)), "entirely dropped");
        assertEquals(List.of(), ids(window.range(151, 200)), "not yet posted");
        assertEquals(List.of(), ids(window.range(90, 80)), "first > last");
        assertEquals(List.of(77L), ids(window.range(77, 77)), "first == last");
        assertEquals(List.of(), ids(window.range(Long.MIN_VALUE, 0)), "ids below one");
        assertEquals(idRange(51, 150), ids(window.range(Long.MIN_VALUE, Long.MAX_VALUE)), "the extremes");
    }

    @Test
    void concurrentAppendsGetUniqueContiguousIdsAndEveryMessageIsKeptOnce() throws Exception {
        int threads = 16;
        int perThread = 500;
        MessageWindow window = new MessageWindow(threads * perThread, new MessageMemory(Long.MAX_VALUE));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        Set<Long> ids = java.util.Collections.synchronizedSet(new HashSet<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    ids.add(window.append(bytes(thread + ":" + i), 0).id());
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));

        int total = threads * perThread;
        assertEquals(total, ids.size(), "every append got its own id");
        assertEquals(total, window.lastId());
        List<Message> all = window.range(1, total);
        assertEquals(idRange(1, total), ids(all), "ids 1..n with no gap");
        Set<String> texts = new HashSet<>();
        all.forEach(m -> texts.add(new String(m.stored(), StandardCharsets.UTF_8)));
        assertEquals(total, texts.size(), "every message present exactly once");
    }

    @Test
    void readersDuringWritesSeeContiguousAscendingRuns() throws Exception {
        MessageWindow window = new MessageWindow(100, new MessageMemory(Long.MAX_VALUE));
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 200_000; i++) {
                window.append(bytes("x"), 0);
            }
        });
        writer.start();
        while (writer.isAlive()) {
            List<Long> seen = ids(window.range(1, Long.MAX_VALUE));
            for (int i = 1; i < seen.size(); i++) {
                assertEquals(seen.get(i - 1) + 1, seen.get(i), "contiguous and ascending");
            }
            assertTrue(seen.size() <= 100);
        }
        writer.join();
    }
}
