package chat.cli;

import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PushFollower against sockets the test reports for, as OkHttp would: what a real server does not do on demand
 * (one socket reporting its end twice, an old socket reporting after its successor opened).
 */
@Timeout(60)
class PushFollowerTest {
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor();
    private final List<FakeSocket> sockets = new CopyOnWriteArrayList<>();
    private final List<WebSocketListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<String> notices = new CopyOnWriteArrayList<>();

    /** Records what the follower does with it. */
    private static final class FakeSocket implements WebSocket {
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public Request request() {
            return new Request.Builder().url("http://127.0.0.1/ws").build();
        }

        @Override
        public long queueSize() {
            return 0;
        }

        @Override
        public boolean send(String text) {
            sent.add(text);
            return true;
        }

        @Override
        public boolean send(ByteString bytes) {
            throw new AssertionError("the protocol has only text frames");
        }

        @Override
        public boolean close(int code, String reason) {
            closed = true;
            return true;
        }

        @Override
        public void cancel() {
            closed = true;
        }
    }

    @AfterEach
    void stop() {
        reconnects.shutdownNow();
    }

    private PushFollower follower() {
        return new PushFollower(listener -> {
            FakeSocket socket = new FakeSocket();
            sockets.add(socket); // before the listener: a test that sees listener n also sees socket n
            listeners.add(listener);
            return socket;
        }, reconnects, "general", 0, messages::add, notices::add);
    }

    /** Waits for the follower's connection number {@code n} (from 1) and opens it. */
    private WebSocketListener open(int n) throws Exception {
        CliHarness.await("connection " + n, listeners::size, size -> size >= n);
        WebSocketListener listener = listeners.get(n - 1);
        listener.onOpen(sockets.get(n - 1), null);
        return listener;
    }

    private long reconnections() {
        return notices.stream().filter(notice -> notice.contains("reconnecting")).count();
    }

    private static String event(long id) {
        return "{\"event\":\"message\",\"channel\":\"general\",\"data\":{\"messageid\":" + id
                + ",\"username\":\"bob\",\"message\":\"m" + id + "\"}}";
    }

    @Test
    void aSocketReportingItsEndTwiceIsReconnectedOnce() throws Exception {
        try (PushFollower follower = follower()) {
            follower.start();
            WebSocketListener first = open(1);
            first.onClosing(sockets.get(0), 1011, "restarting");
            first.onFailure(sockets.get(0), new EOFException(), null); // writing our close frame failed, say
            assertEquals(1, reconnections(), "one drop, one reconnection: " + notices);

            WebSocketListener second = open(2);
            second.onMessage(sockets.get(1), event(1));
            assertEquals(List.of(1L), messages.stream().map(Message::id).toList());
            follower.close();
            assertTrue(sockets.get(1).closed, "close() closes the socket in use");
        }
    }

    @Test
    void anOldSocketReportingAfterItsSuccessorOpenedChangesNothing() throws Exception {
        try (PushFollower follower = follower()) {
            follower.start();
            WebSocketListener first = open(1);
            first.onFailure(sockets.get(0), new EOFException(), null);
            WebSocketListener second = open(2);
            assertTrue(sockets.get(1).sent.get(0).contains("\"subscribe\""), "resubscribed: " + sockets.get(1).sent);

            first.onMessage(sockets.get(0), event(1)); // from before its failure: the new subscription sends it again
            first.onClosing(sockets.get(0), 1001, "going away");
            first.onFailure(sockets.get(0), new EOFException(), null);
            assertEquals(1, reconnections(), "the old socket's reports are ignored: " + notices);
            assertEquals(List.of(), messages, "and so is what it received");

            second.onMessage(sockets.get(1), event(1));
            assertEquals(List.of(1L), messages.stream().map(Message::id).toList());
            follower.close();
            assertTrue(sockets.get(1).closed, "close() closes the socket in use");
        }
    }

    @Test
    void aFrameThatIsNotTheProtocolGivesANoticeAndFollowingGoesOn() throws Exception {
        try (PushFollower follower = follower()) {
            follower.start();
            WebSocketListener listener = open(1);
            List<String> malformed = List.of("not json", "[1, 2]", "{\"event\": \"message\"}",
                    "{\"event\": \"message\", \"data\": {\"messageid\": \"one\"}}", "{\"event\": \"gap\", \"from\": 2}",
                    "{\"id\": 1, \"status\": false}");
            for (String frame : malformed) {
                listener.onMessage(sockets.get(0), frame); // before, each threw into OkHttp's thread
            }
            assertEquals(malformed.size(), notices.stream().filter(notice -> notice.contains("not the chat protocol"))
                    .count(), "a notice for each: " + notices);
            assertTrue(notices.get(0).contains("not json"), "quoting the frame: " + notices.get(0));

            listener.onMessage(sockets.get(0), event(1));
            assertEquals(List.of(1L), messages.stream().map(Message::id).toList(), "following goes on");
            assertEquals(1, sockets.size(), "on the same socket");
        }
    }

