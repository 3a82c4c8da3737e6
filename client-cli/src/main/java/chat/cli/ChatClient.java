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
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The protocol's seven calls as typed methods, and its WebSocket, over one OkHttpClient. A refusal becomes a
 * {@link CliException} with exit code 1 and the server's reason; an unreachable server exit code 3.
 *
 * <p>Idempotent calls (list, lastmessage, retrieve, logoff) are retried with backoff when the connection fails, so a
 * blip does not end a `tail`; create is never retried blindly, since the first attempt may have landed. A post is
 * made safe to retry: each carries a fresh random Idempotency-Key (spec post/5), and a post whose answer was lost
 * (no answer, a timeout) or refused for now with a Retry-After (503: SERVER_BUSY, a balancer's NO_REPLICA_READY) is
 * sent again with the same key, a few times at most;
 * the server answers a repeat as it did the first and posts nothing. (A server that ignores keys would post such a
 * retry twice; this one, and any that meets post/5, does not.)
 *
 * <p>An idempotent call the server throttles (429 RATE_LIMITED, or 503 SERVER_BUSY, with Retry-After) is tried
 * again once the wait it asked for is over, saying so to the notices; a few times at most, and only for waits up to
 * {@link #LONGEST_RETRY_WAIT}, so a command never hangs for long; so is a post refused busy, with its key. Logon,
 * create and a post refused RATE_LIMITED (its poster is told to slow down, not made to wait) are not retried: the
 * refusal, whose reason says when to try again, is the command's error.
 */
public final class ChatClient implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Gson GSON = new Gson();
    private static final int ATTEMPTS = 4;
    private static final long FIRST_BACKOFF_MILLIS = 200;
    /** How many times one idempotent call waits out a Retry-After and tries again before the refusal stands. */
    static final int THROTTLED_RETRIES = 3;
    /**
     * The longest Retry-After a call waits out. A server asking for more gets its refusal reported at once: waiting
     * less than it asked would only be refused again, and a one-shot command silent for minutes looks hung.
     */
    static final Duration LONGEST_RETRY_WAIT = Duration.ofSeconds(60);
    /**
     * How long a call retries an unreachable server before saying so: the retries of a stopped server take about
     * 1.4 s before the command gives up, long enough to look hung; a blip that a retry fixes stays silent.
     */
    static final Duration SAY_RETRYING_AFTER = Duration.ofSeconds(1);

    private final String server;
    private final OkHttpClient http;
    private final Consumer<String> notices;
    private final AtomicBoolean saidRetrying = new AtomicBoolean(); // "retrying..." once, however many calls retry

    /** A client whose notices (that it waits out a throttled call) go to standard error. */
    public ChatClient(String server) {
        this(server, System.err::println);
    }

    /** @param notices hears what a person should know while a call is delayed: "rate limited: ...; retrying in 2 s" */
    public ChatClient(String server, Consumer<String> notices) {
        this.server = server.replaceAll("/+$", "");
        this.http = httpClientFor(this.server);
        this.notices = notices;
    }

    private ChatClient(String server, OkHttpClient http, Consumer<String> notices) {
        this.server = server;
        this.http = http;
        this.notices = notices;
    }

    private static OkHttpClient httpClientFor(String server) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(30));
        if (server.startsWith("http://")) {
            // Without a TLS connection spec OkHttp skips loading the JDK's trust store and SSL context, which
            // is about a third of a one-shot command's start-up.
            builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        return builder.build();
    }

    /**
     * This client with its notices going elsewhere (the interactive session prints them above the prompt). It shares
     * this one's connections and threads, so closing either closes both: only the original's owner closes it.
     */
    ChatClient withNotices(Consumer<String> otherNotices) {
        return new ChatClient(server, http, otherNotices);
    }

    public String server() {
        return server;
    }

    public long logon(String username, String password) {
        return call("logon", false, "username", username, "password", password).getAsLong();
    }

    /**
     * Safe to repeat, so retried like the reading calls; a repeat whose first attempt landed unanswered is refused
     * INVALID_SESSION, which LogoffCommand takes as done.
     */
    public void logoff(long sesskey) {
        call("logoff", true, "sesskey", sesskey);
    }

    public JsonElement channels(long sesskey) {
        return call("list", true, "sesskey", sesskey);
    }

    public void create(long sesskey, String channel) {
        call("create", false, "sesskey", sesskey, "channel", channel);
    }

    /** Posts once, whatever is retried: with a key of its own (a random UUID), so a repeat posts nothing. */
    public void post(long sesskey, String channel, String message) {
        post(sesskey, channel, message, UUID.randomUUID().toString());
    }

    /** Posts with this idempotency key; a test gives its own. */
    void post(long sesskey, String channel, String message, String idempotencyKey) {
        callWithKey("post", idempotencyKey, "sesskey", sesskey, "channel", channel, "message", message);
    }

    public long lastMessage(long sesskey, String channel) {
        return call("lastmessage", true, "sesskey", sesskey, "channel", channel).getAsLong();
    }

    /** Who is present in the channel (issue 18): {@code {"count": N, "users": [...]}}; UNKNOWN_CALL without presence. */
    public JsonElement who(long sesskey, String channel) {
        return call("who", true, "sesskey", sesskey, "channel", channel);
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
        return send(call, idempotent, null, namesAndValues);
    }

    /** A post: retried like an idempotent call, since its key makes it one. */
    private JsonElement callWithKey(String call, String idempotencyKey, Object... namesAndValues) {
        return send(call, true, idempotencyKey, namesAndValues);
    }

    private JsonElement send(String call, boolean idempotent, String idempotencyKey, Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        Request.Builder builder = new Request.Builder().url(server + "/" + call)
                .post(RequestBody.create(GSON.toJson(fields), JSON));
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", "\"" + idempotencyKey + "\""); // the draft's form: a quoted string
        }
        Request request = builder.build();
        int connectionAttempts = 0;
        int throttledRetries = 0;
        long started = System.nanoTime();
        while (true) {
            try (Response response = http.newCall(request).execute()) {
                return unwrap(response);
            } catch (IOException e) {
                connectionAttempts++;
                if (!idempotent || connectionAttempts >= ATTEMPTS) {
                    throw new CliException(ExitCode.UNREACHABLE, "cannot reach " + server + " (" + e.getMessage() + ")");
                }
                backOff(started, FIRST_BACKOFF_MILLIS << (connectionAttempts - 1));
            } catch (CliException refused) {
                // The response is closed by now (try-with-resources closes before catching), so its connection
                // goes back to the pool: the server keeps it open after a throttled answer, and the retry reuses it.
                // A keyed post refused RATE_LIMITED at its first attempt is said at once, not waited out (the user
                // should slow down); but one whose earlier attempt may have landed unanswered is sent again after the
                // wait, or the user would be told of a failure for a post that was stored.
                boolean mayHaveLanded = connectionAttempts > 0 || throttledRetries > 0;
                if (!idempotent || !worthWaitingFor(refused) || throttledRetries >= THROTTLED_RETRIES
                        || idempotencyKey != null && ErrorCodes.RATE_LIMITED.equals(refused.errorCode()) && !mayHaveLanded) {
                    throw refused;
                }
                throttledRetries++;
                Duration wait = refused.retryAfter();
                notices.accept(RetryAfter.retryingNotice(refused.errorCode(), refused.getMessage(), wait));
                sleep(wait.toMillis());
            }
        }
    }

    /**
     * Waits before trying an unreachable server again; when the call has been at it for over
     * {@link #SAY_RETRYING_AFTER} by then, says "retrying..." at that moment (once per client), so that a person
     * knows the command is not hung.
     */
    private void backOff(long callStarted, long millis) {
        long wakeAt = System.nanoTime() + millis * 1_000_000;
        long sayAt = callStarted + SAY_RETRYING_AFTER.toNanos();
        if (wakeAt - sayAt > 0 && !saidRetrying.get()) {
            sleep(Math.max(0, (sayAt - System.nanoTime()) / 1_000_000));
            if (saidRetrying.compareAndSet(false, true)) {
                notices.accept("cannot reach " + server + " yet; retrying...");
            }
        }
        sleep(Math.max(0, (wakeAt - System.nanoTime()) / 1_000_000));
    }

    private static boolean worthWaitingFor(CliException refused) {
        return refused.retryAfter() != null && refused.retryAfter().compareTo(LONGEST_RETRY_WAIT) <= 0;
    }

    private JsonElement unwrap(Response response) throws IOException {
        String body = response.body() == null ? "" : response.body().string();
        Duration retryAfter = retryAfter(response);
        JsonObject envelope;
        try {
            envelope = JsonParser.parseString(body).getAsJsonObject();
        } catch (RuntimeException e) {
            // Still honour its Retry-After: a load balancer's own 503 while the server restarts is worth waiting out.
            throw new CliException(ExitCode.REFUSED, "the server at " + server + " answered HTTP " + response.code()
                    + " with something that is not the chat protocol", null, retryAfter);
        }
        JsonElement data = envelope.get("data");
        if (envelope.has("status") && envelope.get("status").getAsBoolean()) {
            return data;
        }
        String reason = data != null && data.isJsonPrimitive() ? data.getAsString() : String.valueOf(data);
        String code = envelope.has("error") ? envelope.get("error").getAsString() : null;
        if (ErrorCodes.INVALID_SESSION.equals(code)) {
            reason = "your session has ended or expired; log on again (chat logon USER)";
        }
        throw new CliException(ExitCode.REFUSED, reason, code, retryAfter);
    }

    /** Retry-After counts only on the answers that mean "later" (RFC 9110 gives it to 429 and 503, and 3xx). */
    private static Duration retryAfter(Response response) {
        if (response.code() != 429 && response.code() != 503) {
            return null;
        }
        return RetryAfter.fromHeader(response.header("Retry-After"));
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
