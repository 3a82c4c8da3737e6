package chat.server;

import chat.config.Config;
import chat.config.Settings;
import chat.testing.Await;
import chat.testing.TestServer;
import com.google.gson.JsonParser;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class LifecycleTest {
    @Test
    void portZeroBindsAFreePortAndReportsIt() {
        try (TestServer one = TestServer.start(); TestServer two = TestServer.start()) {
            assertNotEquals(0, one.server.port());
            assertNotEquals(one.server.port(), two.server.port());
            assertTrue(one.server.url().endsWith(":" + one.server.port()));
        }
    }

    @Test
    void closeLetsARequestInFlightFinishThenRefusesConnections() throws Exception {
        // A shutdown timeout the test cannot outlast: the close is to end only when the logon has.
        TestServer chat = TestServer.start(
                TestServer.config().with(Settings.SHUTDOWN_TIMEOUT, Duration.ofSeconds(60)).build());
        String base = chat.server.url();
        String logon = "{\"username\":\"slow\",\"password\":\"pw\"}";
        byte[] half = ("POST /logon HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + logon.length() + "\r\n\r\n" + logon.substring(0, 10)).getBytes(StandardCharsets.US_ASCII);
        try (Socket client = new Socket("127.0.0.1", chat.server.port())) {
            // A request is in flight from its head on; this one stays so, whatever the machine's speed, until the
            // test sends the rest of its body.
            client.setSoTimeout(20_000);
            client.getOutputStream().write(half);
            client.getOutputStream().flush();
            Await.until("the logon to reach the server", Duration.ofSeconds(10), () -> chat.server.requestsInFlight() == 1);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(chat.server::close);
            // Until the close has begun, /health answers 200; from then on, while the logon is in flight, 503.
            OkHttpClient fresh = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
            String refusal = Await.value("a new request to be refused while draining", Duration.ofSeconds(10),
                    () -> health(fresh, base), seen -> !seen.startsWith("200 "));
            assertTrue(refusal.startsWith("503 ") && refusal.contains("\"SHUTTING_DOWN\""), refusal);
            assertFalse(closing.isDone(), "the close waits for the request in flight");

            client.getOutputStream().write(logon.substring(10).getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            String reply = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 200 "), reply);
            String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
            assertTrue(JsonParser.parseString(body).getAsJsonObject().get("status").getAsBoolean(), reply);
            closing.get(20, TimeUnit.SECONDS);
            assertThrows(ConnectException.class, () -> fresh.newCall(new Request.Builder().url(base + "/health").build())
                    .execute().close());
        }
    }

    /** "STATUS BODY" of GET /health on a new connection, or how it failed. */
    private static String health(OkHttpClient http, String base) {
        try (Response response = http.newCall(new Request.Builder().url(base + "/health").build()).execute()) {
            return response.code() + " " + response.body().string();
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    @Test
    void aConnectionThatStallsMidBodyIsClosedAfterTheIdleTimeout() throws Exception {
        try (TestServer chat = TestServer.start(
                TestServer.config().with(Settings.IDLE_CONNECTION_TIMEOUT, Duration.ofMillis(500)).build());
             Socket socket = new Socket("127.0.0.1", chat.server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /list HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"sess")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long start = System.nanoTime();
            byte[] rest = socket.getInputStream().readAllBytes(); // returns when the server closes
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 400 && waited < 9_000, "closed after about the timeout, waited " + waited + " ms");
            assertTrue(rest.length == 0 || new String(rest, StandardCharsets.UTF_8).startsWith("HTTP/1.1"),
                    "closed, with at most an answer: " + new String(rest, StandardCharsets.UTF_8));
        }
    }

    @Test
    void configRefusesImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> Config.defaults().with(Settings.PORT, 70_000).build());
        assertThrows(IllegalArgumentException.class, () -> Config.defaults().with(Settings.BCRYPT_COST, 3).build());
        assertThrows(IllegalArgumentException.class, () -> Config.defaults().with(Settings.STORE, "redis").build());
        assertThrows(IllegalArgumentException.class, () -> Config.defaults().with(Settings.WINDOW, 0).build());
        assertEquals(100, Config.defaults().build().get(Settings.WINDOW));
    }
}
