package chat.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressRangeTest {
    @Test
    void anIpv4RangeHoldsTheAddressesUnderItsPrefix() throws Exception {
        AddressRange range = AddressRange.parse("10.1.0.0/16");
        assertTrue(range.contains(InetAddress.getByName("10.1.0.0")));
        assertTrue(range.contains(InetAddress.getByName("10.1.255.254")));
        assertFalse(range.contains(InetAddress.getByName("10.2.0.1")));
        assertFalse(range.contains(InetAddress.getByName("::ffff:10.2.0.1")), "a mapped address is the IPv4 one");
        assertTrue(range.contains(InetAddress.getByName("::ffff:10.1.2.3")));
    }

    @Test
    void aPrefixNeedNotBeWholeBytes() throws Exception {
        AddressRange range = AddressRange.parse("192.168.4.0/22");
        assertTrue(range.contains(InetAddress.getByName("192.168.7.255")));
        assertFalse(range.contains(InetAddress.getByName("192.168.8.0")));
        assertFalse(range.contains(InetAddress.getByName("192.168.3.255")));
    }

    @Test
    void aSingleAddressIsARangeOfOne() throws Exception {
        AddressRange one = AddressRange.parse("127.0.0.1");
        assertTrue(one.contains(InetAddress.getByName("127.0.0.1")));
        assertFalse(one.contains(InetAddress.getByName("127.0.0.2")));
        AddressRange loopback6 = AddressRange.parse("::1");
        assertTrue(loopback6.contains(InetAddress.getByName("0:0:0:0:0:0:0:1")));
        assertFalse(loopback6.contains(InetAddress.getByName("127.0.0.1")), "families never mix");
    }

    @Test
    void anIpv6RangeHoldsTheAddressesUnderItsPrefix() throws Exception {
        AddressRange range = AddressRange.parse("2001:db8::/32");
        assertTrue(range.contains(InetAddress.getByName("2001:db8:ffff::1")));
        assertFalse(range.contains(InetAddress.getByName("2001:db9::1")));
        assertTrue(AddressRange.parse("::/0").contains(InetAddress.getByName("fe80::1")));
        assertFalse(AddressRange.parse("::/0").contains(InetAddress.getByName("10.0.0.1")));
    }

    @Test
    void aListIsCommaSeparatedAndMayBeEmpty() throws Exception {
        List<AddressRange> ranges = AddressRange.parseList(" 10.0.0.0/8 , ::1");
        assertEquals(2, ranges.size());
        assertTrue(AddressRange.anyContains(ranges, InetAddress.getByName("10.9.9.9")));
        assertTrue(AddressRange.parseList("").isEmpty());
        assertTrue(AddressRange.parseList("  ").isEmpty());
    }

    @Test
    void malformedRangesAreRefusedWithTheReason() {
        assertRefused("10.0.0.1/8", "bits set past");
        assertRefused("10.0.0.0/33", "prefix length");
        assertRefused("10.0.0.0/", "prefix length");
        assertRefused("10.0.0.0/-1", "prefix length");
        assertRefused("2001:db8::/129", "prefix length");
        assertRefused("10.0.0.256", "not a valid IPv4");
        assertRefused("10.0.0", "not an IP address");
        assertRefused("localhost", "not an IP address");
        assertRefused("example.com/24", "not an IP address");
        assertRefused("2001:db8::g", "not an IP address");
        assertRefused("2001:db8:::1", "not a valid IP address");
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> AddressRange.parseList("10.0.0.0/8,,::1"));
        assertTrue(empty.getMessage().contains("empty entry"), empty.getMessage());
    }

    @Test
    void theConfigRefusesMalformedRangesNamingTheSetting() {
        IllegalArgumentException trusted = assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().with(Settings.TRUSTED_PROXIES, "10.0.0.1/8").build());
        assertTrue(trusted.getMessage().startsWith("trusted proxies must be CIDR"), trusted.getMessage());
        IllegalArgumentException exempt = assertThrows(IllegalArgumentException.class,
                () -> Config.defaults().with(Settings.CLIENT_LIMIT_EXEMPT, "loopback").build());
        assertTrue(exempt.getMessage().startsWith("client limit exempt must be CIDR"), exempt.getMessage());
        assertEquals("127.0.0.1,::1", Config.defaults().build().get(Settings.CLIENT_LIMIT_EXEMPT));
    }

    private static void assertRefused(String text, String reason) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(text),
                text);
        assertTrue(refused.getMessage().contains(reason), text + ": " + refused.getMessage());
    }
}
