package chat.client;

import chat.config.AddressRange;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAddressesTest {
    private final ClientAddresses clients = new ClientAddresses(AddressRange.parseList("10.0.0.0/8"),
            AddressRange.parseList("127.0.0.1,::1"));

    @Test
    void anIpv4AddressIsOneClient() {
        assertEquals(ClientKey.of(ip("203.0.113.7")), ClientKey.of(ip("203.0.113.7")));
        assertNotEquals(ClientKey.of(ip("203.0.113.7")), ClientKey.of(ip("203.0.113.8")));
        assertEquals("203.0.113.7", ClientKey.of(ip("203.0.113.7")).address());
    }

    @Test
    void ipv6AddressesAreGroupedByTheirSlash64() {
        assertEquals(ClientKey.of(ip("2001:db8:1:2::1")), ClientKey.of(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assertNotEquals(ClientKey.of(ip("2001:db8:1:2::1")), ClientKey.of(ip("2001:db8:1:3::1")));
        assertEquals("2001:db8:1:2:0:0:0:0/64", ClientKey.of(ip("2001:db8:1:2::99")).address());
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() {
        Client client = clients.ofRequest(ip("203.0.113.7"), List.of("198.51.100.1"));
        assertEquals(ClientKey.of(ip("203.0.113.7")), client.key());
        assertFalse(client.exempt());
        assertFalse(clients.ofRequest(ip("203.0.113.7"), List.of("127.0.0.1")).exempt(), "nor can it claim exemption");
    }

    @Test
    void fromATrustedPeerTheClientIsTheNearestUntrustedEntry() {
        assertEquals(key("198.51.100.1"), clients.ofRequest(ip("10.0.0.1"), List.of("198.51.100.1")).key());
        // Walking from the right: our proxies (10/8) are skipped, what the client wrote on the left is not believed.
        assertEquals(key("198.51.100.1"), clients.ofRequest(ip("10.0.0.1"),
                List.of("6.6.6.6, 198.51.100.1, 10.2.2.2")).key());
        assertEquals(key("198.51.100.1"), clients.ofRequest(ip("10.0.0.1"),
                List.of("6.6.6.6", "198.51.100.1, 10.2.2.2")).key(), "several headers are one list");
        assertEquals(key("2001:db8::1"), clients.ofRequest(ip("10.0.0.1"), List.of("[2001:db8::1]:4711")).key());
        assertEquals(key("198.51.100.1"), clients.ofRequest(ip("10.0.0.1"), List.of("198.51.100.1:5000")).key());
    }

    @Test
    void fromATrustedPeerWithoutAUsableEntryTheClientIsTheLastTrustedHop() {
        assertEquals(key("10.0.0.1"), clients.ofRequest(ip("10.0.0.1"), List.of()).key());
        assertEquals(key("10.3.3.3"), clients.ofRequest(ip("10.0.0.1"), List.of("10.3.3.3, 10.2.2.2")).key(),
                "every entry trusted: the leftmost is as near the client as is known");
        assertEquals(key("10.2.2.2"), clients.ofRequest(ip("10.0.0.1"), List.of("unknown, 10.2.2.2")).key(),
                "an entry that is no address stops the walk");
    }

    @Test
    void exemptionFollowsTheResolvedClient() {
        assertTrue(clients.ofRequest(ip("127.0.0.1"), List.of()).exempt());
        assertFalse(clients.ofRequest(ip("127.0.0.2"), List.of()).exempt(), "only the listed loopback address");
        assertTrue(clients.ofRequest(ip("10.0.0.1"), List.of("127.0.0.1")).exempt(), "an exempt client behind a proxy");
        assertFalse(clients.ofRequest(ip("10.0.0.1"), List.of()).exempt(), "a trusted proxy is not exempt from socket bounds");
        assertTrue(clients.isConnectionExempt(ip("10.0.0.1")), "but is from the connection bound");
        assertTrue(clients.isConnectionExempt(ip("::1")));
        assertFalse(clients.isConnectionExempt(ip("127.0.0.2")));
    }

    @Test
    void forwardingFromAnExemptUntrustedPeerIsWarnedOfOnce() {
        ClientAddresses fresh = new ClientAddresses(List.of(), AddressRange.parseList("127.0.0.1"));
        assertFalse(fresh.warnOnceIfExempt(ip("127.0.0.2")), "not exempt: nothing to warn of");
        assertTrue(fresh.warnOnceIfExempt(ip("127.0.0.1")));
        assertFalse(fresh.warnOnceIfExempt(ip("127.0.0.1")), "once per server");
        ClientAddresses trusting = new ClientAddresses(AddressRange.parseList("127.0.0.1"),
                AddressRange.parseList("127.0.0.1"));
        assertFalse(trusting.warnOnceIfExempt(ip("127.0.0.1")), "a trusted proxy's header is believed: no warning");
    }

    @Test
    void openCountsBoundWhatIsOpenAtOnce() {
        OpenCounts<String> counts = new OpenCounts<>();
        OpenCounts<String>.Permit first = counts.tryOpen("a", 2);
        OpenCounts<String>.Permit second = counts.tryOpen("a", 2);
        assertNull(counts.tryOpen("a", 2));
        assertTrue(counts.tryOpen("b", 2) != null, "another key has its own count");
        first.close();
        first.close(); // released once
        assertEquals(1, counts.count("a"));
        assertTrue(counts.tryOpen("a", 2) != null);
        second.close();
        assertEquals(1, counts.count("a"));
    }

    private static ClientKey key(String address) {
        return ClientKey.of(ip(address));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
