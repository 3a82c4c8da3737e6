package chat.interop;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A second, deliberately small implementation of the protocol (on the JDK's own HTTP server), with one fault
 * switched on at a time. With no fault it meets every MUST of the spec; each fault breaks exactly the
 * requirement the defect tests then expect the suite to report.
 */
final class FaultyServer implements AutoCloseable {
    enum Fault {
        NONE, WINDOW_99, WINDOW_101, KEY_AS_STRING, SEQUENTIAL_KEYS, LOGOFF_KEEPS_KEY, RETRIEVE_OFF_BY_ONE,
        UNLOCKED_IDS, UNLOCKED_CREATE, FAILURE_WITHOUT_ENVELOPE,
        /** Messages without their username: retrieve/1 must fail it, extra fields or not. */
        MESSAGE_WITHOUT_USERNAME,
        /** The messageid as a string: retrieve/1 must fail it. */
        MESSAGE_ID_AS_STRING,
        /** A field the spec does not name, beside the three: clients ignore it, and so does retrieve/1. */
        MESSAGE_WITH_EXTRA_FIELD,
        /** A "time" in seconds as a string: retrieve/9 must fail it. */
        TIME_AS_STRING,
        /** A "time" that goes back as ids go up: retrieve/9 must fail it. */
        TIME_GOING_BACK
    }

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final int MAX_BODY = 64 * 1024;

    private final Fault fault;
    private final long startedAt = System.currentTimeMillis();
    private final int window;
    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong sequentialKeys = new AtomicLong(1000);
    private final Map<String, String[]> users = new ConcurrentHashMap<>(); // name -> {salt, hash}
    private final Map<Long, String> sessions = new ConcurrentHashMap<>();
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final List<String> channelOrder = new CopyOnWriteArrayList<>();
    /** For the faults with a check-then-act gap: who has reached each gap, see {@link #awaitRival}. */
    private final Map<Object, CountDownLatch> gaps = new ConcurrentHashMap<>();
    private volatile boolean collided;

    private static final class Channel {
        long lastId;
        final List<Object[]> messages = new ArrayList<>(); // {id, username, text}
    }

    /** A failure: the reason for the envelope. */
    private static final class Refusal extends RuntimeException {
        final int status;

        Refusal(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    FaultyServer(Fault fault) throws IOException {
        this.fault = fault;
        this.window = fault == Fault.WINDOW_99 ? 99 : fault == Fault.WINDOW_101 ? 101 : 100;
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        http.createContext("/", this::handle);
        http.setExecutor(threads);
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        Object reply;
        try {
            reply = answer(exchange);
        } catch (Refusal refusal) {
            status = refusal.status;
            if (fault == Fault.FAILURE_WITHOUT_ENVELOPE) {
                send(exchange, status, "text/plain", "error: " + refusal.getMessage());
                return;
            }
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("status", false);
            envelope.put("data", refusal.getMessage());
            send(exchange, status, "application/json", GSON.toJson(envelope));
            return;
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("status", true);
        envelope.put("data", reply);
        send(exchange, status, "application/json", GSON.toJson(envelope));
    }

    private Object answer(HttpExchange exchange) throws IOException {
        String call = exchange.getRequestURI().getPath().substring(1);
        if (!List.of("logon", "logoff", "list", "create", "post", "lastmessage", "retrieve").contains(call)) {
            throw new Refusal(404, "no such call");
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            throw new Refusal(405, "use POST");
        }
        JsonObject body = parse(exchange.getRequestBody());
        if (call.equals("logon")) {
            return logon(text(body, "username"), text(body, "password"));
        }
        long key = integer(body, "sesskey");
        String user = sessions.get(key);
        switch (call) {
            case "logoff" -> {
                if (user == null) {
                    throw new Refusal(200, "invalid session");
                }
                if (fault != Fault.LOGOFF_KEEPS_KEY) {
                    sessions.remove(key);
                }
                return true;
            }
            case "list" -> {
                requireSession(user);
                return channelOrder;
            }
            case "create" -> {
                String name = text(body, "channel");
                requireSession(user);
                return create(name);
            }
            default -> {
                String name = text(body, "channel");
                String message = call.equals("post") ? text(body, "message") : null;
                long first = call.equals("retrieve") ? integer(body, "first") : 0;
                long last = call.equals("retrieve") ? integer(body, "last") : 0;
                requireSession(user);
                Channel channel = channels.get(name);
                if (channel == null) {
                    throw new Refusal(200, "no such channel");
                }
                return switch (call) {
                    case "post" -> post(channel, user, message);
                    case "lastmessage" -> {
                        synchronized (channel) {
                            yield channel.lastId;
                        }
                    }
                    default -> retrieve(channel, first, last);
                };
            }
        }
    }

    private Object logon(String username, String password) {
        if (username.isEmpty() || password.isEmpty()) {
            throw new Refusal(200, "username and password must not be empty");
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        String[] fresh = {HexFormat.of().formatHex(salt), hash(HexFormat.of().formatHex(salt), password)};
        String[] account = users.putIfAbsent(username, fresh);
        account = account == null ? fresh : account;
        if (!MessageDigest.isEqual(account[1].getBytes(), hash(account[0], password).getBytes())) {
            throw new Refusal(200, "wrong password");
        }
        long key;
        do {
            key = fault == Fault.SEQUENTIAL_KEYS ? sequentialKeys.incrementAndGet() : 1 + (random.nextLong() >>> 11) % ((1L << 53) - 1);
        } while (sessions.putIfAbsent(key, username) != null);
        return fault == Fault.KEY_AS_STRING ? (Object) Long.toString(key) : (Object) key;
    }

    private Object create(String name) {
        if (fault == Fault.UNLOCKED_CREATE) {
            if (channels.containsKey(name)) {
                throw new Refusal(200, "channel exists");
            }
            awaitRival(name); // check-then-act without a lock: concurrent creates pass the check together
            channels.put(name, new Channel());
            channelOrder.add(name);
            return true;
        }
        synchronized (channels) {
            if (channels.putIfAbsent(name, new Channel()) != null) {
                throw new Refusal(200, "channel exists");
            }
            channelOrder.add(name);
        }
        return true;
    }

    private Object post(Channel channel, String user, String message) {
        if (fault == Fault.UNLOCKED_IDS) {
            long id = channel.lastId + 1; // read, wait for a rival, write: concurrent posts share ids
            awaitRival(List.of(channel, id));
            channel.lastId = id;
            synchronized (channel) {
                channel.messages.add(new Object[]{id, user, message});
                trim(channel);
            }
            return true;
        }
        synchronized (channel) {
            channel.lastId++;
            channel.messages.add(new Object[]{channel.lastId, user, message});
            trim(channel);
        }
        return true;
    }

    private void trim(Channel channel) {
        while (channel.messages.size() > window) {
            channel.messages.remove(0);
        }
    }

    private Object retrieve(Channel channel, long first, long last) {
        List<Map<String, Object>> found = new ArrayList<>();
        synchronized (channel) {
            for (Object[] message : channel.messages) {
                long id = (long) message[0];
                boolean inRange = fault == Fault.RETRIEVE_OFF_BY_ONE ? id >= first && id < last : id >= first && id <= last;
                if (inRange) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("messageid", fault == Fault.MESSAGE_ID_AS_STRING ? Long.toString(id) : id);
                    if (fault != Fault.MESSAGE_WITHOUT_USERNAME) {
                        entry.put("username", message[1]);
                    }
                    entry.put("message", message[2]);
                    switch (fault) {
                        case MESSAGE_WITH_EXTRA_FIELD -> entry.put("colour", "teal");
                        case TIME_AS_STRING -> entry.put("time", Long.toString(1_764_633_600L + id));
                        case TIME_GOING_BACK -> entry.put("time", startedAt - id * 1000); // plausible, but backwards
                        default -> { }
                    }
                    found.add(entry);
                }
            }
        }
        return found;
    }

    private static void requireSession(String user) {
        if (user == null) {
            throw new Refusal(200, "invalid session");
        }
    }

    private static JsonObject parse(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new Refusal(413, "body too large");
        }
        try {
            JsonElement json = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new Refusal(400, "body must be an object");
            }
            return json.getAsJsonObject();
        } catch (RuntimeException e) {
            if (e instanceof Refusal refusal) {
                throw refusal;
            }
            throw new Refusal(400, "malformed JSON");
        }
    }

    private static String text(JsonObject body, String field) {
        JsonElement value = body.get(field);
        if (value == null || !value.isJsonPrimitive() || !((JsonPrimitive) value).isString()) {
            throw new Refusal(200, field + " must be a string");
        }
        String text = value.getAsString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new Refusal(200, field + " has an unpaired surrogate");
            }
        }
        return text;
    }

    private static long integer(JsonObject body, String field) {
        JsonElement value = body.get(field);
        if (value == null || !value.isJsonPrimitive() || !((JsonPrimitive) value).isNumber()) {
            throw new Refusal(200, field + " must be an integer");
        }
        String literal = value.getAsNumber().toString();
        if (!literal.matches("-?[0-9]+")) {
            throw new Refusal(200, field + " must be an integer");
        }
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            throw new Refusal(200, field + " is beyond 64 bits");
        }
    }

    private static String hash(String salt, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((salt + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Holds a request in its check-then-act gap until a second request has reached the same gap (or a second has
     * passed), so that concurrent requests collide however the machine schedules them and the suite must report
     * the fault on every run. Once two have collided, the fault has shown and later requests pass without waiting.
     */
    private void awaitRival(Object gap) {
        if (collided) {
            return;
        }
        CountDownLatch pair = gaps.computeIfAbsent(gap, g -> new CountDownLatch(2));
        pair.countDown();
        try {
            if (pair.await(1, TimeUnit.SECONDS)) {
                collided = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
