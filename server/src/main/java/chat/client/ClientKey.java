package chat.client;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Who a client is, for counting what it holds: its IP address, grouped like ntfy groups visitors. An IPv4 address
 * is one client (/32). An IPv6 address is grouped by its /64: one host or one home network is usually given a whole
 * /64 and can pick any address in it, so counting single IPv6 addresses would count nothing.
 *
 * @param address the address as text, e.g. {@code 203.0.113.7} or {@code 2001:db8:1:2:0:0:0:0/64}
 */
public record ClientKey(String address) {
    private static final int IPV6_GROUP_BYTES = 8;

    public static ClientKey of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return new ClientKey(address.getHostAddress());
        }
        byte[] bytes = address.getAddress();
        Arrays.fill(bytes, IPV6_GROUP_BYTES, bytes.length, (byte) 0);
        try {
            return new ClientKey(InetAddress.getByAddress(bytes).getHostAddress() + "/64");
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    @Override
    public String toString() {
        return address;
    }
}
