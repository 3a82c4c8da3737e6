package chat.interop;

import com.google.gson.Gson;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

import javax.net.SocketFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The suite's only way to the server: plain HTTP requests, each with a timeout. It remembers the last exchange
 * of each thread, so a failing case can show what it sent and what came back. Names it makes are unique to the
 * run, so the suite can run again and again against one long-lived server.
 */
public final class Wire implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Gson GSON = new Gson();
    private static final int SHOWN = 600;

    private final String base;
    private final Duration requestTimeout;
    private final SocketFactory sockets;
    private final OkHttpClient http;
    private final String runTag;
    private final AtomicInteger names = new AtomicInteger();
    private final ThreadLocal<String> lastExchange = new ThreadLocal<>();

    public Wire(String baseUrl, Duration requestTimeout) {
        this(baseUrl, requestTimeout, SocketFactory.getDefault());
    }

    private Wire(String baseUrl, Duration requestTimeout, SocketFactory sockets) {
        this.base = baseUrl.replaceAll("/+$", "");
        this.requestTimeout = requestTimeout;
        this.sockets = sockets;
        this.http = new OkHttpClient.Builder()
                .callTimeout(requestTimeout)
                .retryOnConnectionFailure(false)
                .socketFactory(sockets)
                .build();
        byte[] tag = new byte[4];
        new SecureRandom().nextBytes(tag);
        this.runTag = HexFormat.of().formatHex(tag);
    }

    public String baseUrl() {
        return base;
    }

    /**
     * A wire to the same server whose connections are made by {@code sockets} (e.g. bound to another local address:
     * {@link SecondAddress}), with names of its own; close it after use.
     */
    Wire withSockets(SocketFactory sockets) {
        return new Wire(base, requestTimeout, sockets);
    }

    /** What makes this wire's connections, for a WebSocket that must come from the same client. */
    SocketFactory sockets() {
        return sockets;
    }

    /** POST /call with this exact body text. */
    public Answer post(String call, String body) {
        return send("POST", "/" + call, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** POST /call with a JSON object made of name/value pairs, in order: post("list", "sesskey", 5). */
    public Answer call(String call, Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return post(call, GSON.toJson(fields));
    }

    /** Like {@link #call}, with one request header more: callWithHeader("post", "Idempotency-Key", "k", ...). */
    public Answer callWithHeader(String call, String header, String value, Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        byte[] body = GSON.toJson(fields).getBytes(StandardCharsets.UTF_8);
        return execute(new Request.Builder().url(base + "/" + call).header(header, value)
                        .post(RequestBody.create(body, JSON)).build(),
                "POST /" + call + " (" + header + ": " + value + ") " + describe(body));
    }

    /** Any request: method, path, body (null for none) and its content type. */
    public Answer send(String method, String path, byte[] body, String contentType) {
        RequestBody requestBody = body == null ? null : RequestBody.create(body, MediaType.get(contentType));
        return execute(new Request.Builder().url(base + path).method(method, requestBody).build(),
                method + " " + path + " " + describe(body));
    }

    /** POST with a chunked body (no Content-Length). */
    public Answer sendChunked(String path, byte[] body) {
        RequestBody chunked = new RequestBody() {
            @Override
            public MediaType contentType() {
                return JSON;
            }

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.write(body);
            }
        };
        return execute(new Request.Builder().url(base + path).post(chunked).build(),
                "POST " + path + " (chunked) " + describe(body));
    }

    private Answer execute(Request request, String shown) {
        lastExchange.set("sent: " + shown + "\n      received: (nothing yet)");
        try (Response response = http.newCall(request).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            Answer answer = new Answer(response.code(), response.header("Content-Type"), response.header("Allow"), text,
                    headersOf(response));
            lastExchange.set("sent: " + shown + "\n      received: HTTP " + response.code() + " " + abbreviate(text));
            return answer;
        } catch (IOException e) {
            lastExchange.set("sent: " + shown + "\n      received: no answer (" + e + ")");
            throw new CaseFailed("no answer from " + base + request.url().encodedPath() + ": " + e.getMessage());
        }
    }

    private static Map<String, String> headersOf(Response response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : response.headers().names()) {
            headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", response.headers(name)));
        }
        return headers;
    }

    /** The last request this thread sent and what came back, for failure reports. */
    public String lastExchange() {
        return lastExchange.get();
    }

    void forgetExchange() {
        lastExchange.remove();
    }

    /** A username unique to this run (at most 32 characters). */
    public String newName(String prefix) {
        return prefix + "-" + runTag + "-" + names.incrementAndGet();
    }

    /** Logs on; fails the case when that does not work. */
    public long logon(String username, String password) {
        Answer answer = call("logon", "username", username, "password", password);
        if (!answer.isEnvelope() || !answer.status() || !answer.data().isJsonPrimitive()
                || !answer.data().getAsJsonPrimitive().isNumber()) {
            throw new CaseSkipped("logon does not work, so this case cannot run: " + abbreviate(answer.body()));
        }
        return answer.data().getAsLong();
    }

    /** A new user's session. */
    public long newSession() {
        return logon(newName("u"), "pw-" + runTag);
    }

    /** A new channel, created with this key. */
    public String newChannel(long sesskey) {
        String channel = newName("c");
        Answer answer = call("create", "sesskey", sesskey, "channel", channel);
        if (!answer.isEnvelope() || !answer.status()) {
            throw new CaseSkipped("create does not work, so this case cannot run: " + abbreviate(answer.body()));
        }
        return channel;
    }

    /** Posts; fails the case when the post fails. */
    public void postMessage(long sesskey, String channel, String message) {
        Answer answer = call("post", "sesskey", sesskey, "channel", channel, "message", message);
        if (!answer.isEnvelope() || !answer.status()) {
            throw new CaseFailed("post failed: " + abbreviate(answer.body()));
        }
    }

    private static String describe(byte[] body) {
        if (body == null) {
            return "(no body)";
        }
        return abbreviate(new String(body, StandardCharsets.UTF_8));
    }

    static String abbreviate(String text) {
        return text.length() <= SHOWN ? text
                : text.substring(0, SHOWN) + "... (" + text.length() + " characters)";
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
