package chat.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Healing is immediate, as ./run.sh cluster 2 runs it (issue 15): two replica processes on one Redis behind HAProxy.
 * Stop Redis, a call to replica A answers 503; start it again: from one second after it answers PING, three calls
 * in a row to each replica succeed, though each held pooled connections the restart left dead, and /ready is 200
 * on both within 3 s.
 */
@Timeout(120)
class RedisRestartClusterTest {
    private static final int CONNECTIONS = 8;

    @Test
    void fromOneSecondAfterPingThreeCallsInARowToEachReplicaSucceedAndBothAreReadyWithinThreeSeconds()
            throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             ServerProcess replicaA = replica(redis);
             ServerProcess replicaB = replica(redis);
             HaproxyProcess balancer = HaproxyProcess.start(List.of(replicaA.url(), replicaB.url()));
             Wire wireA = new Wire(replicaA.url(), Duration.ofSeconds(10));
             Wire wireB = new Wire(replicaB.url(), Duration.ofSeconds(10));
             Wire viaBalancer = new Wire(balancer.url(), Duration.ofSeconds(10))) {
            long key = viaBalancer.newSession();
            String channel = viaBalancer.newChannel(key);
            busyThePools(List.of(wireA, wireB), key, channel);

            redis.kill();
            Poll.until("a call to replica A to answer 503", Duration.ofSeconds(15),
                    () -> lastMessage(wireA, key, channel), answer -> answer.httpStatus() == 503);
            redis.restart();
            Poll.until("the restarted Redis to answer PING", Duration.ofSeconds(20), redis::answersPing, yes -> yes);
            long pingAnswered = System.nanoTime();
            // The "from one second after PING": the one wait here that is a time, not an event.
            Poll.until("one second after PING", Duration.ofSeconds(2), System::nanoTime,
                    now -> now - pingAnswered >= Duration.ofSeconds(1).toNanos());

            List<String> failures = new ArrayList<>();
            for (Wire wire : List.of(wireA, wireB)) {
                for (int call = 1; call <= 3; call++) {
                    Answer answer = lastMessage(wire, key, channel);
                    if (!answer.isEnvelope() || !answer.status()) {
                        failures.add(wire.baseUrl() + " call " + call + ": " + answer.httpStatus() + " " + answer.body());
                    }
                }
            }
            assertEquals(List.of(), failures, "calls from one second after Redis answered PING");
            for (Wire wire : List.of(wireA, wireB)) {
                Duration left = Duration.ofNanos(Math.max(0, pingAnswered + Duration.ofSeconds(3).toNanos()
                        - System.nanoTime()));
                Poll.until(wire.baseUrl() + "/ready to be 200 within 3 s of PING", left,
                        () -> wire.send("GET", "/ready", null, null).httpStatus(), status -> status == 200);
            }
            balancer.awaitUp(2); // and so HAProxy sends to both again, after its own checks
        }
    }

    private static ServerProcess replica(RedisProcess redis) throws Exception {
        return ServerProcess.start("--bcrypt-cost", "4", "--store", redis.url(), "--store-connections",
                Integer.toString(CONNECTIONS), "--trusted-proxies", "127.0.0.1/32",
                "--client-limit-exempt", "127.0.0.0/8"); // the test's own calls come many at once from loopback
    }

    private static Answer lastMessage(Wire wire, long key, String channel) {
        return wire.call("lastmessage", "sesskey", key, "channel", channel);
    }

    /** Many calls at once to each replica, so that each opens all its pooled connections, which the restart kills. */
    private static void busyThePools(List<Wire> wires, long key, String channel) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2 * CONNECTIONS);
        try {
            List<Future<Answer>> calls = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (Wire wire : wires) {
                    for (int i = 0; i < 2 * CONNECTIONS; i++) {
                        calls.add(callers.submit(() -> lastMessage(wire, key, channel)));
                    }
                }
            }
            for (Future<Answer> call : calls) {
                Answer answer = call.get();
                assertEquals(true, answer.isEnvelope() && answer.status(), answer.body());
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
