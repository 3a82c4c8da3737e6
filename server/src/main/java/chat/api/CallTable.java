package chat.api;

import chat.client.Client;
import chat.core.ChatService;
import chat.log.LogContext;
import chat.metrics.CallMeters;
import chat.store.PresenceStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seven calls of the protocol by name (and who, with presence), each with where it runs: the one table both transports answer from
 * (HTTP through chat.server.Routes, WebSocket frames through chat.ws), free of either.
 *
 * <p>Where a call runs: with the store in memory, the fast calls are answered on the IO thread that read them
 * (they only touch memory). Slow ones, such as logon with its deliberate bcrypt cost, are handed to a pool so
 * they never hold up other connections; and with a store that blocks on the network (Redis), so is every call.
 */
public final class CallTable {
    /**
     * A call, where it runs, how the log names it over each transport should it fail unexpectedly, and its meter
     * (all made once here, not per request). Both transports run a call through here, so this is where its outcome
     * and duration are measured, once for both.
     */
    public record Route(String name, Call call, Where where, String overHttp, String overSocket,
                        CallMeters.Meter meter) {
        /**
         * An HTTP call: its body parsed, then answered; what it comes to is the outcome. {@code idempotencyKey} is
         * the request's Idempotency-Key header, null without one (post reads it; the other calls ignore it). Lines
         * logged meanwhile name the request's id and the call.
         */
        public Outcome<byte[]> answerHttp(byte[] body, String idempotencyKey, Client client, String requestId) {
            LogContext.enter(requestId, name);
            long start = meter.start();
            try {
                Outcome<byte[]> outcome = Outcome.of(overHttp, () -> call.answer(
                        RequestBody.parse(body).withIdempotencyKeyHeader(idempotencyKey), client));
                meter.finish(start, outcome.failure());
                return outcome;
            } finally {
                LogContext.leave();
            }
        }

        /** A call made in a WebSocket frame, its body already read; {@code requestId} is the socket's. */
        public Outcome<byte[]> answerSocket(RequestBody body, Client client, String requestId) {
            LogContext.enter(requestId, name);
            long start = meter.start();
            try {
                Outcome<byte[]> outcome = Outcome.of(overSocket, () -> call.answer(body, client));
                meter.finish(start, outcome.failure());
                return outcome;
            } finally {
                LogContext.leave();
            }
        }
    }

    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final CallMeters meters;
    private final Map<String, CallMeters.Meter> socketOnly;

    /**
     * @param logon     where logon runs (it hashes a password)
     * @param storeWork where every other call runs
     * @param meters    what the calls' outcomes and durations are counted in
     */
    public CallTable(ChatService chat, Where logon, Where storeWork, CallMeters meters) {
        this(chat, logon, storeWork, meters, null);
    }

    /** With {@code presence} (null for none), the table has an eighth call: who (spec 9.1). */
    public CallTable(ChatService chat, Where logon, Where storeWork, CallMeters meters, PresenceStore presence) {
        this.meters = meters;
        this.socketOnly = Map.of("subscribe", meters.meter("subscribe"), "unsubscribe", meters.meter("unsubscribe"));
        SessionCalls sessions = new SessionCalls(chat);
        ChannelCalls channels = new ChannelCalls(chat);
        MessageCalls messages = new MessageCalls(chat);
        add("logon", sessions::logon, logon);
        add("logoff", sessions::logoff, storeWork);
        add("list", channels::list, storeWork);
        add("create", channels::create, storeWork);
        add("post", messages::post, storeWork);
        add("lastmessage", messages::lastMessage, storeWork);
        add("retrieve", messages::retrieve, storeWork);
        if (presence != null) {
            add("who", new PresenceCalls(chat, presence)::who, storeWork);
        }
    }

    private void add(String name, Call call, Where where) {
        routes.put(name, new Route(name, call, where, "POST /" + name, "WebSocket " + name, meters.meter(name)));
    }

    /** The meter of a call the table does not hold: a socket's own "subscribe" or "unsubscribe". */
    public CallMeters.Meter socketMeter(String call) {
        return socketOnly.get(call);
    }

    /** The call of this name ("post"), or null. */
    public Route route(String name) {
        return routes.get(name);
    }

    /** Every call, in the order of the spec. */
    public List<Route> all() {
        return List.copyOf(routes.values());
    }
}
