package chat.testing;

import chat.config.Config;
import chat.config.Settings;
import chat.server.ChatServer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.Strictness;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The real server on a free port and a plain HTTP client for it. */
public final class TestServer implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");
    /** Answers must be JSON as RFC 8259 has it (no raw control character in a string, say), not as Gson forgives. */
    private static final Gson STRICT = new GsonBuilder().setStrictness(Strictness.STRICT).create();
    private static final AtomicInteger names = new AtomicInteger();

    public final ChatServer server;
    private final OkHttpClient http = new OkHttpClient.Builder()
            .callTimeout(Duration.ofSeconds(20))
            .retryOnConnectionFailure(false)
            .build();

    private TestServer(ChatServer server) {
        this.server = server;
    }

    /** Test defaults: a free port and cheap bcrypt. */
    public static Config.Builder config() {
        return Config.defaults().with(Settings.PORT, 0).with(Settings.BCRYPT_COST, 4);
    }

    public static TestServer start() {
        return start(config().build());
    }

    public static TestServer start(Config config) {
        return new TestServer(ChatServer.start(config));
    }

    /** A name no other test of this run uses. */
    public static String unique(String prefix) {
        return prefix + "-" + names.incrementAndGet();
    }

    public String url(String path) {
        return server.url() + path;
    }

    /** The answer to one HTTP request: status, headers of interest, body parsed as JSON. */
    public record Reply(int httpStatus, JsonObject json, String allow, String contentType) {
        public boolean ok() {
            return json.has("status") && json.get("status").isJsonPrimitive() && json.get("status").getAsBoolean();
        }

        /** The data of a successful answer; any other answer fails the test, quoted. */
        public JsonElement success() {
            if (!ok()) {
                throw new AssertionError("expected a successful answer, got " + this);
            }
            return data();
        }

        public JsonElement data() {
            return json.get("data");
        }

        public String error() {
            return json.has("error") ? json.get("error").getAsString() : null;
        }

        @Override
        public String toString() {
            return httpStatus + " " + json;
        }
    }

    public Reply post(String call, String rawBody) {
        return send(new Request.Builder().url(url("/" + call)).post(RequestBody.create(rawBody, JSON)).build());
    }

    public Reply post(String call, Map<String, ?> fields) {
        return post(call, new com.google.gson.Gson().toJson(fields));
    }

    public Reply send(Request request) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            JsonObject json = body.isEmpty() ? new JsonObject() : parseObject(response.code(), body);
            return new Reply(response.code(), json, response.header("Allow"), response.header("Content-Type"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonObject parseObject(int httpStatus, String body) {
        try {
            JsonObject answer = STRICT.fromJson(body, JsonObject.class);
            if (answer == null) {
                throw new IllegalArgumentException("empty");
            }
            return answer;
        } catch (RuntimeException notAnObject) {
            throw new AssertionError("HTTP " + httpStatus + " with a body that is not a JSON object: " + body, notAnObject);
        }
    }

    public OkHttpClient http() {
        return http;
    }

    /** Logs on (registering the user) and returns the session key. */
    public long logon(String username, String password) {
        return post("logon", Map.of("username", username, "password", password)).success().getAsLong();
    }

    /** Posts a message; anything but success fails the test, the answer quoted. */
    public void postMessage(long key, String channel, String text) {
        post("post", Map.of("sesskey", key, "channel", channel, "message", text)).success();
    }

    public long newSession() {
        return logon(unique("user"), "pw");
    }

    public String newChannel(long key) {
        String channel = unique("channel");
        post("create", Map.of("sesskey", key, "channel", channel)).success();
        return channel;
    }

    @Override
    public void close() {
        server.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
