package chat.api;

import chat.testing.TestClients;
import chat.config.Settings;
import chat.testing.Envelopes;
import chat.testing.FuzzWorld;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the HTTP body parser ({@link RequestBody}: its streaming reader and typed field access) through the calls
 * that use it, on a real ChatService: whatever the bytes of a body, the call answers with the protocol's envelope,
 * and never with an exception the server did not expect (INTERNAL_ERROR: a StackOverflowError, a
 * NumberFormatException, a ClassCastException...).
 *
 * <p>An input is {@code call\nbody}: the call's name, a newline, then the body's bytes exactly as they would arrive
 * ({@code $K} stands for a live session key, see {@link FuzzWorld}); a name that is no call picks one by its hash, so
 * that every mutation still reaches a parser. The seeds (HttpBodyFuzzTestInputs/) are the examples of spec section 8
 * and the inputs of past probes: deep nesting, a field twice, numbers beyond 64 bits, bad UTF-8, 30,000-deep arrays.
 *
 * <p>In {@code ./run.sh test} the seeds run as regression tests, then a few seconds of fuzzing; {@code ./run.sh fuzz}
 * fuzzes for longer.
 */
class HttpBodyFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void everyBodyIsAnsweredWithAnEnvelope(byte[] input) {
        int newline = indexOf(input, (byte) '\n');
        String name = new String(input, 0, Math.max(newline, 0), StandardCharsets.UTF_8);
        byte[] body = FuzzWorld.withSessionKey(Arrays.copyOfRange(input, newline + 1, input.length));
        FuzzWorld world = new FuzzWorld();
        if (body.length > world.config().get(Settings.MAX_BODY)) {
            return; // refused with 413 before any parsing (BodyCollector)
        }
        CallTable.Route route = world.calls().route(name);
        if (route == null) {
            List<CallTable.Route> all = world.calls().all();
            route = all.get(Math.floorMod(name.hashCode(), all.size()));
        }
        Outcome<byte[]> outcome = route.answerHttp(body, null, TestClients.LOCAL, "fuzz");
        if (outcome.succeeded()) {
            Envelopes.requireAnswer(outcome.value());
        } else {
            Envelopes.requireAnswer(Json.failure(outcome.failure().error().name(), outcome.failure().reason()));
        }
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
