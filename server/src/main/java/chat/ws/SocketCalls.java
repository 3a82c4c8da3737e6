package chat.ws;

import chat.api.BoundedPool;
import chat.api.CallTable;
import chat.api.Json;
import chat.api.Outcome;
import chat.api.RequestBody;
import chat.api.RequestFrame;
import chat.api.Where;
import chat.client.Client;
import chat.core.ChatService;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.log.LogContext;
import chat.metrics.CallMeters;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The calls made over one socket: each request frame {@code {"id": 7, "call": "post", "body": {...}}} is looked up
 * in the same {@link CallTable} as HTTP's (plus subscribe and unsubscribe, which only a socket has), run where the
 * call runs, and answered {@code {"id": 7, "status": ..., "data": ...}}. A frame that cannot be understood gets a
 * failure answer; the socket stays open.
 *
 * <p>It sees the socket only as a {@link SocketOut} (its {@link Outbox}), so that a test can hand it
 * frames and read its answers in-process, with no network in between (SocketFramesFuzzTest).
 */
final class SocketCalls {
    /** How the log names a frame being read, should that fail unexpectedly. */
    private static final String READING = "a WebSocket frame";
    private static final String SUBSCRIBE = "WebSocket subscribe";
    private static final String UNSUBSCRIBE = "WebSocket unsubscribe";
    /** A socket's subscribes and unsubscribes waiting their turn: a client that sends more has not read the answers. */
    static final int MAX_WAITING_SUBSCRIPTION_CALLS = 128;

    private final long sesskey;
    private final Client client;
    private final SocketOut socket;
    private final CallTable calls;
    private final String knownCalls;
    private final Where storeWork;
    private final ChatService chat;
    private final SocketSubscriptions subscriptions;
    private final InArrivalOrder subscriptionCalls;
    private final String requestId; // the handshake's: what the log names the socket's calls by
    private final CallMeters.Meter subscribes;
    private final CallMeters.Meter unsubscribes;

    /**
     * @param client    who opened the socket: its calls are rate limited as that client's (unless it is exempt)
     * @param requestId the id of the request that opened it (X-Request-Id)
     */
    SocketCalls(long sesskey, Client client, String requestId, SocketOut socket, CallTable calls, String knownCalls,
                Where storeWork, ChatService chat, SocketSubscriptions subscriptions) {
        this.sesskey = sesskey;
        this.requestId = requestId;
        this.client = client;
        this.socket = socket;
        this.calls = calls;
        this.knownCalls = knownCalls;
        this.storeWork = storeWork;
        this.chat = chat;
        this.subscriptions = subscriptions;
        this.subscriptionCalls = new InArrivalOrder(storeWork, MAX_WAITING_SUBSCRIPTION_CALLS);
        this.subscribes = calls.socketMeter("subscribe");
        this.unsubscribes = calls.socketMeter("unsubscribe");
    }

    /** The calls a socket answers, for the reason of an unknown one: the table's and its own two. */
    static String knownCalls(CallTable calls) {
        StringBuilder known = new StringBuilder();
        calls.all().forEach(route -> known.append(route.name()).append(", "));
        return known.append("subscribe, unsubscribe").toString();
    }

    /** A whole text message from the client. */
    void handle(byte[] bytes) {
        Outcome<RequestFrame> frame = Outcome.of(READING, () -> RequestFrame.parse(bytes));
        if (!frame.succeeded()) {
            answer(RequestFrame.NO_ID, frame.failure());
            return;
        }
        String id = frame.value().id();
        Outcome<Void> dispatched = Outcome.ofAction(READING, () -> dispatch(id, frame.value()));
        if (!dispatched.succeeded()) {
            answer(id, dispatched.failure());
        }
    }

