package chat.config;

import java.time.Duration;
import java.util.List;

/**
 * Every setting of the server, each declared once: flag, environment variable, default, meaning, type and the
 * values it allows. Grouped by area, in the order of {@code --help} and of the README's configuration table
 * (ReadmeSettingsTest compares the two with this list). To add a setting: declare it in its group, add it to
 * {@link #ALL}, read it with {@code config.get(Settings.X)}, and add its row to the README (the test prints it).
 */
public final class Settings {
    private Settings() {
    }

    // HTTP and connections

    public static final Setting<String> HOST = Setting.ofText("--host", "CHAT_HOST", "127.0.0.1",
                    "address to bind; `0.0.0.0` for every interface")
            .requires(host -> !host.isBlank(), host -> "host must not be empty");

    public static final Setting<Integer> PORT = Setting.ofInt("--port", "CHAT_PORT", "8080",
                    "port; `0` picks a free one")
            .requires(port -> port >= 0 && port <= 65535, port -> "port must be 0 to 65535, got " + port);

    public static final Setting<Integer> MAX_CONNECTIONS = Setting.ofInt("--max-connections", "CHAT_MAX_CONNECTIONS",
                    "10000", "open connections; more wait in the accept backlog")
            .requires(max -> max >= 1, max -> "max connections must be at least 1, got " + max);

    public static final Setting<Integer> MAX_BODY = Setting.ofInt("--max-body", "CHAT_MAX_BODY", "65536",
                    "bytes in one request body")
            .requires(max -> max >= 256, max -> "max body bytes must be at least 256, got " + max);

    public static final Setting<Duration> REQUEST_TIMEOUT = Setting.ofDuration("--request-timeout",
                    "CHAT_REQUEST_TIMEOUT", "10s", "longest time to receive a request's headers")
            .requires(Settings::isPositive, timeout -> "request timeout must be positive");

    public static final Setting<Duration> IDLE_CONNECTION_TIMEOUT = Setting.ofDuration("--idle-connection-timeout",
                    "CHAT_IDLE_CONNECTION_TIMEOUT", "5m",
                    "a connection from which nothing is read this long (idle, or stalled mid-request) is closed")
            .requires(Settings::isPositive, timeout -> "idle connection timeout must be positive");

    public static final Setting<Duration> WRITE_TIMEOUT = Setting.ofDuration("--write-timeout", "CHAT_WRITE_TIMEOUT",
                    "30s", "an HTTP answer that has not drained to its client this long after it stalled: the "
                            + "connection is closed")
            .requires(Settings::isPositive, timeout -> "write timeout must be positive");

    public static final Setting<Long> MAX_UNSENT = Setting.ofBytes("--max-unsent", "CHAT_MAX_UNSENT", "64m",
                    "bytes of answers waiting for slow readers, all connections together (an answer shared by "
                            + "many counts once); a large answer past it is refused with 503 `SERVER_BUSY`")
            .requires(max -> max >= 65536, max -> "max unsent bytes must be at least 64k, got " + max);

    public static final Setting<Duration> BODY_TIMEOUT = Setting.ofDuration("--body-timeout", "CHAT_BODY_TIMEOUT",
                    "30s", "longest time to receive a request's body once its headers are in (at most `60s`); past "
                            + "it: 408 `BODY_TIMEOUT`, connection closed")
            .requires(timeout -> isPositive(timeout) && timeout.compareTo(Duration.ofSeconds(60)) <= 0,
                    timeout -> "body timeout must be positive and at most 60s, got " + timeout);

    // Clients: who is one, and what one may hold (README, "Who is a client")

    public static final Setting<String> TRUSTED_PROXIES = Setting.ofText("--trusted-proxies", "CHAT_TRUSTED_PROXIES",
                    "", "proxies whose `X-Forwarded-For` is believed, as `CIDR[,CIDR...]` (e.g. `127.0.0.1/32`); "
                            + "empty: the header is ignored. Exempt from the connections-per-address bound")
            .requires(ranges -> isAddressRanges("trusted proxies", ranges), ranges -> "");

