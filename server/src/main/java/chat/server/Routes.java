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
 * <p>Fast calls are answered on the IO thread that read them (they only touch memory); slow ones, such as
 * /logon with its deliberate bcrypt cost, are handed to an executor so they never hold up other connections.
 */
final class Routes implements HttpHandler {
    /** A call and whether it is slow (answered off the IO thread). */
    record Route(Call call, boolean slow) {
    }

    private static final String HEALTH = "/health";

    private final Map<String, Route> table = new LinkedHashMap<>();
    private final long maxBodyBytes;
    private final Executor slowWork;
    private final String knownCalls;

    Routes(SessionCalls sessions, ChannelCalls channels, MessageCalls messages, long maxBodyBytes, Executor slowWork) {
        this.maxBodyBytes = maxBodyBytes;
        this.slowWork = slowWork;
        table.put("/logon", new Route(sessions::logon, true));
        table.put("/logoff", new Route(sessions::logoff, false));
        table.put("/list", new Route(channels::list, false));
        table.put("/create", new Route(channels::create, false));
        table.put("/post", new Route(messages::post, false));
        table.put("/lastmessage", new Route(messages::lastMessage, false));
        table.put("/retrieve", new Route(messages::retrieve, false));
        this.knownCalls = "POST " + String.join(", POST ", table.keySet()) + ", GET " + HEALTH + ", GET /ws (WebSocket)";
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
            if (route.slow()) {
                ex.dispatch(slowWork, () -> answer(ex, route.call(), bytes));
            } else {
                answer(ex, route.call(), bytes);
            }
        });
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
        if (HEALTH.equals(path)) {
            if (Methods.GET.equals(exchange.getRequestMethod()) || Methods.HEAD.equals(exchange.getRequestMethod())) {
                Responses.send(exchange, 200, Json.HEALTHY);
            } else {
                refuseMethod(exchange, "GET, HEAD", HEALTH + " is read with GET");
            }
            return;
        }
        String shown = path.length() > 100 ? path.substring(0, 100) + "..." : path;
        Failures.send(exchange, ChatError.UNKNOWN_CALL.exception(
                "no call at " + shown + "; the calls are " + knownCalls));
    }

    private static void refuseMethod(HttpServerExchange exchange, String allowed, String reason) {
        exchange.getResponseHeaders().put(Headers.ALLOW, allowed);
        Failures.send(exchange, ChatError.METHOD_NOT_ALLOWED.exception(
                reason + ", not " + exchange.getRequestMethod()));
    }
}
