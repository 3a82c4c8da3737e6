package chat.testing;

import chat.client.Client;
import chat.client.ClientKey;

/** Clients for tests that call the core in-process, with no connection to say who is calling. */
public final class TestClients {
    /** On loopback, exempt from the per-client limits, as the server's default exemption makes it. */
    public static final Client LOCAL = new Client(new ClientKey("127.0.0.1"), true);

    private TestClients() {
    }

    /** A client that the per-client limits apply to. */
    public static Client remote(String address) {
        return new Client(new ClientKey(address), false);
    }
}