    public static final Setting<String> CLIENT_LIMIT_EXEMPT = Setting.ofText("--client-limit-exempt",
                    "CHAT_CLIENT_LIMIT_EXEMPT", "127.0.0.1,::1",
                    "addresses or CIDRs exempt from every per-client bound (local tools, benchmarks); empty: none")
            .requires(ranges -> isAddressRanges("client limit exempt", ranges), ranges -> "");

    public static final Setting<Integer> MAX_CLIENT_CONNECTIONS = Setting.ofInt("--max-client-connections",
                    "CHAT_MAX_CLIENT_CONNECTIONS", "128",
                    "open connections from one client address (IPv6: one /64), counted as they are accepted; "
                            + "more are answered 429 `TOO_MANY_CONNECTIONS` and closed")
            .requires(max -> max >= 1, max -> "max client connections must be at least 1, got " + max);

    // Rate limits: token buckets, BURST,INTERVAL or off (README, "Rate limits", has why each default is what it is)

    public static final Setting<Rate> RATE_CALLS = Setting.ofRate("--rate-calls", "CHAT_RATE_CALLS", "300,50ms",
            "calls per session, HTTP and WebSocket together: a burst, then one more every interval; past it 429 "
                    + "`RATE_LIMITED`. Exempt addresses skip it");

    public static final Setting<Rate> RATE_POSTS = Setting.ofRate("--rate-posts", "CHAT_RATE_POSTS", "30,1s",
            "posts per session (on top of `--rate-calls`). Exempt addresses skip it");

    public static final Setting<Rate> RATE_LOGONS = Setting.ofRate("--rate-logons", "CHAT_RATE_LOGONS", "30,6s",
            "logons per client address. Exempt addresses skip it");

    public static final Setting<Rate> RATE_REGISTRATIONS = Setting.ofRate("--rate-registrations",
            "CHAT_RATE_REGISTRATIONS", "10,6m", "registrations of new users per client address. Exempt addresses "
                    + "skip it");

    public static final Setting<Rate> RATE_FAILED_LOGONS = Setting.ofRate("--rate-failed-logons",
            "CHAT_RATE_FAILED_LOGONS", "20,1m", "wrong passwords per username and client address; every address, "
                    + "exempt ones too");

    public static final Setting<Rate> RATE_FAILED_LOGONS_USER = Setting.ofRate("--rate-failed-logons-user",
            "CHAT_RATE_FAILED_LOGONS_USER", "100,30s", "wrong passwords per username, from all addresses together; "
                    + "every address, exempt ones too");

    public static final Setting<Rate> RATE_FAILED_LOGONS_CLIENT = Setting.ofRate("--rate-failed-logons-client",
            "CHAT_RATE_FAILED_LOGONS_CLIENT", "50,1m", "wrong passwords per client address, for all usernames "
                    + "together. Exempt addresses skip it");

    public static final Setting<Integer> RATE_LIMIT_KEYS = Setting.ofInt("--rate-limit-keys", "CHAT_RATE_LIMIT_KEYS",
                    "100000", "addresses, usernames or pairs one in-memory rate limit tracks at once (a bucket is "
                            + "forgotten once full again); past it a new logon is refused `RATE_LIMITED`, calls go on")
            .requires(max -> max >= 100, max -> "rate limit keys must be at least 100, got " + max);

    // The store

    public static final Setting<String> STORE = Setting.ofText("--store", "CHAT_STORE", "memory",
                    "where state lives: `memory` (gone when the process stops), or "
                            + "`redis://[:password@]host[:port][/db]`, shared by every replica pointed at it")
            .requires(Settings::isStore,
                    store -> "store must be \"memory\" or a redis://host:port[/db] URL, got \"" + store + "\"");

    public static final Setting<Duration> STORE_TIMEOUT = Setting.ofDuration("--store-timeout", "CHAT_STORE_TIMEOUT",
                    "1s", "with Redis: the longest one call to it may take (pool wait and connect included); past "
                            + "it the call fails with 503 `STORE_UNAVAILABLE`")
            .requires(Settings::isPositive, timeout -> "store timeout must be positive");

