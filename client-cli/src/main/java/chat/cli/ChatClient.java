package chat.cli;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import okhttp3.ConnectionSpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol's seven calls as typed methods, and its WebSocket, over one OkHttpClient. A refusal becomes a
 * {@link CliException} with exit code 1 and the server's reason; an unreachable server exit code 3.
 *
 * <p>Idempotent calls (list, lastmessage, retrieve) are retried with backoff when the connection fails, so a
 * blip does not end a `tail`; post and create are never retried blindly, since the first attempt may have landed.
 */
public final class ChatClient implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Gson GSON = new Gson();
    private static final int ATTEMPTS = 4;
    private static final long FIRST_BACKOFF_MILLIS = 200;

    private final String server;
    private final OkHttpClient http;

    public ChatClient(String server) {
        this.server = server.replaceAll("/+$", "");
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(30));
        if (this.server.startsWith("http://")) {
            // Without a TLS connection spec OkHttp skips loading the JDK's trust store and SSL context, which
            // is about a third of a one-shot command's start-up.
            builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        this.http = builder.build();
    }

    public String server() {
        return server;
    }

    public long logon(String username, String password) {
        return call("logon", false, "username", username, "password", password).getAsLong();
    }

    public void logoff(long sesskey) {
        call("logoff", false, "sesskey", sesskey);
    }

    public JsonElement channels(long sesskey) {
        return call("list", true, "sesskey", sesskey);
    }

    public void create(long sesskey, String channel) {
        call("create", false, "sesskey", sesskey, "channel", channel);
    }

    public void post(long sesskey, String channel, String message) {
        call("post", false, "sesskey", sesskey, "channel", channel, "message", message);
    }

    public long lastMessage(long sesskey, String channel) {
        return call("lastmessage", true, "sesskey", sesskey, "channel", channel).getAsLong();
    }

    /** The raw data of retrieve, as the protocol gives it (for --json). */
    public JsonElement retrieveRaw(long sesskey, String channel, long first, long last) {
        return call("retrieve", true, "sesskey", sesskey, "channel", channel, "first", first, "last", last);
    }

    public List<Message> retrieve(long sesskey, String channel, long first, long last) {
        List<Message> messages = new ArrayList<>();
        for (JsonElement element : retrieveRaw(sesskey, channel, first, last).getAsJsonArray()) {
            messages.add(Message.from(element.getAsJsonObject()));
        }
        return messages;
    }

    /**
     * Opens the server's WebSocket as this session; the listener hears how it goes. Without a read timeout, since
     * a followed channel may be quiet for long (the server pings every 30 s). {@code newBuilder()} derives that
     * variant sharing this client's connection pool and threads, as OkHttp recommends over a second client. The
     * call timeout bounds only the handshake: OkHttp lifts it once the socket is open.
     */
    public WebSocket openWebSocket(long sesskey, WebSocketListener listener) {
        Request request = new Request.Builder().url(server.replaceFirst("^http", "ws") + "/ws")
                .header("X-Session-Key", Long.toString(sesskey)).build();
        return http.newBuilder().readTimeout(Duration.ZERO).build().newWebSocket(request, listener);
    }

    private JsonElement call(String call, boolean idempotent, Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        Request request = new Request.Builder().url(server + "/" + call)
                .post(RequestBody.create(GSON.toJson(fields), JSON)).build();
        int attempts = idempotent ? ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            try (Response response = http.newCall(request).execute()) {
                return unwrap(response);
            } catch (IOException e) {
                if (attempt >= attempts) {
                    throw new CliException(ExitCode.UNREACHABLE, "cannot reach " + server + " (" + e.getMessage() + ")");
                }
                sleep(FIRST_BACKOFF_MILLIS << (attempt - 1));
            }
        }
    }

    private JsonElement unwrap(Response response) throws IOException {
        String body = response.body() == null ? "" : response.body().string();
        JsonObject envelope;
        try {
            envelope = JsonParser.parseString(body).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new CliException(ExitCode.REFUSED, "the server at " + server + " answered HTTP " + response.code()
                    + " with something that is not the chat protocol");
        }
        JsonElement data = envelope.get("data");
        if (envelope.has("status") && envelope.get("status").getAsBoolean()) {
            return data;
        }
        String reason = data != null && data.isJsonPrimitive() ? data.getAsString() : String.valueOf(data);
        String code = envelope.has("error") ? envelope.get("error").getAsString() : null;
        if ("INVALID_SESSION".equals(code)) {
            reason = "your session has ended or expired; log on again (chat logon USER)";
        }
        throw new CliException(ExitCode.REFUSED, reason, code);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNREACHABLE, "interrupted");
        }
    }

    /** Closes pooled connections, and lets the threads WebSockets ran on end (else they hold the JVM a minute). */
    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
