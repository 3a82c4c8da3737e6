package chat.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerUrlTest {
    private static String normal(String written) {
        return ServerUrl.parse(written).text();
    }

    @Test
    void aServerWithoutASchemeIsAssumedToSpeakPlainHttp() {
        assertEquals("http://localhost:8080", normal("localhost:8080"));
        assertEquals("http://chat.example.org", normal("chat.example.org"));
        assertEquals("http://[::1]:8080", normal("[::1]:8080"));
        assertEquals("http://chat_server:8080", normal("Chat_Server:8080"), "a container's service name");
        assertEquals("https://chat_server", normal("https://chat_server:443/"));
    }

    @Test
    void theNormalFormHasLowerCaseSchemeAndHostNoDefaultPortAndNoTrailingSlash() {
        assertEquals("http://localhost", normal("HTTP://LocalHost:80/"));
        assertEquals("https://chat.example.org", normal("https://Chat.Example.ORG:443"));
        assertEquals("https://chat.example.org:80", normal("https://chat.example.org:80"));
        assertEquals("http://chat.example.org:443", normal("http://chat.example.org:443//"));
        assertEquals("http://127.0.0.1:8080/chat", normal(" http://127.0.0.1:8080/chat/ "));
    }

    @Test
    void localhostAndItsAddressStayDifferentServers() {
        assertTrue(!normal("localhost:8080").equals(normal("127.0.0.1:8080")));
    }

    @Test
    void whatIsNotAnHttpServerUrlIsRefusedSayingWhatIsExpected() {
        String[][] cases = {
                {"ftp://x", "the scheme is ftp"},
                {"http://", "there is no host"},
                {"http://:8080", "there is no host"},
                {"a b", "illegal character"},
                {"localhost:70000", "port 70000 is out of range"},
                {"localhost:0", "port 0 is out of range"},
                {"http://alice:pw@host", "no user, query or fragment"},
                {"", "it is empty"},
                {"http:/localhost:1", "a scheme is followed by //"},
                {"https:chat.example.org", "a scheme is followed by //"},
                {"chat_server:99999", "port 99999 is out of range"},
        };
        for (String[] written : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerUrl.parse(written[0]),
                    written[0]);
            assertTrue(e.getMessage().contains(written[1]) && e.getMessage().contains(ServerUrl.EXPECTED),
                    written[0] + ": " + e.getMessage());
        }
    }

    @Test
    void aSessionKeyThatDoesNotParseIsKeptAsItIs() {
        assertEquals("not a url at all", ServerUrl.sessionKey("not a url at all"));
        assertEquals("http://localhost:8080", ServerUrl.sessionKey("http://LOCALHOST:8080/"));
    }
}