    public static final Setting<Integer> STORE_CONNECTIONS = Setting.ofInt("--store-connections",
                    "CHAT_STORE_CONNECTIONS", "8",
                    "with Redis: connections to it, and threads that call it (8 did best on 2 cores: BENCHMARKS.md)")
            .requires(count -> count >= 1 && count <= 1024,
                    count -> "store connections must be 1 to 1024, got " + count);

    // Sessions and users

    public static final Setting<Duration> SESSION_IDLE = Setting.ofDuration("--session-idle", "CHAT_SESSION_IDLE",
                    "30m", "a session unused this long expires (`500ms`, `10s`, `30m`, `2h`, `PT30M`); an open WebSocket counts as use")
            .requires(Settings::isPositive, timeout -> "session idle timeout must be positive");

    public static final Setting<Integer> BCRYPT_COST = Setting.ofInt("--bcrypt-cost", "CHAT_BCRYPT_COST", "10",
                    "bcrypt work factor (4-31); each step doubles the cost of a logon")
            .requires(cost -> cost >= 4 && cost <= 31, cost -> "bcrypt cost must be 4 to 31, got " + cost);

    public static final Setting<Long> MAX_USERS = Setting.ofLong("--max-users", "CHAT_MAX_USERS", "1000000",
                    "registered usernames")
            .requires(max -> max >= 1, max -> "max users must be at least 1, got " + max);

    public static final Setting<Long> MAX_SESSIONS = Setting.ofLong("--max-sessions", "CHAT_MAX_SESSIONS", "1000000",
                    "live sessions")
            .requires(max -> max >= 1, max -> "max sessions must be at least 1, got " + max);

    // Messages and channels

    public static final Setting<Integer> WINDOW = Setting.ofInt("--window", "CHAT_WINDOW", "100",
                    "messages kept per channel")
            .requires(size -> size >= 1 && size <= 100_000, size -> "window size must be 1 to 100000, got " + size);

    public static final Setting<Integer> MAX_MESSAGE = Setting.ofInt("--max-message", "CHAT_MAX_MESSAGE", "4096",
                    "characters in one message")
            .requires(max -> max >= 1, max -> "max message length must be at least 1, got " + max);

    public static final Setting<Long> MAX_CHANNELS = Setting.ofLong("--max-channels", "CHAT_MAX_CHANNELS", "10000",
                    "channels")
            .requires(max -> max >= 1, max -> "max channels must be at least 1, got " + max);

    public static final Setting<Long> MEMORY_BUDGET = Setting.ofBytes("--memory-budget", "CHAT_MEMORY_BUDGET", "0",
                    "in memory: bytes the kept messages, channels and idempotency keys may take (`256m`, `1g`); past it a post or "
                            + "create fails with `LIMIT_REACHED`; `0` is half of the heap")
            .requires(budget -> budget == 0 || budget >= 65536,
                    budget -> "memory budget must be 0 (half of the heap) or at least 64k, got " + budget);

    public static final Setting<Duration> IDEMPOTENCY_WINDOW = Setting.ofDuration("--idempotency-window",
                    "CHAT_IDEMPOTENCY_WINDOW", "5m",
                    "how long a post's `Idempotency-Key` is remembered: a repeat within it is answered as the first "
                            + "was, without posting again")
            .requires(window -> isPositive(window) && window.compareTo(Duration.ofHours(24)) <= 0,
                    window -> "idempotency window must be positive and at most 24h, got " + window);

    public static final Setting<Integer> IDEMPOTENCY_KEYS = Setting.ofInt("--idempotency-keys",
                    "CHAT_IDEMPOTENCY_KEYS", "1000",
                    "idempotency keys remembered per user within the window; past it the oldest is forgotten")
            .requires(max -> max >= 1 && max <= 10_000, max -> "idempotency keys must be 1 to 10000, got " + max);

