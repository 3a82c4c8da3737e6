package chat.server;

import chat.error.ChatError;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * The whole HTTP API in one table: the seven calls, /health, /ready and /ws, each with the methods it answers;
 * anything else is a 404 whose reason lists the table. A call's path through here: route, check the method, read
 * the body (BodyCollector keeps its size), parse it, answer where the call runs ({@link CallTable}).
 */
final class Routes implements HttpHandler {
    /** Checks that the server can answer calls now; throws a ChatException (STORE_UNAVAILABLE) when not. */
    @FunctionalInterface
    interface ReadinessCheck {
        void check();
    }

    /**
     * One path of the API.
     *
     * @param methods what it answers; empty when the handler itself tells requests apart (the WebSocket handshake)
     * @param usage   how a wrong method is told what to do ("is called with POST")
     * @param shown   how the 404 reason lists it ("POST /post")
     */
    private record Entry(List<HttpString> methods, String usage, String shown, HttpHandler handler) {
        boolean allows(HttpString method) {
            return methods.isEmpty() || methods.contains(method);
        }
    }

    private static final List<HttpString> POST = List.of(Methods.POST);
    private static final List<HttpString> READ = List.of(Methods.GET, Methods.HEAD);

    private final Map<String, Entry> table = new LinkedHashMap<>();
    private final String knownPaths;
    private final long maxBodyBytes;
    private final ReadinessCheck readiness;
    private final Executor readinessWork;

    /**
     * @param readinessWork where /ready asks the store; null when the store never blocks (on the IO thread)
     * @param webSocket     the WebSocket endpoint, which answers /ws
     */
    Routes(CallTable calls, long maxBodyBytes, ReadinessCheck readiness, Executor readinessWork, HttpHandler webSocket) {
        this.maxBodyBytes = maxBodyBytes;
        this.readiness = readiness;
        this.readinessWork = readinessWork;
        for (CallTable.Route route : calls.all()) {
            add("/" + route.name(), POST, "is called with POST", route.overHttp(), exchange -> answerCall(exchange, route));
        }
        // Alive: the process answers, whatever its store does.
        add("/health", READ, "is read with GET", "GET /health", exchange -> Responses.send(exchange, 200, Json.HEALTHY));
        add("/ready", READ, "is read with GET", "GET /ready", this::answerReady);
        add(SocketEndpoint.PATH, List.of(), null, "GET " + SocketEndpoint.PATH + " (WebSocket)", webSocket);
        this.knownPaths = table.values().stream().map(Entry::shown).collect(Collectors.joining(", "));
    }

    private void add(String path, List<HttpString> methods, String usage, String shown, HttpHandler handler) {
        table.put(path, new Entry(methods, usage, shown, handler));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        Entry entry = table.get(path);
        if (entry == null) {
            String shown = path.length() > 100 ? path.substring(0, 100) + "..." : path;
            Failures.send(exchange, ChatError.UNKNOWN_CALL.exception("no call at " + shown + "; the calls are " + knownPaths));
        } else if (!entry.allows(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW,
                    entry.methods().stream().map(HttpString::toString).collect(Collectors.joining(", ")));
            Failures.send(exchange, ChatError.METHOD_NOT_ALLOWED.exception(
                    path + " " + entry.usage() + ", not " + exchange.getRequestMethod()));
        } else {
            entry.handler().handleRequest(exchange);
        }
    }

    private void answerCall(HttpServerExchange exchange, CallTable.Route route) {
        BodyCollector.collect(exchange, maxBodyBytes, (ex, bytes) -> {
            if (route.onIoThread()) {
                Failures.send(ex, outcome(route, bytes));
            } else {
                ex.dispatch(route.executor(), () -> answerFromPool(ex, route, bytes));
            }
        });
    }

    /**
     * Computes the answer here, on a pool thread, and writes it on the connection's IO thread. Undertow finishes
     * an exchange completed off the IO thread with a hand-over during which the IO thread busy-waits if the
     * client's next request is already there; with many pool threads on few cores that wait lasted whole
     * scheduler slices and took most of the CPU (BENCHMARKS.md, "Redis store").
     */
    private static void answerFromPool(HttpServerExchange exchange, CallTable.Route route, byte[] bytes) {
        Outcome<byte[]> outcome = outcome(route, bytes);
        exchange.getIoThread().execute(() -> Failures.send(exchange, outcome));
    }

    private static Outcome<byte[]> outcome(CallTable.Route route, byte[] bytes) {
        return Outcome.of(route.overHttp(), () -> route.call().answer(RequestBody.parse(bytes)));
    }

    /** Ready: the store answers, so calls can succeed. For a load balancer's health check. */
    private void answerReady(HttpServerExchange exchange) {
        Runnable answer = () -> Failures.send(exchange, Outcome.of("GET /ready", () -> {
            readiness.check();
            return Json.READY;
        }));
        if (readinessWork == null) {
            answer.run();
        } else {
            exchange.dispatch(readinessWork, answer);
        }
    }
}
