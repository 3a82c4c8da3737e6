package chat.server;

import chat.testing.TestClients;
import chat.api.Json;
import chat.config.Config;
import chat.config.Settings;
import chat.core.ChatService;
import chat.core.Passwords;
import chat.core.SessionKeys;
import chat.store.InMemoryStore;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;

/**
 * Measures the heap that idle sessions and kept messages retain, in-process (a benchmark, not a test; run it with
 * {@code ./run.sh footprint}). Everything is created by the same code the server runs: sessions through the
 * store with keys from {@link SessionKeys}, messages through {@link ChatService#post} with the server's encoder.
 * Logon's bcrypt is skipped for sessions: it retains nothing, and a million hashes would take hours.
 *
 * <p>Usage: MemoryFootprint [sessions] [channels] [messages per channel] [message length] [character]: the
 * message is the character repeated, {@code x} unless given; {@code control} is U+0001, the text that costs most
 * as JSON (6 bytes each, escaped).
 */
public final class MemoryFootprint {
    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int channels = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int perChannel = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int length = args.length > 3 ? Integer.parseInt(args[3]) : 45;
        String character = args.length > 4 ? args[4] : "x";

        InMemoryStore store = new InMemoryStore(Clock.systemUTC(), Duration.ofMinutes(30), perChannel);
        ChatService chat = new ChatService(store, new Passwords(4), new SessionKeys(), Json::messageFields,
                Config.defaults().with(Settings.MAX_MESSAGE, 4096).with(Settings.MAX_USERS, Long.MAX_VALUE)
                        .with(Settings.MAX_SESSIONS, Long.MAX_VALUE).with(Settings.MAX_CHANNELS, Long.MAX_VALUE)
                        .build());
        long key = chat.logon(TestClients.LOCAL, "footprint", "pw");

        long base = liveHeap();
        SessionKeys keys = new SessionKeys();
        String[] users = new String[1000];
        for (int i = 0; i < users.length; i++) {
            users[i] = "user-" + i; // sessions share their user's name, as after real logons
        }
        for (int i = 0; i < sessions; i++) {
            while (!store.openSession(keys.next(), users[i % users.length])) {
                // a key collision: draw again, as logon does
            }
        }
        long afterSessions = liveHeap();

        String text = ("control".equals(character) ? "\u0001" : character).repeat(length);
        for (int c = 0; c < channels; c++) {
            String channel = "channel-" + c;
            chat.create(TestClients.LOCAL, key, channel);
            for (int m = 0; m < perChannel; m++) {
                chat.post(TestClients.LOCAL, key, channel, text);
            }
        }
        long afterMessages = liveHeap();

        long sessionBytes = afterSessions - base;
        long messageBytes = afterMessages - afterSessions;
        long messages = (long) channels * perChannel;
        System.out.printf("footprint sessions=%d heap_mib=%.1f bytes_each=%.0f%n",
                sessions, sessionBytes / 1048576.0, sessionBytes / (double) sessions);
        System.out.printf("footprint channels=%d messages=%d message_chars=%d character=%s heap_mib=%.1f "
                        + "bytes_each=%.0f%n", channels, messages, length, character, messageBytes / 1048576.0, messageBytes / (double) messages);
        if (store.sessionCount() < sessions) {
            throw new IllegalStateException("sessions lost"); // also keeps the store reachable until here
        }
    }

    /** Heap in use after full collections, settled. */
    private static long liveHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
