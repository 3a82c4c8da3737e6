package chat.store;

import chat.error.ChatError;
import chat.error.ChatException;
import chat.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class InMemoryStoreTest {
    private final MutableClock clock = new MutableClock();
    private final InMemoryStore store = new InMemoryStore(clock, Duration.ofMinutes(30), 100);

    @Test
    void sessionLivesWhileUsedAndExpiresAfterTheIdleTime() {
        assertTrue(store.openSession(42, "alice"));
        clock.advance(Duration.ofMinutes(29));
        assertEquals("alice", store.touchSession(42), "used within the idle time");
        clock.advance(Duration.ofMinutes(29));
        assertEquals("alice", store.touchSession(42), "the previous use renewed it");
        clock.advance(Duration.ofMinutes(30));
        assertNull(store.touchSession(42), "idle for the whole timeout");
        assertEquals(0, store.sessionCount(), "an expired session is removed when found");
    }

    @Test
    void anExpiredSessionCannotBeClosed() {
        store.openSession(7, "alice");
        clock.advance(Duration.ofMinutes(31));
        assertFalse(store.closeSession(7));
    }

    @Test
    void sweepRemovesOnlyExpiredSessions() {
        store.openSession(1, "old");
        clock.advance(Duration.ofMinutes(20));
        store.openSession(2, "new");
        clock.advance(Duration.ofMinutes(15));
        assertEquals(1, store.sweepExpiredSessions());
        assertNull(store.touchSession(1));
        assertEquals("new", store.touchSession(2));
    }

    @Test
    void aKeyInUseIsNotOpenedTwice() {
        assertTrue(store.openSession(5, "alice"));
        assertFalse(store.openSession(5, "mallory"));
        assertEquals("alice", store.touchSession(5));
    }

    @Test
    void channelsAreListedInCreationOrderAndNamesAreCaseSensitive() {
        assertTrue(store.addChannel("zeta"));
        assertTrue(store.addChannel("alpha"));
        assertTrue(store.addChannel("Alpha"));
        assertFalse(store.addChannel("alpha"));
        assertEquals(List.of("zeta", "alpha", "Alpha"), store.channelNames());
    }

    @Test
    void callsOnAMissingChannelFailWithChannelNotFound() {
        ChatException e = assertThrows(ChatException.class, () -> store.append("nope", new byte[0]));
        assertEquals(ChatError.CHANNEL_NOT_FOUND, e.error());
        assertThrows(ChatException.class, () -> store.unchecked().lastMessageId("nope"));
        assertThrows(ChatException.class, () -> store.unchecked().range("nope", 1, 2));
    }

    @Test
    void tenThreadsCreatingOneChannelExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Callable<Boolean> create = () -> {
                start.await();
                return store.addChannel("contested");
            };
            results.add(pool.submit(create));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> result : results) {
            winners += result.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, winners);
        assertEquals(List.of("contested"), store.channelNames());
    }

    @Test
    void aUserIsRegisteredOnce() {
        assertTrue(store.addUser("alice", "hash1"));
        assertFalse(store.addUser("alice", "hash2"));
        assertEquals("hash1", store.passwordHash("alice"));
        assertEquals(1, store.userCount());
    }
}
