package chat.server;

import chat.testing.RawConnection;
import chat.testing.TestServer;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /version says what runs, in the envelope; /health still answers exactly as before (spec http/6). */
@Timeout(30)
class VersionTest {
    @Test
    void versionAnswersTheBuildsVersionAndCommitAndHealthIsUnchanged() {
        try (TestServer chat = TestServer.start();
             RawConnection connection = new RawConnection("127.0.0.1", chat.server.port())) {
            RawConnection.Answer version = connection.get("/version");
            assertEquals(200, version.status(), version.toString());
            JsonObject data = version.json().getAsJsonObject("data");
            assertTrue(version.json().get("status").getAsBoolean());
            assertTrue(data.get("version").getAsString().matches("[0-9].*"), "the version Maven built: " + data);
            assertTrue(!data.get("commit").getAsString().isEmpty(), data.toString());
            assertEquals("{\"status\":true,\"data\":\"ok\"}", connection.get("/health").body());
            assertEquals(405, connection.post("/version", "{}").status(), "read with GET");
        }
    }
}
