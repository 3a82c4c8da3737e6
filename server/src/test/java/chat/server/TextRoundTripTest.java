package chat.server;

import chat.testing.TestServer.Reply;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unicode and JSON escaping survive a post and a retrieve exactly, in messages, usernames and channel names. */
@Timeout(60)
class TextRoundTripTest {
    private static TestServer chat;

    @BeforeAll
    static void start() {
        chat = TestServer.start();
    }

    @AfterAll
    static void stop() {
        chat.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "emoji 😀👍🏽🇯🇵 and a family 👨‍👩‍👧",
            "漢字とかな, 한국어",
            "שלום עולם, مرحبا بالعالم",
            "quotes \" and backslashes \\ and slash /",
            "newline\nreturn\rtab\tbackspace\bformfeed\f",
            "nul \u0000 and bell \u0007 and unit separator \u001f and delete \u007f",
            "line separators \u2028 \u2029 and bom \ufeff",
            "</script><script>alert(1)</script>",
    })
    void messagesRoundTripExactly(String text) {
        roundTrip(text);
    }

    /** Texts that are kept in the compact form (control characters unescaped) read back exactly too. */
    @org.junit.jupiter.api.Test
    void textsOfManyControlCharactersRoundTripExactly() {
        roundTrip("\u0001".repeat(4096));
        roundTrip(("\u0000\u001f\"\\😀\n ").repeat(500));
    }

    /** ...and so do they when pushed, the one event shared by every socket that listens. */
    @org.junit.jupiter.api.Test
    void textsOfManyControlCharactersArePushedExactly() throws Exception {
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        chat.postMessage(key, channel, "before");
        String text = ("\u0000\u001f\"\\😀\n ").repeat(500);
        try (TestSocket socket = new TestSocket(chat.http(), chat.server.url().replace("http", "ws") + "/ws",
                Long.toString(key))) {
            assertTrue(socket.awaitOpen());
            socket.subscribe(channel, 1);
            chat.postMessage(key, channel, text);
            assertEquals(text, socket.nextMessage(channel, 2));
        }
    }

    private static void roundTrip(String text) {
        String user = TestServer.unique("ü名😀");
        long key = chat.logon(user, "pässwörd 🔑");
        String channel = "ch " + TestServer.unique("«канал» 🎉");
        assertTrue(chat.post("create", Map.of("sesskey", key, "channel", channel)).ok());
        assertTrue(chat.post("post", Map.of("sesskey", key, "channel", channel, "message", text)).ok());
        Reply reply = chat.post("retrieve", Map.of("sesskey", key, "channel", channel, "first", 1, "last", 1));
        JsonObject message = reply.data().getAsJsonArray().get(0).getAsJsonObject();
        assertEquals(text, message.get("message").getAsString());
        assertEquals(user, message.get("username").getAsString());
        assertTrue(chat.post("list", Map.of("sesskey", key)).success().getAsJsonArray().toString()
                .contains(new com.google.gson.Gson().toJson(channel)));
    }
}