    @Test
    void aThrottledSubscribeIsAskedForAgainOnTheSameSocketAfterTheRetryAfter() throws Exception {
        try (PushFollower follower = follower()) {
            follower.start();
            WebSocketListener listener = open(1);
            listener.onMessage(sockets.get(0), event(1));
            listener.onMessage(sockets.get(0), "{\"id\":\"subscribe:general\",\"status\":false,\"data\":\"this session has made calls "
                    + "too fast; try again in 1 s\",\"error\":\"RATE_LIMITED\",\"retry_after\":1}");
            assertEquals(List.of("rate limited: this session has made calls too fast; try again in 1 s; "
                    + "retrying in 1 s"), notices);

            CliHarness.await("a second subscribe", () -> sockets.get(0).sent, sent -> sent.size() >= 2);
            String again = sockets.get(0).sent.get(1);
            assertTrue(again.contains("\"subscribe\"") && again.contains("\"after\":1"),
                    "resubscribed after the last id shown: " + again);
            assertEquals(1, sockets.size(), "on the same socket");
            assertFalse(follower.stopped().isDone(), "still following");
        }
    }

    @Test
    void aResubscribeCarriesTheAnswersEpochAndAResetStartsTheChannelOver() throws Exception {
        try (PushFollower follower = follower()) {
            follower.start();
            WebSocketListener first = open(1);
            first.onMessage(sockets.get(0), "{\"id\":\"subscribe:general\",\"status\":true,\"data\":{\"first\":1,\"last\":0,\"epoch\":\"e1\"}}");
            first.onMessage(sockets.get(0), event(1));
            first.onMessage(sockets.get(0), event(2));
            first.onFailure(sockets.get(0), new EOFException(), null);

            WebSocketListener second = open(2);
            String resubscribe = sockets.get(1).sent.get(0);
            assertTrue(resubscribe.contains("\"after\":2") && resubscribe.contains("\"epoch\":\"e1\""),
                    "resumes in the history it saw: " + resubscribe);
            second.onMessage(sockets.get(1), "{\"id\":\"subscribe:general\",\"status\":true,\"data\":{\"first\":1,\"last\":1,\"epoch\":\"e2\"}}");
            second.onMessage(sockets.get(1), "{\"event\":\"reset\",\"channel\":\"general\",\"epoch\":\"e2\",\"last\":1}");
            second.onMessage(sockets.get(1), event(1));
            assertEquals(List.of(1L, 2L, 1L), messages.stream().map(Message::id).toList(),
                    "the new history's 1 is shown, though an id of 1 was shown before");
            assertTrue(notices.contains("(general: channel history was reset; showing it from the start)"),
                    "said: " + notices);

            second.onFailure(sockets.get(1), new EOFException(), null);
            open(3);
            String again = sockets.get(2).sent.get(0);
            assertTrue(again.contains("\"after\":1") && again.contains("\"epoch\":\"e2\""),
                    "resumes in the new history: " + again);
        }
    }

    @Test
    void aRefusedOrLostConnectionIsToldInPlainWords() throws Exception {
        try (PushFollower follower = follower()) {
            follower.start();
            WebSocketListener first = listenerNumber(1);
            Response busy = new Response.Builder().request(sockets.get(0).request()).protocol(Protocol.HTTP_1_1)
                    .code(503).message("Service Unavailable").build();
            first.onFailure(sockets.get(0), new java.net.ProtocolException(
                    "Expected HTTP 101 response but was '503 Service Unavailable'"), busy);
            assertEquals(List.of("(push connection refused: 503 Service Unavailable (server busy); reconnecting in "
                    + "0.25 s)"), notices, "no library wording");
            listenerNumber(2).onFailure(sockets.get(1), new java.net.ConnectException("Connection refused"), null);
            assertEquals("(cannot reach the server (connection refused); reconnecting in 0.50 s)", notices.get(1));
        }
    }

    /** The follower's connection number {@code n} (from 1), not yet opened. */
    private WebSocketListener listenerNumber(int n) throws Exception {
        CliHarness.await("connection " + n, listeners::size, size -> size >= n);
        return listeners.get(n - 1);
    }

    @Test
    void presenceEventsOfAFollowedChannelArePassedOn() throws Exception {
        List<String> presence = new CopyOnWriteArrayList<>();
        FeedListener listener = new FeedListener() {
            @Override
            public void message(String channel, Message message) {
            }

            @Override
            public void notice(String text) {
            }

            @Override
            public void presence(String channel, String username, boolean joined) {
                presence.add(channel + " " + username + (joined ? " joined" : " left"));
            }

            @Override
            public void refused(String channel, String reason, String errorCode) {
            }
        };
        try (PushFollower follower = new PushFollower(socketListener -> {
            FakeSocket socket = new FakeSocket();
            sockets.add(socket);
            listeners.add(socketListener);
            return socket;
        }, reconnects, listener)) {
            follower.follow("general", 0);
            follower.start();
            WebSocketListener first = open(1);
            first.onMessage(sockets.get(0), "{\"event\":\"join\",\"channel\":\"general\",\"username\":\"bob\"}");
            first.onMessage(sockets.get(0), "{\"event\":\"leave\",\"channel\":\"random\",\"username\":\"bob\"}");
            first.onMessage(sockets.get(0), "{\"event\":\"leave\",\"channel\":\"general\",\"username\":\"bob\"}");
            assertEquals(List.of("general bob joined", "general bob left"), presence, "not a channel not followed");
        }
    }
}
