package chat.server;

import chat.config.Rate;
import chat.config.Settings;
import chat.testing.Await;
import chat.testing.LocalRedis;
import chat.testing.Scrape;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics listener, scraped over HTTP after known traffic through the real server. */
@Timeout(60)
class MetricsTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    static TestServer startWithMetrics() {
        return TestServer.start(TestServer.config().with(Settings.METRICS_LISTEN, "127.0.0.1:0").build());
    }

    @Test
    void callsAreCountedByOutcomeAndTimedOverHttpAndWebSocket() throws Exception {
        try (TestServer chat = startWithMetrics()) {
            String metrics = chat.server.metricsUrl();
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            int posts = 7;
            for (int i = 0; i < posts; i++) {
                chat.postMessage(key, channel, "hello " + i);
            }
            assertEquals("INVALID_SESSION", chat.post("post", Map.of("sesskey", 12345, "channel", channel,
                    "message", "no")).error());
            assertEquals(404, chat.send(new okhttp3.Request.Builder().url(chat.url("/nowhere")).build()).httpStatus());
            try (TestSocket socket = new TestSocket(chat.http(), chat.server.url().replace("http", "ws") + "/ws",
                    Long.toString(key))) {
                assertTrue(socket.awaitOpen());
                socket.subscribe(channel, 0);
                Scrape scrape = Await.value("the socket's subscription counted", WITHIN,
                        () -> Scrape.of(chat.http(), metrics),
                        s -> s.value("chat_calls_total{call=\"subscribe\",outcome=\"ok\"}") == 1);
                assertEquals(posts, scrape.value("chat_calls_total{call=\"post\",outcome=\"ok\"}"));
                assertEquals(1, scrape.value("chat_calls_total{call=\"post\",outcome=\"INVALID_SESSION\"}"));
                assertEquals(1, scrape.value("chat_calls_total{call=\"create\",outcome=\"ok\"}"));
                assertEquals(1, scrape.value("chat_calls_total{call=\"logon\",outcome=\"ok\"}"));
                assertEquals(posts + 1, scrape.value("chat_call_duration_seconds_count{call=\"post\"}"));
                assertEquals(posts + 1, scrape.value("chat_call_duration_seconds_bucket{call=\"post\",le=\"+Inf\"}"));
                assertTrue(scrape.value("chat_call_duration_seconds_sum{call=\"post\"}") > 0);
                assertEquals(1, scrape.value("chat_http_refused_total{error=\"UNKNOWN_CALL\",status=\"404\"}"),
                        scrape.text());
                assertEquals(1, scrape.value("chat_ws_open_sockets"));
                assertEquals(1, scrape.value("chat_ws_subscriptions"));
                assertEquals(1, scrape.value("chat_channels"));
                assertEquals(posts, scrape.value("chat_kept_messages"));
                assertTrue(scrape.value("chat_ws_frames_sent_total") >= 1 + posts, "the answer and the backlog");
                assertTrue(scrape.value("chat_kept_bytes") > 0);
                assertTrue(scrape.samples().keySet().stream().anyMatch(name -> name.startsWith("chat_build_info{")));
                assertTrue(scrape.samples().keySet().stream().anyMatch(name -> name.startsWith("jvm_threads_")));
                assertTrue(scrape.contentType().startsWith("text/plain; version=0.0.4"), scrape.contentType());
            }
            Scrape closed = Await.value("the closed socket gone from the gauge", WITHIN,
                    () -> Scrape.of(chat.http(), metrics), s -> s.value("chat_ws_open_sockets") == 0);
            assertEquals(0, closed.value("chat_ws_subscriptions"));
        }
    }

    @Test
    void aRateLimitsRefusalsAreCountedByItsPolicy() {
        try (TestServer chat = TestServer.start(TestServer.config().with(Settings.CLIENT_LIMIT_EXEMPT, "")
                .with(Settings.RATE_POSTS, new Rate(2, Duration.ofHours(1)))
                .with(Settings.METRICS_LISTEN, "127.0.0.1:0").build())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            chat.postMessage(key, channel, "one");
            chat.postMessage(key, channel, "two");
            assertEquals("RATE_LIMITED", chat.post("post", Map.of("sesskey", key, "channel", channel,
                    "message", "three")).error());
            Scrape scrape = Scrape.of(chat.http(), chat.server.metricsUrl());
            assertEquals(1, scrape.value("chat_rate_limited_total{limit=\"posts\"}"), scrape.text());
            assertEquals(1, scrape.value("chat_calls_total{call=\"post\",outcome=\"RATE_LIMITED\"}"));
        }
    }

    @Test
    void openMetricsIsAnsweredWhenAsked() {
        try (TestServer chat = startWithMetrics()) {
            Scrape scrape = Scrape.of(chat.http(), chat.server.metricsUrl(),
                    "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertTrue(scrape.contentType().startsWith("application/openmetrics-text"), scrape.contentType());
            assertTrue(scrape.text().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        }
    }

    @Test
    void onRedisItsCallsAndHealthAreMeasuredWithoutTheStoresCounts() throws Exception {
        try (LocalRedis redis = LocalRedis.start();
             TestServer chat = TestServer.start(TestServer.config().with(Settings.STORE, redis.url())
                     .with(Settings.METRICS_LISTEN, "127.0.0.1:0").build())) {
            long key = chat.newSession();
            chat.postMessage(key, chat.newChannel(key), "hello");
            Scrape scrape = Scrape.of(chat.http(), chat.server.metricsUrl());
            assertEquals(1, scrape.value("chat_redis_up"));
            assertTrue(scrape.value("chat_redis_call_duration_seconds_count") >= 3, "logon, create and post at least");
            assertEquals(0, scrape.value("chat_redis_failures_total"));
            assertEquals(1, scrape.value("chat_calls_total{call=\"post\",outcome=\"ok\"}"));
            assertTrue(scrape.samples().keySet().stream().noneMatch(name -> name.startsWith("chat_kept_")),
                    "no store counts that would cost a Redis call per scrape");
        }
    }

    @Test
    void withMetricsOffThereIsNoListener() {
        try (TestServer chat = TestServer.start()) {
            assertNull(chat.server.metricsUrl());
        }
    }
}
