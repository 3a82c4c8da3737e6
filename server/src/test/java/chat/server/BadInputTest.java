package chat.server;

import chat.testing.TestServer.Reply;
import chat.testing.TestServer;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each class of bad input gets the envelope, its documented status and a reason; the server keeps serving. */
@Timeout(60)
class BadInputTest {
    private static TestServer chat;
    private static long key;

    @BeforeAll
    static void start() {
        chat = TestServer.start();
        key = chat.newSession();
    }

    @AfterAll
    static void stop() {
        chat.close();
    }

    private static void assertEnvelope(int status, String error, Reply reply) {
        assertEquals(status, reply.httpStatus(), reply.toString());
        assertFalse(reply.ok(), reply.toString());
        assertEquals(error, reply.error(), reply.toString());
        assertFalse(reply.data().getAsString().isBlank(), reply.toString());
        assertEquals("application/json", reply.contentType());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{not json",
            "{\"sesskey\": 1,}",
            "{'sesskey': 1}",
            "{sesskey: 1}",
            "{\"sesskey\": 01}",
            "{\"sesskey\": NaN}",
            "{\"sesskey\": Infinity}",
            "{\"sesskey\": 1} // comment",
            "/* comment */ {\"sesskey\": 1}",
            "{\"sesskey\": 1} {\"sesskey\": 2}",
            "{\"sesskey\": 1} x",
            "{\"a\": \"raw\ttab\"}",
            "{\"a\": \"raw\nnewline\"}",
            "{\"a\": \"\\'\"}",
            "{\"sesskey\": 1, \"sesskey\": 2}",
            "{\"sesskey\": +1}",
            "{\"a\": [1, 2}",
            " ",
    })
    void malformedJsonIs400(String body) {
        assertEnvelope(400, "MALFORMED_JSON", chat.post("list", body));
    }