    // WebSocket

    public static final Setting<Integer> WS_MAX_SUBSCRIPTIONS = Setting.ofInt("--ws-max-subscriptions",
                    "CHAT_WS_MAX_SUBSCRIPTIONS", "100", "channels one WebSocket may subscribe to")
            .requires(max -> max >= 1, max -> "WebSocket max subscriptions must be at least 1, got " + max);

    public static final Setting<Integer> WS_MAX_FRAME = Setting.ofInt("--ws-max-frame", "CHAT_WS_MAX_FRAME", "65536",
                    "bytes in one incoming WebSocket message (over it: close 1009)")
            .requires(max -> max >= 256, max -> "WebSocket max frame must be at least 256 bytes, got " + max);

    public static final Setting<Integer> WS_QUEUE_EVENTS = Setting.ofInt("--ws-queue-events", "CHAT_WS_QUEUE_EVENTS",
                    "1000", "frames that may wait for one socket before it is closed as too slow (1013)")
            .requires(max -> max >= 1, max -> "WebSocket queue events must be at least 1, got " + max);

    public static final Setting<Long> WS_QUEUE_BYTES = Setting.ofLong("--ws-queue-bytes", "CHAT_WS_QUEUE_BYTES",
                    "1048576", "bytes that may wait likewise")
            .requires(max -> max >= 1024, max -> "WebSocket queue bytes must be at least 1024, got " + max);

    public static final Setting<Duration> WS_PING = Setting.ofDuration("--ws-ping", "CHAT_WS_PING", "30s",
                    "how often each WebSocket is pinged")
            .requires(Settings::isPositive, interval -> "WebSocket ping interval must be positive");

    public static final Setting<Duration> WS_SILENCE = Setting.ofDuration("--ws-silence", "CHAT_WS_SILENCE", "90s",
                    "a WebSocket from which nothing comes this long is closed (1001)")
            .requires(Settings::isPositive, timeout -> "WebSocket silence timeout must be positive");

    public static final Setting<Duration> WS_CLOSE_TIMEOUT = Setting.ofDuration("--ws-close-timeout",
                    "CHAT_WS_CLOSE_TIMEOUT", "5s",
                    "a WebSocket the server closes (too slow, silent, ...) is dropped this long after, if its client "
                            + "has not answered the close (at most `10s`)")
            .requires(timeout -> isPositive(timeout) && timeout.compareTo(Duration.ofSeconds(10)) <= 0,
                    timeout -> "WebSocket close timeout must be positive and at most 10s, got " + timeout);

    public static final Setting<Integer> WS_MAX_PER_SESSION = Setting.ofInt("--ws-max-per-session",
                    "CHAT_WS_MAX_PER_SESSION", "16", "WebSockets open at once on one session (exempt clients: no bound)")
            .requires(max -> max >= 1, max -> "WebSocket max per session must be at least 1, got " + max);

    public static final Setting<Integer> WS_MAX_PER_CLIENT = Setting.ofInt("--ws-max-per-client",
                    "CHAT_WS_MAX_PER_CLIENT", "64", "WebSockets open at once from one client address (likewise)")
            .requires(max -> max >= 1, max -> "WebSocket max per client must be at least 1, got " + max);

    // Threads and shutdown

    public static final Setting<Integer> IO_THREADS = Setting.ofInt("--io-threads", "CHAT_IO_THREADS", "0",
                    "threads that read requests and answer the in-memory calls; `0` is one per core")
            .requires(count -> count >= 0, count -> "io threads must be 0 (one per core) or more, got " + count);

    public static final Setting<Integer> HASH_THREADS = Setting.ofInt("--hash-threads", "CHAT_HASH_THREADS", "0",
                    "threads that hash passwords (logon); `0` is one per core")
            .requires(count -> count >= 0, count -> "hash threads must be 0 (one per core) or more, got " + count);

