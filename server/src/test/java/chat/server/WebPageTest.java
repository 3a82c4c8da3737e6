package chat.server;

import chat.config.Settings;
import chat.testing.TestServer;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser page's files over real HTTP (spec http/24): only GET and HEAD of their fixed paths serve a file, each
 * with its type, the Content-Security-Policy and nosniff; everything else answers as a call would. CORS
 * (http/25): answered for the configured origins only.
 */
@Timeout(30)
class WebPageTest {
    private static final List<String> FILES = List.of("/", "/web/style.css", "/web/icon.svg", "/web/app.js",
            "/web/api.js", "/web/live.js", "/web/view.js");

    private static Request.Builder request(TestServer server, String path) {
        return new Request.Builder().url(server.url(path));
    }

    @Test
    void everyFileOfThePageIsServedWithItsTypeAndTheSecurityHeaders() throws IOException {
        try (TestServer server = TestServer.start()) {
            for (String path : FILES) {
                try (Response response = server.http().newCall(request(server, path).build()).execute()) {
                    assertEquals(200, response.code(), path);
                    String type = response.header("Content-Type");
                    String expected = path.equals("/") ? "text/html; charset=utf-8" : path.endsWith(".js")
                            ? "text/javascript; charset=utf-8" : path.endsWith(".css") ? "text/css; charset=utf-8"
                            : "image/svg+xml";
                    assertEquals(expected, type, path);
                    assertEquals(WebPage.CONTENT_SECURITY_POLICY, response.header("Content-Security-Policy"), path);
                    assertTrue(response.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
                    assertEquals("nosniff", response.header("X-Content-Type-Options"), path);
                    String body = response.body().string();
                    assertFalse(body.isEmpty(), path);
                    assertEquals(Long.parseLong(response.header("Content-Length")), body.getBytes(
                            java.nio.charset.StandardCharsets.UTF_8).length, path);
                }
            }
        }
    }

    @Test
    void thePageFetchesNothingFromElsewhereAndHasNoInlineScript() throws IOException {
        try (TestServer server = TestServer.start()) {
            for (String path : FILES) {
                try (Response response = server.http().newCall(request(server, path).build()).execute()) {
                    String body = response.body().string();
                    assertFalse(body.matches("(?s).*(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/.*")
                            && !path.endsWith(".svg"), path + " names another site");
                    assertFalse(body.contains("innerHTML") || body.contains("insertAdjacentHTML")
                            || body.contains("document.write"), path + " writes markup");
                }
            }
            try (Response page = server.http().newCall(request(server, "/").build()).execute()) {
                String html = page.body().string();
                assertFalse(html.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "an inline script");
                assertFalse(html.contains("<style") || html.contains(" style=") || html.matches("(?s).*\\son[a-z]+=.*"),
                        "inline style or handlers");
            }
        }
    }

    @Test
    void headHasNoBodyAndAKnownVersionIsAnsweredNotModified() throws IOException {
        try (TestServer server = TestServer.start()) {
            String etag;
            long length;
            try (Response head = server.http().newCall(request(server, "/web/app.js").head().build()).execute()) {
                assertEquals(200, head.code());
                assertEquals("", head.body().string());
                etag = head.header("ETag");
                length = Long.parseLong(head.header("Content-Length"));
                assertEquals("no-cache", head.header("Cache-Control"));
            }
            assertTrue(length > 0);
            try (Response again = server.http().newCall(request(server, "/web/app.js")
                    .header("If-None-Match", etag).build()).execute()) {
                assertEquals(304, again.code());
                assertEquals("", again.body().string());
                assertEquals(WebPage.CONTENT_SECURITY_POLICY, again.header("Content-Security-Policy"));
            }
        }
    }

    @Test
    void otherMethodsAndPathsKeepTheirEnvelopes() {
        try (TestServer server = TestServer.start()) {
            TestServer.Reply postRoot = server.post("", "{}");
            assertEquals(404, postRoot.httpStatus());
            assertEquals("UNKNOWN_CALL", postRoot.error());
            assertEquals("application/json", postRoot.contentType());
            for (String path : List.of("/index.html", "/web/", "/web/missing.js", "/web/APP.JS",
                    "/app.js", "/web/app.js/")) {
                TestServer.Reply reply = server.send(request(server, path).build());
                assertEquals(404, reply.httpStatus(), path);
                assertEquals("UNKNOWN_CALL", reply.error(), path);
            }
            // As sent, not as a client library would tidy it: no path is resolved, so ".." reaches nothing.
            for (String target : List.of("/web/../web/app.js", "/web/%2e%2e/web/app.js", "/./", "//web/app.js")) {
                try (RawHttp raw = new RawHttp(server.url(""))) {
                    raw.send(RawHttp.head("GET", target, raw.host(), 0, ""));
                    RawHttp.Response response = raw.read();
                    assertEquals(404, response.status(), target);
                    assertTrue(response.body().contains("UNKNOWN_CALL"), target);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            TestServer.Reply put = server.send(request(server, "/web/app.js").put(RequestBody.create(new byte[0]))
                    .build());
            assertEquals(404, put.httpStatus());
            assertEquals("UNKNOWN_CALL", put.error());
        }
    }

    @Test
    void webFalseTurnsThePageOff() {
        try (TestServer server = TestServer.start(TestServer.config().with(Settings.WEB, false).build())) {
            for (String path : FILES) {
                TestServer.Reply reply = server.send(request(server, path).build());
                assertEquals(404, reply.httpStatus(), path);
                assertEquals("UNKNOWN_CALL", reply.error(), path);
            }
        }
    }

    @Test
    void aPreflightFromAConfiguredOriginIsAnsweredAndItsCallsCarryTheHeaders() throws IOException {
        String origin = "https://chat.example.org";
        try (TestServer server = TestServer.start(TestServer.config()
                .with(Settings.CORS_ORIGINS, "https://CHAT.example.org:443, http://localhost:3000").build())) {
            Request preflight = request(server, "/logon").method("OPTIONS", null).header("Origin", origin)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type").build();
            try (Response answer = server.http().newCall(preflight).execute()) {
                assertEquals(204, answer.code());
                assertEquals(origin, answer.header("Access-Control-Allow-Origin"));
                assertTrue(answer.header("Access-Control-Allow-Methods").contains("POST"));
                assertTrue(answer.header("Access-Control-Allow-Headers").contains("Content-Type"));
                assertNull(answer.header("Access-Control-Allow-Credentials"), "no credentials: keys are in bodies");
            }
            Request logon = request(server, "/logon").header("Origin", "http://localhost:3000")
                    .post(RequestBody.create("{\"username\":\"cors\",\"password\":\"pw\"}", null)).build();
            try (Response answer = server.http().newCall(logon).execute()) {
                assertEquals(200, answer.code());
                assertEquals("http://localhost:3000", answer.header("Access-Control-Allow-Origin"));
                assertTrue(answer.header("Access-Control-Expose-Headers").contains("Retry-After"));
                assertTrue(answer.headers("Vary").contains("Origin"));
            }
            Request stranger = request(server, "/logon").method("OPTIONS", null)
                    .header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "POST")
                    .build();
            try (Response answer = server.http().newCall(stranger).execute()) {
                assertEquals(405, answer.code(), "an origin not configured is answered as if there were no CORS");
                assertNull(answer.header("Access-Control-Allow-Origin"));
            }
        }
    }

    @Test
    void withoutConfiguredOriginsThereIsNoCors() throws IOException {
        try (TestServer server = TestServer.start()) {
            Request preflight = request(server, "/logon").method("OPTIONS", null)
                    .header("Origin", "https://chat.example.org").header("Access-Control-Request-Method", "POST")
                    .build();
            try (Response answer = server.http().newCall(preflight).execute()) {
                assertEquals(405, answer.code());
                assertNull(answer.header("Access-Control-Allow-Origin"));
                assertTrue(answer.body().string().contains("METHOD_NOT_ALLOWED"));
            }
        }
    }
}