    @Test
    void anEmptyBodyIsMalformed() {
        assertEnvelope(400, "MALFORMED_JSON", chat.post("list", ""));
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        Reply reply = chat.send(new Request.Builder().url(chat.url("/list"))
                .post(RequestBody.create(body, MediaType.get("application/json"))).build());
        assertEnvelope(400, "MALFORMED_JSON", reply);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"text\"", "42", "null", "true"})
    void aBodyThatIsNotAnObjectIs400(String body) {
        assertEnvelope(400, "BODY_NOT_OBJECT", chat.post("list", body));
    }

    @Test
    void missingFieldsAreNamed() {
        Reply reply = chat.post("create", "{\"sesskey\": " + key + "}");
        assertEnvelope(200, "FIELD_MISSING", reply);
        assertTrue(reply.data().getAsString().contains("channel"), reply.toString());
        assertEnvelope(200, "FIELD_MISSING", chat.post("list", "{}"));
        assertEnvelope(200, "FIELD_MISSING", chat.post("logon", "{\"username\": \"x\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"5\"", "5.0", "5e0", "null", "true", "[5]", "{\"v\": 5}", "-1.5E3"})
    void aSessionKeyOfTheWrongJsonTypeIsRefusedNamingTheField(String value) {
        Reply reply = chat.post("list", "{\"sesskey\": " + value + "}");
        assertEnvelope(200, "FIELD_WRONG_TYPE", reply);
        assertTrue(reply.data().getAsString().contains("sesskey"), reply.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"18446744073709551616", "-9223372036854775809", "123456789012345678901234567890"})
    void anIntegerBeyondSixtyFourBitsIsRefusedNotTruncated(String value) {
        Reply reply = chat.post("retrieve",
                "{\"sesskey\": " + key + ", \"channel\": \"c\", \"first\": " + value + ", \"last\": 1}");
        assertEnvelope(200, "FIELD_INVALID", reply);
        assertTrue(reply.data().getAsString().contains("first"), reply.toString());
    }

    @Test
    void stringFieldsOfTheWrongTypeAreRefused() {
        assertEnvelope(200, "FIELD_WRONG_TYPE", chat.post("create", "{\"sesskey\": " + key + ", \"channel\": 5}"));
        assertEnvelope(200, "FIELD_WRONG_TYPE", chat.post("logon", "{\"username\": [\"a\"], \"password\": \"p\"}"));
    }

    @Test
    void unknownExtraFieldsAreIgnored() {
        assertTrue(chat.post("list", "{\"sesskey\": " + key + ", \"extra\": {\"deep\": [1, 2, {\"x\": null}]}}").ok());
    }

    @Test
    void anyContentTypeIsAccepted() {
        Reply reply = chat.send(new Request.Builder().url(chat.url("/list"))
                .post(RequestBody.create("{\"sesskey\": " + key + "}", MediaType.get("text/plain"))).build());
        assertTrue(reply.ok(), reply.toString());
    }

    @Test
    void anOversizedBodyIs413() {
        String big = "{\"sesskey\": " + key + ", \"pad\": \"" + "x".repeat(70_000) + "\"}";
        assertEnvelope(413, "BODY_TOO_LARGE", chat.post("list", big));
    }

    @Test
    void anOversizedChunkedBodyIs413Too() {
        byte[] big = ("{\"pad\": \"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        RequestBody chunked = new RequestBody() {
            @Override
            public MediaType contentType() {
                return MediaType.get("application/json");
            }

            @Override
            public long contentLength() {
                return -1; // unknown: OkHttp sends it chunked
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(big);
            }
        };
        try {
            Reply reply = chat.send(new Request.Builder().url(chat.url("/post")).post(chunked).build());
            assertEnvelope(413, "BODY_TOO_LARGE", reply);
        } catch (java.io.UncheckedIOException e) {
            // The server may answer and close before the client has finished sending; then the client sees a
            // broken pipe instead of the answer. What matters is that the server keeps serving.
        }
        assertTrue(chat.post("list", Map.of("sesskey", key)).ok());
    }

    @Test
    void anUnknownPathIs404AndListsTheCalls() {
        Reply reply = chat.post("nosuchcall", "{}");
        assertEnvelope(404, "UNKNOWN_CALL", reply);
        assertTrue(reply.data().getAsString().contains("/retrieve"), reply.toString());
    }

    @Test
    void theReasonOfA404ListsEveryEntryOfTheRoutingTable() {
        Reply reply = chat.post("nosuchcall", "{}");
        assertEquals("no call at /nosuchcall; the calls are POST /logon, POST /logoff, POST /list, POST /create, "
                + "POST /post, POST /lastmessage, POST /retrieve, POST /who, GET /health, GET /version, GET /ready, "
                + "GET /ws (WebSocket)",
                reply.data().getAsString(), reply.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health", "/ready"})
    void healthAndReadinessAreReadWithGetOrHead(String path) {
        assertEquals(200, chat.send(new Request.Builder().url(chat.url(path)).head().build()).httpStatus(), path);
        Reply reply = chat.post(path.substring(1), "{}");
        assertEnvelope(405, "METHOD_NOT_ALLOWED", reply);
        assertEquals("GET, HEAD", reply.allow(), reply.toString());
        assertEquals(path + " is read with GET, not POST", reply.data().getAsString(), reply.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void otherMethodsAre405WithAllowPost(String method) {
        RequestBody body = method.equals("GET") ? null : RequestBody.create("{}", MediaType.get("application/json"));
        Reply reply = chat.send(new Request.Builder().url(chat.url("/list")).method(method, body).build());
        assertEnvelope(405, "METHOD_NOT_ALLOWED", reply);
        assertEquals("POST", reply.allow());
    }

    @Test
    void afterAllBadInputANormalLogonStillWorks() {
        for (String body : new String[]{"{", "[]", "", "{\"sesskey\": \"x\"}", "x".repeat(70_000)}) {
            chat.post("list", body);
        }
        assertTrue(chat.newSession() > 0);
    }
}
