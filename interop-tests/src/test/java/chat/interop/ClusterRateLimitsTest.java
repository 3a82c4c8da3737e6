package chat.interop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The last promise, as ./run.sh cluster 2 runs it: Redis, two replicas with the default limits and HAProxy
 * in front. Wrong passwords for one username sent through HAProxy land on both replicas, and the 21st is refused,
 * as on a single server (the default burst of --rate-failed-logons is 20): the replicas share one bucket in Redis.
 */
@Timeout(120)
class ClusterRateLimitsTest {
    @Test
    void aBruteForceSpreadOverBothReplicasIsThrottledAtTheCountOfOne() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             ServerProcess replicaA = ServerProcess.start("--bcrypt-cost", "4", "--store", redis.url(),
                     "--trusted-proxies", "127.0.0.1/32");
             ServerProcess replicaB = ServerProcess.start("--bcrypt-cost", "4", "--store", redis.url(),
                     "--trusted-proxies", "127.0.0.1/32");
             HaproxyProcess balancer = HaproxyProcess.start(List.of(replicaA.url(), replicaB.url()));
             Wire wire = new Wire(balancer.url(), Duration.ofSeconds(10))) {
            String alice = wire.newName("alice");
            wire.logon(alice, "right");
            Map<String, Long> before = balancer.requestsPerReplica();
            int attempts = 0;
            Answer answer;
            do {
                answer = wire.call("logon", "username", alice, "password", "guess-" + attempts);
                attempts++;
            } while (answer.httpStatus() == 200 && attempts < 50);
            Map<String, Long> after = balancer.requestsPerReplica();

            assertEquals(429, answer.httpStatus(), answer.toString());
            assertEquals("RATE_LIMITED", answer.error(), answer.toString());
            assertEquals(21, attempts, "throttled at the count of one server: a burst of 20 wrong passwords");
            for (String replica : List.of("replica1", "replica2")) {
                long guesses = after.get(replica) - before.get(replica);
                assertTrue(guesses >= 5, replica + " answered " + guesses + " of the " + attempts + " guesses: "
                        + before + " -> " + after);
            }
        }
    }
}
