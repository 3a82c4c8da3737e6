package chat.server;

import chat.api.CallTable;
import chat.api.Json;
import chat.api.Outcome;
import chat.api.Where;
import chat.client.Client;
import chat.error.ChatError;
import chat.metrics.BuildInfo;
import chat.ws.SocketEndpoint;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The whole HTTP API in one table: the seven calls, /health, /ready and /ws, each with the methods it answers and
 * where it runs; anything else is a 404 whose reason lists the table, but for a GET or HEAD of the browser page's
 * own files ({@link WebPage}, unless --web false). A call's path through here: route, check the
 * method, read the body (BodyCollector keeps its size), parse it, answer where the call runs ({@link CallTable}).
 */
final class Routes implements HttpHandler {
    /** Checks that the server can answer calls now; throws a ChatException (STORE_UNAVAILABLE) when not. */
    @FunctionalInterface
    interface ReadinessCheck {
        void check();
    }

    /** What answers a path other than a call's: by itself, or by throwing the ChatException to answer with. */
    @FunctionalInterface
    private interface Answer {
        void answer(HttpServerExchange exchange);
    }

    /**
     * One path of the API.
     *
     * @param methods what it answers; empty when the handler itself tells requests apart (the WebSocket handshake)
     * @param usage   how a wrong method is told what to do ("is called with POST")
     * @param shown   how the 404 reason lists it ("POST /post"), and the log names it
     * @param where   where it runs (a call reads its body first, on the IO thread, then runs where the call runs)
     */
    private record Entry(List<HttpString> methods, String usage, String shown, Where where, Answer answer) {
        boolean allows(HttpString method) {
            return methods.isEmpty() || methods.contains(method);
        }
    }

    private static final List<HttpString> POST = List.of(Methods.POST);
    private static final List<HttpString> READ = List.of(Methods.GET, Methods.HEAD);
    /** A post's idempotency key (spec post/5), as draft-ietf-httpapi-idempotency-key-header names it. */
    private static final HttpString IDEMPOTENCY_KEY = HttpString.tryFromString("Idempotency-Key");

    private final Map<String, Entry> table = new LinkedHashMap<>();
    private final String knownPaths;
    private final long maxBodyBytes;
    private final AnswerWriter answers;
    private final Duration bodyTimeout;
    private final RequestClients clients;
    private final Refusals refusals;
    private final WebPage web; // null with --web false

    /**
     * @param bodyTimeout how long a body may take to arrive once its headers are in
     * @param storeWork where the store is asked outside a call (/ready, the WebSocket handshake)
     * @param sockets   the WebSocket endpoint, which answers /ws
     * @param answers   writes the calls' answers, within the bounds for slow readers
     * @param clients   who makes each request: what its rate limits are counted under
     * @param refusals  what answers a request outside any call (and counts it)
     * @param web       the browser page's files, or null when it is off
     */
    Routes(CallTable calls, long maxBodyBytes, Duration bodyTimeout, ReadinessCheck readiness, Where storeWork,
           SocketEndpoint sockets, AnswerWriter answers, RequestClients clients, Refusals refusals, WebPage web) {
        this.web = web;
        this.clients = clients;
        this.refusals = refusals;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyTimeout = bodyTimeout;
        this.answers = answers;
        for (CallTable.Route route : calls.all()) {
            add("/" + route.name(), POST, "is called with POST", route.overHttp(), Where.IO_THREAD,
                    exchange -> answerCall(exchange, route));
        }
        // Alive: the process answers, whatever its store does.
        add("/health", READ, "is read with GET", "GET /health", Where.IO_THREAD,
                exchange -> Responses.send(exchange, 200, Json.HEALTHY));
        // What is running: for an operator, and for a deployment that checks it rolled out what it meant to.
        BuildInfo build = BuildInfo.read();
        byte[] version = Json.version(build.version(), build.commit());
        add("/version", READ, "is read with GET", "GET /version", Where.IO_THREAD,
                exchange -> Responses.send(exchange, 200, version));
        // Ready: the store answers, so calls can succeed, and (on Redis) this replica hears every new message, so its
        // sockets miss none. For a load balancer's health check.
        add("/ready", READ, "is read with GET", "GET /ready", storeWork, exchange -> {
            readiness.check();
            Responses.send(exchange, 200, Json.READY);
        });
        add(SocketEndpoint.PATH, List.of(), null, "GET " + SocketEndpoint.PATH + " (WebSocket)", storeWork,
                exchange -> sockets.handshake(exchange, clients.of(exchange), RequestIds.of(exchange)));
        this.knownPaths = table.values().stream().map(Entry::shown).collect(Collectors.joining(", "));
    }

    private void add(String path, List<HttpString> methods, String usage, String shown, Where where, Answer answer) {
        table.put(path, new Entry(methods, usage, shown, where, answer));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        Entry entry = table.get(path);
        if (web != null && web.serves(exchange)) {
            refusals.run(exchange, "GET " + path, () -> web.send(exchange));
        } else if (entry == null) {
            String shown = path.length() > 100 ? path.substring(0, 100) + "..." : path;
            refusals.send(exchange, ChatError.UNKNOWN_CALL.exception("no call at " + shown + "; the calls are " + knownPaths));
        } else if (!entry.allows(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW,
                    entry.methods().stream().map(HttpString::toString).collect(Collectors.joining(", ")));
            refusals.send(exchange, ChatError.METHOD_NOT_ALLOWED.exception(
                    exchange.getRequestPath() + " " + entry.usage() + ", not " + exchange.getRequestMethod()));
        } else if (entry.where().isIoThread()) {
            refusals.run(exchange, entry.shown(), () -> entry.answer().answer(exchange));
        } else {
            exchange.dispatch(entry.where().pool(), () -> refusals.run(exchange, entry.shown(),
                    () -> entry.answer().answer(exchange)));
        }
    }

    private void answerCall(HttpServerExchange exchange, CallTable.Route route) {
        Client client = clients.of(exchange);
        // A lookup in the parsed headers: no allocation, and null (nothing more done) for a request without one.
        String idempotencyKey = exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY);
        BodyCollector.collect(exchange, maxBodyBytes, bodyTimeout, refusals, (ex, bytes) -> {
            if (route.where().isIoThread()) {
                answers.send(ex, route.answerHttp(bytes, idempotencyKey, client, RequestIds.of(ex)));
            } else if (route.where().isBounded()) {
                QueuedExchange queued = new QueuedExchange(ex, route, bytes, client, answers);
                ex.dispatch(SameThreadExecutor.INSTANCE, () -> route.where().bounded().submit(queued));
            } else {
                ex.dispatch(route.where().pool(), () -> answerFromPool(ex, route, bytes, idempotencyKey, client));
            }
        });
    }

    /**
     * Computes the answer here, on a pool thread, and writes it on the connection's IO thread. Undertow finishes
     * an exchange completed off the IO thread with a hand-over during which the IO thread busy-waits if the
     * client's next request is already there; with many pool threads on few cores that wait lasted whole
     * scheduler slices and took most of the CPU (BENCHMARKS.md, "Redis store").
     */
    private void answerFromPool(HttpServerExchange exchange, CallTable.Route route, byte[] bytes,
                                String idempotencyKey, Client client) {
        Outcome<byte[]> outcome = route.answerHttp(bytes, idempotencyKey, client, RequestIds.of(exchange));
        exchange.getIoThread().execute(() -> answers.send(exchange, outcome));
    }
}
