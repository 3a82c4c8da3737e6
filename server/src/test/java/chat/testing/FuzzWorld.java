package chat.testing;

import chat.limit.RateLimits;
import chat.limit.MemoryBuckets;
import chat.limit.LogonLimits;
import chat.api.CallTable;
import chat.api.Json;
import chat.api.Where;
import chat.config.Config;
import chat.config.Settings;
import chat.core.ChatService;
import chat.core.Passwords;
import chat.core.SessionKeys;
import chat.push.ChannelSubscribers;
import chat.push.PushEvents;
import chat.push.SessionSubscribers;
import chat.store.InMemoryStore;
import chat.ws.Frame;
import chat.ws.FrameEvents;
import chat.ws.SocketMeters;
import chat.metrics.CallMeters;
import chat.metrics.Metrics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A fresh server core for one fuzz input: a real ChatService on an InMemoryStore, the CallTable both transports
 * answer from, push to sockets wired as ChatServer wires it (messages offered on each socket's own thread), and a live session of "alice" with a channel "general" that holds one message, so that an input can
 * reach past the session check. Fresh per input so that a finding replays alone, whatever ran before it.
 *
 * <p>The key is the one spec/protocol.md section 8 shows, and an input names it as that section does: {@code $K}
 * (no fuzzer would guess 16 digits, nor a key drawn at random).
 */
public final class FuzzWorld {
    /** The session key of alice, as {@code $K} in an input stands for it. */
    public static final long SESSKEY = 3120523418216873L;
    public static final String CHANNEL = "general";

    private static final byte[] KEY_MARK = "$K".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_TEXT = Long.toString(SESSKEY).getBytes(StandardCharsets.US_ASCII);
    private static final int BCRYPT_COST = 4; // the lowest: a fuzzed logon hashes, and must not slow the run
    /** Hashed once for all inputs: a world is set up without hashing, directly in the store. */
    private static final String ALICE_HASH = new Passwords(BCRYPT_COST).hash("correct horse");

    private final Config config = Config.defaults().with(Settings.BCRYPT_COST, BCRYPT_COST).build();
    private final InMemoryStore store = new InMemoryStore(new MutableClock(), Duration.ofMinutes(30), 100);
    private final ChannelSubscribers<Frame> subscribers = FrameEvents.subscribers(store.unchecked(), Where.IO_THREAD,
            new SocketMeters(Metrics.OFF));
    private final SessionSubscribers sessions = new SessionSubscribers();
    private final ChatService chat;
    private final CallTable calls;

    public FuzzWorld() {
        chat = new ChatService(store, new Passwords(BCRYPT_COST), new SessionKeys(), Json::messageFields, config,
                new PushEvents(subscribers, sessions), new LogonLimits(RateLimits.NONE, new MemoryBuckets(100)));
        calls = new CallTable(chat, Where.IO_THREAD, Where.IO_THREAD, new CallMeters(Metrics.OFF));
        store.addUser("alice", ALICE_HASH);
        store.openSession(SESSKEY, "alice");
        chat.create(TestClients.LOCAL, SESSKEY, CHANNEL);
        chat.post(TestClients.LOCAL, SESSKEY, CHANNEL, "hi \"all\" \uD83D\uDC4B");
    }

    public Config config() {
        return config;
    }

    public ChannelSubscribers<Frame> subscribers() {
        return subscribers;
    }

    public SessionSubscribers sessions() {
        return sessions;
    }

    public ChatService chat() {
        return chat;
    }

    public InMemoryStore store() {
        return store;
    }

    public CallTable calls() {
        return calls;
    }

    /** The input with every {@code $K} replaced by alice's session key. */
    public static byte[] withSessionKey(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + 16);
        for (int i = 0; i < input.length; i++) {
            if (i + 1 < input.length && input[i] == KEY_MARK[0] && input[i + 1] == KEY_MARK[1]) {
                out.writeBytes(KEY_TEXT);
                i++;
            } else {
                out.write(input[i]);
            }
        }
        return out.toByteArray();
    }
}
