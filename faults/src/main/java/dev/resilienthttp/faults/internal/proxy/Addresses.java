package dev.resilienthttp.faults.internal.proxy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * {@code host:port} strings the way Go's {@code net} package reads and prints them: the port is
 * after the last colon, IPv6 hosts are bracketed, an empty host means every interface (printed
 * {@code [::]}), and names resolve preferring IPv4 ({@code localhost} becomes {@code 127.0.0.1}).
 */
final class Addresses {
    private Addresses() {
    }

    /** The address to bind for a {@code listen} string. */
    static InetSocketAddress forListen(String listen) throws ApiException {
        String[] hostPort = split(listen);
        int port = port(listen, hostPort[1]);
        if (hostPort[0].isEmpty()) {
            return new InetSocketAddress(port);
        }
        return new InetSocketAddress(resolve(hostPort[0]), port);
    }

    /** What Go's {@code ResolveTCPAddr(listen).String()} gives: used to tell whether a listen changed. */
    static String resolvedForm(String listen) throws ApiException {
        String[] hostPort = split(listen);
        int port = port(listen, hostPort[1]);
        return hostPort[0].isEmpty() ? ":" + port : print(resolve(hostPort[0]), port);
    }

    /** How Go prints a bound listener's address. */
    static String print(InetAddress address, int port) {
        if (address.isAnyLocalAddress()) {
            return "[::]:" + port;
        }
        if (address instanceof Inet6Address) {
            return "[" + compressed(address.getAddress()) + "]:" + port;
        }
        return address.getHostAddress() + ":" + port;
    }

    /** RFC 5952 text, as Go prints IPv6 ({@code ::1}, where Java says {@code 0:0:0:0:0:0:0:1}). */
    static String compressed(byte[] ipv6) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((ipv6[2 * i] & 0xff) << 8) | (ipv6[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** Splits {@code host:port} like Go's {@code net.SplitHostPort}, with its error texts. */
    static String[] split(String address) throws ApiException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw ApiException.internal("address " + address + ": missing port in address");
        }
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw ApiException.internal("address " + address + ": missing ']' in address");
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw ApiException.internal("address " + address + ": too many colons in address");
        }
        return new String[] {host, port};
    }

    static InetAddress resolve(String host) throws ApiException {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            return Arrays.stream(all).filter(a -> a instanceof Inet4Address).findFirst().orElse(all[0]);
        } catch (UnknownHostException e) {
            throw ApiException.internal("lookup " + host + ": no such host");
        }
    }

    private static int port(String address, String port) throws ApiException {
        try {
            int value = port.isEmpty() ? 0 : Integer.parseInt(port);
            if (value < 0 || value > 65535) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.internal("address " + address + ": invalid port");
        }
    }
}