    public static final Setting<Integer> LOGON_QUEUE = Setting.ofInt("--logon-queue", "CHAT_LOGON_QUEUE", "512",
                    "logons that may wait for a hash thread; past it a logon is answered 503 `SERVER_BUSY` with "
                            + "`Retry-After` at once")
            .requires(max -> max >= 64, max -> "logon queue must be at least 64, got " + max);

    public static final Setting<Duration> LOGON_WAIT = Setting.ofDuration("--logon-wait", "CHAT_LOGON_WAIT", "60s",
                    "a logon that waited this long for a hash thread is answered `SERVER_BUSY` without hashing")
            .requires(Settings::isPositive, wait -> "logon wait must be positive");

    public static final Setting<Duration> SHUTDOWN_TIMEOUT = Setting.ofDuration("--shutdown-timeout",
                    "CHAT_SHUTDOWN_TIMEOUT", "10s", "on SIGTERM, how long requests in flight may take to finish")
            .requires(timeout -> !timeout.isNegative(), timeout -> "shutdown timeout must not be negative");

    // Logs (README, "Logs and request ids")

    public static final Setting<String> LOG_FORMAT = Setting.ofText("--log-format", "CHAT_LOG_FORMAT", "text",
                    "`text`, or `json`: one JSON object a line (time, level, logger, instance, request_id, call, "
                            + "message)")
            .requires(format -> format.equals("text") || format.equals("json"),
                    format -> "log format must be text or json, got " + format);

    public static final Setting<String> LOG_LEVEL = Setting.ofText("--log-level", "CHAT_LOG_LEVEL", "info",
                    "`error`, `warn`, `info` or `debug` (each call's failure, with its reason)")
            .requires(level -> List.of("error", "warn", "info", "debug").contains(level),
                    level -> "log level must be error, warn, info or debug, got " + level);

    public static final Setting<String> INSTANCE = Setting.ofText("--instance", "CHAT_INSTANCE", "",
                    "this server's name in every log line; empty: the host name and port")
            .requires(name -> name.length() <= 64 && name.chars().allMatch(c -> c > 0x20 && c < 0x7f),
                    name -> "instance must be at most 64 printable ASCII characters without spaces, got \""
                            + name + "\"");

    public static final Setting<String> ACCESS_LOG = Setting.ofText("--access-log", "CHAT_ACCESS_LOG", "",
                    "a line per HTTP request (in `--log-format`) to this file, `-` for standard output; empty: none")
            .requires(path -> true, path -> "");

    // Metrics

    public static final Setting<String> METRICS_LISTEN = Setting.ofText("--metrics-listen", "CHAT_METRICS_LISTEN", "",
                    "`HOST:PORT` of a listener of its own serving `GET /metrics` (Prometheus text format, OpenMetrics "
                            + "when asked); empty: no metrics, and none are counted")
            .requires(listen -> listen.isEmpty() || isListenAddress(listen), listen -> "");

    // The browser page and other web clients (README, "In a browser")

    public static final Setting<Boolean> WEB = Setting.ofBoolean("--web", "CHAT_WEB", "true",
                    "serve the chat page at `GET /` (and its few files); `false`: every path answers as a call would");

    public static final Setting<String> CORS_ORIGINS = Setting.ofText("--cors-origins", "CHAT_CORS_ORIGINS", "",
                    "web origins other than the server's own allowed to call it from a browser, as "
                            + "`ORIGIN[,ORIGIN...]` (e.g. `https://chat.example.org`); empty: none (no CORS headers, "
                            + "preflights answered as any unknown method)")
            .requires(origins -> isOrigins(origins), origins -> "");

    // Presence: who is in a channel, and joins and leaves (spec 9.1)

    public static final Setting<Boolean> PRESENCE = Setting.ofBoolean("--presence", "CHAT_PRESENCE", "true",
                    "say who is in each channel (`who`) and send join and leave events; `false`: `who` is an unknown "
                            + "call and no such event is sent");

