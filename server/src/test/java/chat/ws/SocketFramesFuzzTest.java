package chat.ws;

import chat.testing.TestClients;
import chat.api.Where;
import chat.testing.Envelopes;
import chat.testing.FuzzWorld;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Fuzzes the WebSocket frame handling ({@link chat.api.RequestFrame} read by {@link SocketCalls}, then the call, as
 * a socket makes it) in-process, on a real ChatService with push wired: every text frame gets exactly one answer,
 * the envelope with an id that is a string, a number or null (spec ws/2, ws/3), and nothing the server did not
 * expect (INTERNAL_ERROR: a StackOverflowError, say, which would also print its stack trace at the client's rate);
 * whatever else goes out is a well-formed event of a subscription (ws/4, ws/6).
 *
 * <p>An input is up to 16 frames, one a line ({@code $K} stands for the socket's session key, see
 * {@link FuzzWorld}), sent on one socket in turn, as a client would; the socket stops reading at a logoff, as the
 * server closes it then. The seeds (SocketFramesFuzzTestInputs/) are the examples of spec section 9 and past
 * probes: ids of every kind, a body field twice, deep nesting, a 30,000-deep id array, bad UTF-8.
 */
class SocketFramesFuzzTest {
    private static final int MAX_FRAMES = 16;

    @FuzzTest(maxDuration = "5s")
    void everyFrameIsAnsweredWithOneEnvelope(byte[] input) {
        FuzzWorld world = new FuzzWorld();
        SocketLimits limits = SocketLimits.from(world.config());
        RecordingSocket socket = new RecordingSocket();
        world.sessions().opened(FuzzWorld.SESSKEY, socket);
        SocketSubscriptions subscriptions = new SocketSubscriptions(socket, world.subscribers(), null,
                limits.maxSubscriptions());
        SocketCalls calls = new SocketCalls(FuzzWorld.SESSKEY, TestClients.LOCAL, "fuzz", socket, world.calls(),
                SocketCalls.knownCalls(world.calls()), Where.IO_THREAD, world.chat(), subscriptions);
        long budget = limits.maxFrameBytes();
        for (byte[] frame : frames(FuzzWorld.withSessionKey(input))) {
            if (socket.sessionEnded) {
                break; // closed with 1008 "session ended": nothing more is read
            }
            if (frame.length > limits.maxFrameBytes()) {
                continue; // closed with 1009 before a call sees it (BoundedTextReader)
            }
            budget -= frame.length;
            if (budget < 0) {
                // At most one frame's limit in all: the fuzzer grows inputs to its largest seed (60 KB), and 16
                // frames that size ran the instrumented reader at 46 inputs a second instead of thousands.
                break;
            }
            int before = socket.sent.size();
            calls.handle(frame);
            requireOneAnswer(frame, socket.sent.subList(before, socket.sent.size()));
        }
        subscriptions.endAll();
    }

    private static void requireOneAnswer(byte[] frame, List<byte[]> sent) {
        int answers = 0;
        for (byte[] text : sent) {
            if (isEvent(text)) {
                requireEvent(text);
            } else {
                Envelopes.requireFrameAnswer(text);
                answers++;
            }
        }
        if (answers != 1) {
            throw new AssertionError(answers + " answers to the frame " + new String(frame, StandardCharsets.UTF_8));
        }
    }

    private static boolean isEvent(byte[] text) {
        return startsWith(text, "{\"event\":");
    }

    /**
     * {"event":"message","channel":...,"data":{...}}, {"event":"gap","channel":...,"from":F,"to":T} or
     * {"event":"reset","channel":...,"epoch":E,"last":L} (a subscribe after an id ahead of the newest).
     */
    private static void requireEvent(byte[] text) {
        JsonObject event = JsonParser.parseString(new String(text, StandardCharsets.UTF_8)).getAsJsonObject();
        String kind = event.get("event").getAsString();
        boolean wellFormed = event.get("channel").getAsJsonPrimitive().isString()
                && (kind.equals("message") && event.get("data").getAsJsonObject().has("messageid")
                || kind.equals("gap") && event.get("from").getAsLong() <= event.get("to").getAsLong()
                || kind.equals("reset") && !event.get("epoch").getAsString().isEmpty()
                && event.get("last").getAsLong() >= 0);
        if (!wellFormed) {
            throw new AssertionError("not an event of spec ws/4, ws/6 or ws/15: " + event);
        }
    }

    /** The input's lines, at most MAX_FRAMES of them. */
    private static List<byte[]> frames(byte[] input) {
        List<byte[]> frames = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length && frames.size() < MAX_FRAMES; i++) {
            if (i == input.length || input[i] == '\n') {
                frames.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        return frames;
    }

    private static boolean startsWith(byte[] text, String prefix) {
        byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
        return text.length >= head.length && Arrays.equals(text, 0, head.length, head, 0, head.length);
    }

    /** The socket as the calls and push see it, on one thread (the fuzzer's), keeping the payload of each frame. */
    private static final class RecordingSocket implements SocketOut {
        final List<byte[]> sent = new ArrayList<>();
        boolean sessionEnded;

        @Override
        public Executor thread() {
            return Runnable::run;
        }

        @Override
        public void send(Frame frame) {
            ByteBuffer wire = frame.forWriting();
            int length = wire.get(1) & 0x7F;
            int header = length < 126 ? 2 : length == 126 ? 4 : 10;
            byte[] payload = new byte[wire.limit() - header];
            wire.position(header).get(payload);
            sent.add(payload);
        }

        @Override
        public void sendAnswer(byte[] json, Function<String, byte[]> refusal) {
            send(Frame.text(json)); // nothing waits here: there is always room
        }

        @Override
        public boolean isClosed() {
            return sessionEnded;
        }

        @Override
        public void sessionEnded() {
            sessionEnded = true;
        }
    }
}
