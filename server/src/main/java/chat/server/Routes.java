package chat.server;

import chat.core.ChatError;
import chat.core.ChatException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The whole HTTP API in one table, and the path of every request through it: route, check the method and
 * size, read the body, parse it, answer.
 *
 * <p>Where a call runs: with the store in memory, the fast calls are answered on the IO thread that read them
 * (they only touch memory). Slow ones, such as /logon with its deliberate bcrypt cost, are handed to an executor so
 * they never hold up other connections; and with a store that blocks on the network (Redis), so is every call.
 */
final class Routes implements HttpHandler {
    /** A call and the executor it runs on; null for "right here, on the IO thread". */
    record Route(Call call, Executor executor) {
        boolean onIoThread() {
            return executor == null;
        }
    }

    /** Checks that the server can answer calls now; throws a ChatException (STORE_UNAVAILABLE) when not. */
    @FunctionalInterface
    interface ReadinessCheck {
        void check();
    }

    private static final String HEALTH = "/health";
    private static final String READY = "/ready";

    private final Map<String, Route> table = new LinkedHashMap<>();
    private final long maxBodyBytes;
    private final ReadinessCheck readiness;
    private final Executor readinessExecutor;
    private final String knownCalls;

    /**
     * @param hashing   where /logon runs
     * @param storeWork where every other call runs; null when the store never blocks (calls run on the IO thread)
     */
    Routes(SessionCalls sessions, ChannelCalls channels, MessageCalls messages, long maxBodyBytes,
           Executor hashing, Executor storeWork, ReadinessCheck readiness) {
        this.maxBodyBytes = maxBodyBytes;
        this.readiness = readiness;
        this.readinessExecutor = storeWork;
        table.put("/logon", new Route(sessions::logon, hashing));
        table.put("/logoff", new Route(sessions::logoff, storeWork));
        table.put("/list", new Route(channels::list, storeWork));
        table.put("/create", new Route(channels::create, storeWork));
        table.put("/post", new Route(messages::post, storeWork));
        table.put("/lastmessage", new Route(messages::lastMessage, storeWork));
        table.put("/retrieve", new Route(messages::retrieve, storeWork));
        this.knownCalls = "POST " + String.join(", POST ", table.keySet()) + ", GET " + HEALTH + ", GET " + READY
                + ", GET /ws (WebSocket)";
    }

    /** The route of a call by its name ("post"), or null; the WebSocket endpoint answers the same calls. */
    Route route(String call) {
        return table.get("/" + call);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        Route route = table.get(path);
        if (route == null) {
            answerOther(exchange, path);
            return;
        }
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            refuseMethod(exchange, "POST", path + " is called with POST");
            return;
        }
        BodyCollector.collect(exchange, maxBodyBytes, (ex, bytes) -> {
            if (route.onIoThread()) {
                answer(ex, route.call(), bytes);
            } else {
                ex.dispatch(route.executor(), () -> answerFromPool(ex, route.call(), bytes));
            }
        });
    }

    /**
     * Computes the answer here, on a pool thread, and writes it on the connection's IO thread. Undertow finishes
     * an exchange completed off the IO thread with a hand-over during which the IO thread busy-waits if the
     * client's next request is already there; with many pool threads on few cores that wait lasted whole
     * scheduler slices and took most of the CPU (BENCHMARKS.md, "Redis store").
     */
    private static void answerFromPool(HttpServerExchange exchange, Call call, byte[] bytes) {
        exchange.getIoThread().execute(replyTo(exchange, call, bytes));
    }

    private static Runnable replyTo(HttpServerExchange exchange, Call call, byte[] bytes) {
        try {
            byte[] answer = call.answer(RequestBody.parse(bytes));
            return () -> Responses.send(exchange, 200, answer);
        } catch (ChatException failure) {
            return () -> Failures.send(exchange, failure);
        } catch (RuntimeException | Error unexpected) {
            return () -> Failures.sendUnexpected(exchange, unexpected);
        }
    }

    private static void answer(HttpServerExchange exchange, Call call, byte[] bytes) {
        try {
            Responses.send(exchange, 200, call.answer(RequestBody.parse(bytes)));
        } catch (ChatException failure) {
            Failures.send(exchange, failure);
        } catch (RuntimeException | Error unexpected) {
            Failures.sendUnexpected(exchange, unexpected);
        }
    }

    private void answerOther(HttpServerExchange exchange, String path) {
        if (HEALTH.equals(path) || READY.equals(path)) {
            if (!Methods.GET.equals(exchange.getRequestMethod()) && !Methods.HEAD.equals(exchange.getRequestMethod())) {
                refuseMethod(exchange, "GET, HEAD", path + " is read with GET");
            } else if (HEALTH.equals(path)) {
                Responses.send(exchange, 200, Json.HEALTHY); // alive: the process answers, whatever its store does
            } else if (readinessExecutor == null) {
                answerReady(exchange);
            } else {
                exchange.dispatch(readinessExecutor, () -> answerReady(exchange));
            }
            return;
        }
        String shown = path.length() > 100 ? path.substring(0, 100) + "..." : path;
        Failures.send(exchange, ChatError.UNKNOWN_CALL.exception(
                "no call at " + shown + "; the calls are " + knownCalls));
    }

    /** Ready: the store answers, so calls can succeed. For a load balancer's health check. */
    private void answerReady(HttpServerExchange exchange) {
        try {
            readiness.check();
            Responses.send(exchange, 200, Json.READY);
        } catch (ChatException failure) {
            Failures.send(exchange, failure);
        }
    }

    private static void refuseMethod(HttpServerExchange exchange, String allowed, String reason) {
        exchange.getResponseHeaders().put(Headers.ALLOW, allowed);
        Failures.send(exchange, ChatError.METHOD_NOT_ALLOWED.exception(
                reason + ", not " + exchange.getRequestMethod()));
    }
}
