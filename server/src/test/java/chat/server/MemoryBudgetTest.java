package chat.server;

import chat.config.Settings;
import chat.store.InMemoryStore;
import chat.store.MessageMemory;
import chat.testing.TestServer;
import chat.testing.TestServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The probe of issue 13, scaled down: one user creates channels and fills each with messages of 4,096 control
 * characters until the server's message memory (512 KiB here, windows of 20) is full. The refusal is LIMIT_REACHED with a reason,
 * the count stays within the budget, and everything that needs no more memory goes on working.
 */
@Timeout(60)
class MemoryBudgetTest {
    private static final long BUDGET = 512L << 10;
    private static final int WINDOW = 20;
    private static final String CONTROLS = "\u0001".repeat(4096);
    private static TestServer chat;

    @BeforeAll
    static void start() {
        chat = TestServer.start(TestServer.config().with(Settings.MEMORY_BUDGET, BUDGET)
                .with(Settings.WINDOW, WINDOW).with(Settings.MAX_CHANNELS, 1000L).build());
    }

    @AfterAll
    static void stop() {
        chat.close();
    }

    private static MessageMemory memory() {
        return ((InMemoryStore) chat.server.store()).memory();
    }

    @Test
    void oneUserFillingChannelsIsRefusedAtTheBudgetAndEverythingElseGoesOn() {
        long key = chat.newSession();
        List<String> filled = new ArrayList<>();
        Reply refusal = null;
        int posts = 0;
        while (refusal == null && posts < 10_000) {
            String channel = TestServer.unique("probe");
            Reply created = chat.post("create", Map.of("sesskey", key, "channel", channel));
            if (!created.ok()) {
                refusal = created;
                break;
            }
            for (int m = 0; m < WINDOW && refusal == null; m++, posts++) {
                Reply posted = chat.post("post", Map.of("sesskey", key, "channel", channel, "message", CONTROLS));
                if (!posted.ok()) {
                    refusal = posted;
                }
            }
            filled.add(channel);
        }
        assertTrue(refusal != null, "refused within 10,000 posts");
        assertEquals(200, refusal.httpStatus());
        assertEquals(false, refusal.json().get("status").getAsBoolean());
        assertEquals("LIMIT_REACHED", refusal.error(), refusal.toString());
        String reason = refusal.json().get("data").getAsString();
        assertTrue(reason.contains("message memory is full") && reason.contains(" of its " + BUDGET + " bytes"), reason);
        long used = memory().used();
        assertTrue(used <= BUDGET && used > BUDGET - 2 * 4200, "used " + used + " of " + BUDGET);
        // About 4.2 KB each (the text kept as 4,096 bytes, not JSON-escaped at 24,576): some 120 messages in 512 KiB.
        assertTrue(posts >= 110, "posts kept before the refusal: " + posts);

        // Reads, logons and health need no more memory, and are answered as before.
        Reply health = chat.send(new okhttp3.Request.Builder().url(chat.url("/health")).get().build());
        assertEquals(200, health.httpStatus());
        Reply window = chat.post("retrieve", Map.of("sesskey", key, "channel", filled.get(0), "first", 1, "last", WINDOW));
        assertEquals(WINDOW, window.success().getAsJsonArray().size());
        assertEquals(CONTROLS, window.success().getAsJsonArray().get(WINDOW - 1).getAsJsonObject().get("message").getAsString());
        long other = chat.newSession();
        assertTrue(chat.post("list", Map.of("sesskey", other)).ok());

        // Another user's create is refused too: the budget is the server's, not one user's.
        Reply create = chat.post("create", Map.of("sesskey", other, "channel", TestServer.unique("late")));
        if (!create.ok()) {
            assertEquals("LIMIT_REACHED", create.error());
        }
        long beforeReplacing = memory().used();
        // Into a full window a message no larger than the one it pushes out always fits, whatever the count...
        chat.postMessage(other, filled.get(0), CONTROLS);
        assertEquals(beforeReplacing, memory().used(), "same size: no more, no less");
        // ...a larger one does not (the emoji are 4 bytes each in UTF-8)...
        Reply larger = chat.post("post", Map.of("sesskey", other, "channel", filled.get(0), "message",
                "😀".repeat(4096)));
        assertEquals("LIMIT_REACHED", larger.error(), larger.toString());
        assertEquals(beforeReplacing, memory().used());
        // ...and a smaller one frees the difference, which a later post can use.
        chat.postMessage(other, filled.get(0), "short");
        assertTrue(memory().used() < beforeReplacing - 4000, "freed: " + (beforeReplacing - memory().used()));
        assertTrue(memory().used() <= BUDGET);
        assertFalse(filled.isEmpty());
    }
}