    public static final Setting<Duration> PRESENCE_GRACE = Setting.ofDuration("--presence-grace",
                    "CHAT_PRESENCE_GRACE", "10s",
                    "a user whose last subscription to a channel ended is still present this long: back within it "
                            + "(a reconnect, here or on another replica) is neither a leave nor a join")
            .requires(Settings::isPositive, grace -> "presence grace must be positive");

    public static final Setting<Duration> PRESENCE_EXPIRY = Setting.ofDuration("--presence-expiry",
                    "CHAT_PRESENCE_EXPIRY", "30s",
                    "with Redis: a replica refreshes its users' presence every third of this; the users of one that "
                            + "stopped doing so (killed) leave within it")
            .requires(expiry -> expiry.toMillis() >= 300, expiry -> "presence expiry must be at least 300ms, got "
                    + expiry);

    public static final Setting<Integer> PRESENCE_MAX_EVENTS = Setting.ofInt("--presence-max-events",
                    "CHAT_PRESENCE_MAX_EVENTS", "100",
                    "joins and leaves are sent only while the channel has at most this many present users (above, "
                            + "clients ask `who`); `0`: never")
            .requires(max -> max >= 0, max -> "presence max events must be 0 or more, got " + max);

    /** Every setting, in the order above. */
    public static final List<Setting<?>> ALL = List.of(
            HOST, PORT, MAX_CONNECTIONS, MAX_BODY, REQUEST_TIMEOUT, IDLE_CONNECTION_TIMEOUT, BODY_TIMEOUT,
            WRITE_TIMEOUT, MAX_UNSENT, TRUSTED_PROXIES, CLIENT_LIMIT_EXEMPT, MAX_CLIENT_CONNECTIONS,
            RATE_CALLS, RATE_POSTS, RATE_LOGONS, RATE_REGISTRATIONS, RATE_FAILED_LOGONS, RATE_FAILED_LOGONS_USER,
            RATE_FAILED_LOGONS_CLIENT, RATE_LIMIT_KEYS,
            STORE, STORE_TIMEOUT, STORE_CONNECTIONS,
            SESSION_IDLE, BCRYPT_COST, MAX_USERS, MAX_SESSIONS,
            WINDOW, MAX_MESSAGE, MAX_CHANNELS, MEMORY_BUDGET, IDEMPOTENCY_WINDOW, IDEMPOTENCY_KEYS,
            WS_MAX_SUBSCRIPTIONS, WS_MAX_FRAME, WS_QUEUE_EVENTS, WS_QUEUE_BYTES, WS_PING, WS_SILENCE, WS_CLOSE_TIMEOUT,
            WS_MAX_PER_SESSION, WS_MAX_PER_CLIENT,
            IO_THREADS, HASH_THREADS, LOGON_QUEUE, LOGON_WAIT, SHUTDOWN_TIMEOUT,
            LOG_FORMAT, LOG_LEVEL, INSTANCE, ACCESS_LOG, METRICS_LISTEN,
            WEB, CORS_ORIGINS,
            PRESENCE, PRESENCE_GRACE, PRESENCE_EXPIRY, PRESENCE_MAX_EVENTS);

    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    /** A comma-separated list of CIDRs (or none); a malformed one throws with AddressRange's reason. */
    private static boolean isAddressRanges(String what, String ranges) {
        try {
            AddressRange.parseList(ranges);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " must be CIDR[,CIDR...]: " + e.getMessage());
        }
        return true;
    }

    /** A comma-separated list of web origins (or none); a malformed one throws with WebOrigins's reason. */
    private static boolean isOrigins(String origins) {
        WebOrigins.parseList(origins);
        return true;
    }

    /** HOST:PORT; a malformed one throws with ListenAddress's reason. */
    private static boolean isListenAddress(String listen) {
        try {
            ListenAddress.parse(listen);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metrics listen " + e.getMessage());
        }
        return true;
    }

    /** "memory", or a well-formed redis:// URL; a malformed one throws with RedisAddress's reason. */
    private static boolean isStore(String store) {
        if (store.startsWith("redis://")) {
            RedisAddress.parse(store);
            return true;
        }
        return "memory".equals(store);
    }
}