    /** Runs the frame's call where it runs; its outcome is answered there. */
    private void dispatch(String id, RequestFrame frame) {
        String call = frame.call();
        RequestBody body = frame.body(sesskey);
        switch (call) {
            case "subscribe" -> inOrder(() -> answer(id, logged(call, subscribes, SUBSCRIBE, () -> subscribe(id, body))));
            case "unsubscribe" -> inOrder(() -> answer(id, logged(call, unsubscribes, UNSUBSCRIBE, () -> unsubscribe(body))));
            default -> {
                CallTable.Route route = calls.route(call);
                if (route == null) {
                    throw ChatError.UNKNOWN_CALL.exception("no call \"" + RequestBody.abbreviate(call, 64)
                            + "\"; the calls are " + knownCalls);
                }
                if (route.where().isBounded()) {
                    route.where().bounded().submit(new QueuedCall(id, route, body));
                } else {
                    route.where().run(() -> answer(id, route.answerSocket(body, client, requestId)));
                }
            }
        }
    }

    /**
     * The socket's own call, measured as CallTable's routes measure theirs, with lines logged meanwhile naming the
     * socket's request id and the call.
     */
    private Outcome<byte[]> logged(String call, CallMeters.Meter meter, String where, Supplier<byte[]> work) {
        LogContext.enter(requestId, call);
        long start = meter.start();
        try {
            Outcome<byte[]> outcome = Outcome.of(where, work);
            meter.finish(start, outcome.failure());
            return outcome;
        } finally {
            LogContext.leave();
        }
    }

    /** A subscribe or unsubscribe, after the socket's earlier ones; SERVER_BUSY when too many are waiting. */
    private void inOrder(Runnable call) {
        Runnable unlessClosed = () -> {
            if (!socket.isClosed()) { // a socket closed meanwhile would only have the store asked for nobody
                call.run();
            }
        };
        if (!subscriptionCalls.submit(unlessClosed)) {
            throw ChatError.SERVER_BUSY.exception(MAX_WAITING_SUBSCRIPTION_CALLS
                    + " subscribes and unsubscribes of this socket are waiting already; wait for their answers")
                    .retryAfter(Duration.ofSeconds(1));
        }
    }

    /** Returns null: the answer goes out inside push, ahead of the backlog it announces. */
    private byte[] subscribe(String id, RequestBody body) {
        String channel = body.string("channel");
        long after = body.has("after") ? body.integer("after") : 0;
        String epoch = body.optionalString("epoch");
        String user = chat.requireSession(client, sesskey);
        subscriptions.subscribe(id, channel, after, epoch, user);
        return null;
    }

    private byte[] unsubscribe(RequestBody body) {
        String channel = body.string("channel");
        chat.requireSession(client, sesskey);
        return subscriptions.unsubscribe(channel);
    }

    /**
     * The one place where a call's outcome becomes an answer frame: its bytes (none when the call answered by
     * itself), or its failure as the envelope, each with the request's id.
     */
    void answer(String id, Outcome<byte[]> outcome) {
        if (!outcome.succeeded()) {
            answer(id, outcome.failure());
        } else if (outcome.value() != null) {
            socket.sendAnswer(Json.withId(id, outcome.value()),
                    reason -> Json.withId(id, Json.failure(ChatError.SERVER_BUSY.name(), reason)));
        }
    }

    /** A failure's frame; one that waiting helps (RATE_LIMITED, SERVER_BUSY) says how long in "retry_after". */
    void answer(String id, ChatException failure) {
        byte[] envelope = failure.retryAfter() == null ? Json.failure(failure.error().name(), failure.reason())
                : Json.failure(failure.error().name(), failure.reason(), failure.retryAfterSeconds());
        socket.send(Frame.text(Json.withId(id, envelope)));
    }

    /** A call waiting in a bounded line (logon): skipped once the socket has closed, since nobody would read it. */
    private final class QueuedCall implements BoundedPool.Task {
        private final String id;
        private final CallTable.Route route;
        private final RequestBody body;

        QueuedCall(String id, CallTable.Route route, RequestBody body) {
            this.id = id;
            this.route = route;
            this.body = body;
        }

        @Override
        public boolean clientGone() {
            return socket.isClosed();
        }

        @Override
        public void run() {
            answer(id, route.answerSocket(body, client, requestId));
        }

        @Override
        public void refuse(ChatException busy) {
            route.meter().count(busy);
            answer(id, busy);
        }

        @Override
        public void abandon() {
            // nothing is held: the socket's own close released it
        }
    }
}
