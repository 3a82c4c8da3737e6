package chat.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A block of IP addresses written in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), or one address
 * ({@code 127.0.0.1}, {@code ::1}: all its bits). Parsed strictly: literal addresses only, never a host name (which
 * would be looked up in DNS as the server starts), and no bits set past the prefix ({@code 10.0.0.1/8} is refused, as
 * it is more likely a typo than meant). An IPv4 address never falls in an IPv6 range, nor the reverse; Java already
 * reads an IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) as the IPv4 address it carries.
 */
public record AddressRange(byte[] network, int prefixBits, String text) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** One range; throws IllegalArgumentException saying what is wrong with the text. */
    public static AddressRange parse(String written) {
        String text = written.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] network = literal(address, written);
        int bits = network.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("'" + written + "': the prefix length after / must be 0 to " + bits);
            }
            prefix = Integer.parseInt(length);
        }
        for (int bit = prefix; bit < bits; bit++) {
            if ((network[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("'" + written + "' has bits set past its /" + prefix
                        + " prefix; write the network address");
            }
        }
        return new AddressRange(network, prefix, text);
    }

    /** A comma-separated list ({@code 10.0.0.0/8, ::1}); empty text is no range at all. */
    public static List<AddressRange> parseList(String text) {
        List<AddressRange> ranges = new ArrayList<>();
        if (text.isBlank()) {
            return List.copyOf(ranges);
        }
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("'" + text + "' has an empty entry between its commas");
            }
            ranges.add(parse(part));
        }
        return List.copyOf(ranges);
    }

    /** Whether the address lies in this range. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int whole = prefixBits / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff00 >>> rest) & 0xff;
        return (bytes[whole] & mask) == (network[whole] & mask);
    }

    /** Whether any of the ranges holds the address. */
    public static boolean anyContains(List<AddressRange> ranges, InetAddress address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One literal address (no range), e.g. an entry of X-Forwarded-For; throws IllegalArgumentException when the
     * text is not one. Never looks up a name.
     */
    public static InetAddress parseAddress(String written) {
        try {
            return InetAddress.getByAddress(literal(written.strip(), written));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + written + "' is not a valid IP address"); // a length getByAddress refuses: never
        }
    }

    /** The bytes of a literal IPv4 or IPv6 address; refuses anything else, host names included. */
    private static byte[] literal(String address, String written) {
        boolean v4 = IPV4.matcher(address).matches();
        if (!v4 && !IPV6.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + written + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, "
                    + "127.0.0.1, 2001:db8::/32)");
        }
        if (v4) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("'" + written + "' is not a valid IPv4 address");
                }
            }
        }
        try {
            // A literal is parsed without a DNS lookup: the patterns above let no host name through.
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + written + "' is not a valid IP address");
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
