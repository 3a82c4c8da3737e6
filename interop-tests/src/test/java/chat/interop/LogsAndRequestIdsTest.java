package chat.interop;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator reads, from the server's jar as a process: JSON log lines that name the instance, an access
 * line per request with its id, and request ids that follow a request through HAProxy into the replica's log.
 */
@Timeout(120)
class LogsAndRequestIdsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String url, String path, String requestId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonObject> json(ServerProcess server) {
        return server.lines().stream().map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
    }

    /** The access line of the request with this id, once one of the servers has written it. */
    private static JsonObject accessLine(String requestId, ServerProcess... servers) throws InterruptedException {
        JsonObject[] found = new JsonObject[1];
        Poll.until("the access line of request " + requestId, PATIENCE, () -> {
            for (ServerProcess server : servers) {
                Optional<JsonObject> line = json(server).stream()
                        .filter(object -> object.get("logger").getAsString().equals("chat.access"))
                        .filter(object -> object.has("request_id")
                                && object.get("request_id").getAsString().equals(requestId))
                        .findFirst();
                if (line.isPresent()) {
                    found[0] = line.get();
                    return true;
                }
            }
            return false;
        }, Boolean::booleanValue);
        return found[0];
    }

    @Test
    void jsonLinesNameTheInstanceAndEachRequestHasAnAccessLineWithItsId() throws Exception {
        try (ServerProcess server = ServerProcess.start("--log-format", "json", "--access-log", "-",
                "--instance", "replica-7")) {
            HttpResponse<String> refused = post(server.url(), "/list", "abc-123");
            assertEquals("abc-123", refused.headers().firstValue("X-Request-Id").orElse(null));
            JsonObject line = accessLine("abc-123", server);
            assertEquals("POST", line.get("method").getAsString());
            assertEquals("/list", line.get("path").getAsString());
            assertEquals(refused.statusCode(), line.get("status").getAsInt());
            assertEquals(JsonParser.parseString(refused.body()).getAsJsonObject().get("error").getAsString(),
                    line.get("error").getAsString());
            assertEquals("127.0.0.1", line.get("client").getAsString());
            assertTrue(line.get("bytes").getAsLong() > 0 && line.get("duration_ms").getAsDouble() >= 0, line.toString());

            // A path with a terminal escape and a line break: still one valid JSON line, the path as sent.
            HttpResponse<String> unknown = post(server.url(), "/%1B%5B31m%0Ared", null);
            String madeHere = unknown.headers().firstValue("X-Request-Id").orElseThrow();
            assertEquals("/\u001b[31m\nred", accessLine(madeHere, server).get("path").getAsString());

            for (JsonObject object : json(server)) { // every line parsed: none was broken by what a client sent
                assertEquals("replica-7", object.get("instance").getAsString(), object.toString());
            }
            assertTrue(json(server).stream().anyMatch(object -> object.get("message").getAsString()
                    .startsWith("chat server listening on")), "the start-up lines are JSON too");
        }
    }

    @Test
    void anIdFollowsARequestThroughHaproxyIntoTheReplicasLog() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             ServerProcess replicaA = replica(redis, "a");
             ServerProcess replicaB = replica(redis, "b");
             HaproxyProcess balancer = HaproxyProcess.start(List.of(replicaA.url(), replicaB.url()))) {
            HttpResponse<String> sent = post(balancer.url(), "/list", "abc-123");
            assertEquals("abc-123", sent.headers().firstValue("X-Request-Id").orElse(null), "the client's own back");
            accessLine("abc-123", replicaA, replicaB);

            HttpResponse<String> given = post(balancer.url(), "/list", null);
            String id = given.headers().firstValue("X-Request-Id").orElseThrow();
            assertTrue(id.matches("7F000001:[0-9A-F]+_7F000001:[0-9A-F]+_[0-9A-F]+_[0-9A-F]+:[0-9A-F]+"),
                    "made by HAProxy (deploy/haproxy.cfg's unique-id-format): " + id);
            JsonObject line = accessLine(id, replicaA, replicaB);
            assertEquals("127.0.0.1", line.get("client").getAsString(), "the forwarded client, HAProxy trusted");
        }
    }

    private static ServerProcess replica(RedisProcess redis, String name) throws IOException, InterruptedException {
        return ServerProcess.start("--bcrypt-cost", "4", "--store", redis.url(), "--trusted-proxies", "127.0.0.1/32",
                "--log-format", "json", "--access-log", "-", "--instance", "replica-" + name);
    }
}
