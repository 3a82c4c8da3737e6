package chat.core;

import chat.config.Config;
import chat.config.Settings;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.store.InMemoryStore;
import chat.store.Message;
import chat.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static chat.testing.TestClients.LOCAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class ChatServiceTest {

    private final MutableClock clock = new MutableClock();
    private final InMemoryStore store = new InMemoryStore(clock, Duration.ofMinutes(30), 100);
    /** Encodes as "user|text", so tests can read messages back without JSON. */
    private final ChatService chat = new ChatService(store, new Passwords(4), new SessionKeys(),
            (user, text) -> (user + "|" + text).getBytes(StandardCharsets.UTF_8),
            limits(4096, 1000, 1000, 1000));

    private static Config limits(int maxMessageLength, long maxUsers, long maxSessions, long maxChannels) {
        return Config.defaults().with(Settings.MAX_MESSAGE, maxMessageLength).with(Settings.MAX_USERS, maxUsers)
                .with(Settings.MAX_SESSIONS, maxSessions).with(Settings.MAX_CHANNELS, maxChannels).build();
    }

    private static void assertFails(ChatError expected, Executable call) {
        assertEquals(expected, assertThrows(ChatException.class, call).error());
    }

    private static String text(Message message) {
        return new String(message.stored(), StandardCharsets.UTF_8);
    }

    @Test
    void firstLogonRegistersAndLaterLogonsNeedTheSamePassword() {
        long key = chat.logon(LOCAL, "alice", "secret");
        assertTrue(SessionKeys.isWellFormed(key));
        long second = chat.logon(LOCAL, "alice", "secret");
        assertNotEquals(key, second, "two sessions of one user");
        assertFails(ChatError.WRONG_PASSWORD, () -> chat.logon(LOCAL, "alice", "Secret"));
        chat.channels(LOCAL, key);
        chat.channels(LOCAL, second);
    }

    @Test
    void passwordsAreStoredOnlyAsSaltedBcryptHashes() {
        chat.logon(LOCAL, "alice", "secret");
        chat.logon(LOCAL, "bob", "secret");
        String alice = store.passwordHash("alice");
        assertTrue(alice.startsWith("$2b$04$"), alice);
        assertTrue(!alice.contains("secret"));
        assertNotEquals(alice, store.passwordHash("bob"), "salted: equal passwords, different hashes");
    }

    @Test
    void longPasswordsCountInFull() {
        String base = "p".repeat(100);
        chat.logon(LOCAL, "carol", base + "A");
        assertFails(ChatError.WRONG_PASSWORD, () -> chat.logon(LOCAL, "carol", base + "B"));
    }

    @Test
    void logoffKillsTheKey() {
        long key = chat.logon(LOCAL, "alice", "pw");
        chat.logoff(key);
        assertFails(ChatError.INVALID_SESSION, () -> chat.channels(LOCAL, key));
        assertFails(ChatError.INVALID_SESSION, () -> chat.logoff(key));
    }

    @Test
    void aSessionExpiresAfterItsIdleTimeAndUseKeepsItAlive() {
        long key = chat.logon(LOCAL, "alice", "pw");
        clock.advance(Duration.ofMinutes(20));
        chat.channels(LOCAL, key);
        clock.advance(Duration.ofMinutes(20));
        chat.channels(LOCAL, key);
        clock.advance(Duration.ofMinutes(30));
        assertFails(ChatError.INVALID_SESSION, () -> chat.channels(LOCAL, key));
    }

    @Test
    void keysOutsideTheKeyRangeAreSimplyInvalid() {
        assertFails(ChatError.INVALID_SESSION, () -> chat.channels(LOCAL, 0));
        assertFails(ChatError.INVALID_SESSION, () -> chat.channels(LOCAL, -5));
        assertFails(ChatError.INVALID_SESSION, () -> chat.channels(LOCAL, 1L << 53));
    }

    @Test
    void usernamesAreOneToThirtyTwoCharactersWithoutControlCharacters() {
        chat.logon(LOCAL, "u".repeat(32), "pw");
        chat.logon(LOCAL, "😀".repeat(32), "pw"); // characters, not UTF-16 units
        assertFails(ChatError.FIELD_INVALID, () -> chat.logon(LOCAL, "u".repeat(33), "pw"));
        assertFails(ChatError.FIELD_INVALID, () -> chat.logon(LOCAL, "", "pw"));
        assertFails(ChatError.FIELD_INVALID, () -> chat.logon(LOCAL, "a\nb", "pw"));
        assertFails(ChatError.FIELD_INVALID, () -> chat.logon(LOCAL, "a\u0085b", "pw"));
        assertFails(ChatError.FIELD_INVALID, () -> chat.logon(LOCAL, "a\uD800b", "pw"));
        assertFails(ChatError.FIELD_INVALID, () -> chat.logon(LOCAL, "alice", ""));
    }

    @Test
    void channelNamesAreOneToSixtyFourCharactersWithoutControlCharacters() {
        long key = chat.logon(LOCAL, "alice", "pw");
        chat.create(LOCAL, key, "c".repeat(64));
        assertFails(ChatError.FIELD_INVALID, () -> chat.create(LOCAL, key, "c".repeat(65)));
        assertFails(ChatError.FIELD_INVALID, () -> chat.create(LOCAL, key, ""));
        assertFails(ChatError.FIELD_INVALID, () -> chat.create(LOCAL, key, "tab\there"));
        assertFails(ChatError.CHANNEL_EXISTS, () -> chat.create(LOCAL, key, "c".repeat(64)));
    }

    @Test
    void messagesAreOneToMaxCharactersOfAnyUnicode() {
        long key = chat.logon(LOCAL, "alice", "pw");
        chat.create(LOCAL, key, "general");
        chat.post(LOCAL, key, "general", "x".repeat(4096));
        chat.post(LOCAL, key, "general", "line\nbreak\u0000and \"quotes\" 😀 שלום 漢字");
        assertFails(ChatError.FIELD_INVALID, () -> chat.post(LOCAL, key, "general", "x".repeat(4097)));
        assertFails(ChatError.FIELD_INVALID, () -> chat.post(LOCAL, key, "general", ""));
        assertFails(ChatError.FIELD_INVALID, () -> chat.post(LOCAL, key, "general", "lone \uDC00 surrogate"));
        assertEquals("alice|line\nbreak\u0000and \"quotes\" 😀 שלום 漢字", text(chat.retrieve(LOCAL, key, "general", 2, 2).get(0)));
    }

    @Test
    void postingNeedsAnExistingChannel() {
        long key = chat.logon(LOCAL, "alice", "pw");
        assertFails(ChatError.CHANNEL_NOT_FOUND, () -> chat.post(LOCAL, key, "nowhere", "hi"));
        assertFails(ChatError.CHANNEL_NOT_FOUND, () -> chat.lastMessageId(LOCAL, key, "nowhere"));
        assertFails(ChatError.CHANNEL_NOT_FOUND, () -> chat.retrieve(LOCAL, key, "nowhere", 1, 2));
    }

    @Test
    void lastMessageIsZeroForAnEmptyChannelThenTheNewestId() {
        long key = chat.logon(LOCAL, "alice", "pw");
        chat.create(LOCAL, key, "general");
        assertEquals(0, chat.lastMessageId(LOCAL, key, "general"));
        assertEquals(1, chat.post(LOCAL, key, "general", "one"));
        assertEquals(2, chat.post(LOCAL, key, "general", "two"));
        assertEquals(2, chat.lastMessageId(LOCAL, key, "general"));
    }

    @Test
    void limitsOnChannelsAndSessionsAreEnforced() {
        ChatService small = new ChatService(store, new Passwords(4), new SessionKeys(),
                (u, t) -> new byte[0], limits(10, 2, 2, 1));
        long key = small.logon(LOCAL, "alice", "pw");
        small.logon(LOCAL, "alice", "pw");
        assertFails(ChatError.LIMIT_REACHED, () -> small.logon(LOCAL, "alice", "pw"));
        small.create(LOCAL, key, "one");
        assertFails(ChatError.LIMIT_REACHED, () -> small.create(LOCAL, key, "two"));
    }

    @Test
    void concurrentFirstLogonsOfOneNameRegisterItExactlyOnce() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String password = "pw" + i;
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    chat.logon(LOCAL, "contested", password);
                    return password;
                } catch (ChatException e) {
                    assertEquals(ChatError.WRONG_PASSWORD, e.error());
                    return null;
                }
            }));
        }
        start.countDown();
        Set<String> winners = new HashSet<>();
        for (Future<String> outcome : outcomes) {
            if (outcome.get() != null) {
                winners.add(outcome.get());
            }
        }
        pool.shutdown();
        assertEquals(1, winners.size(), "exactly one password was registered: " + winners);
        chat.logon(LOCAL, "contested", winners.iterator().next());
    }
}
