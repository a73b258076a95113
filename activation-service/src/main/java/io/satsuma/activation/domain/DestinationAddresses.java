package io.satsuma.activation.domain;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a destination may be sent to (ADR 017): not loopback, link-local (169.254.169.254, the cloud
 * metadata service, among them), private (10/8, 172.16/12, 192.168/16, fc00::/7), carrier-grade NAT (100.64/10) or
 * unspecified ones — a workspace admin must not be able to make the service call into its own network — unless the
 * operator allows that network ({@code satsuma.activation.destinations.allowed-private-networks}, CIDRs). Checked
 * when a destination is saved and again, resolving the name anew, before every call: a name may resolve elsewhere
 * later.
 */
public final class DestinationAddresses {
    /** Name resolution; {@code InetAddress::getAllByName} in the service. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Network> allowed;
    private final Resolver resolver;

    public DestinationAddresses(List<String> allowedNetworks, Resolver resolver) {
        this.allowed = allowedNetworks.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Network::parse).toList();
        this.resolver = resolver;
    }

    /**
     * Why the URL may not be called, or empty if it may. A name that does not resolve is not refused here: the
     * call will fail on its own, and be retried.
     */
    public Optional<String> refusal(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return Optional.of("the URL has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (isInternal(address) && allowed.stream().noneMatch(n -> n.contains(address))) {
                return Optional.of(host + " is " + (host.equals(address.getHostAddress()) ? "" : "resolves to ")
                        + address.getHostAddress() + ", an internal address (loopback, link-local, private or "
                        + "unspecified); destinations may not point into the service's own network unless the operator "
                        + "allows that network (allowed now: " + (allowed.isEmpty() ? "none" : String.join(", ", allowedNetworks()))
                        + ")");
            }
        }
        return Optional.empty();
    }

    /** Loopback, link-local, site-local, unique-local IPv6, carrier-grade NAT, unspecified or multicast. */
    static boolean isInternal(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16 && isIpv4Mapped(b)) {
            byte[] v4 = new byte[] {b[12], b[13], b[14], b[15]};
            try {
                return isInternal(InetAddress.getByAddress(v4));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()
                || (b.length == 16 && (b[0] & 0xfe) == 0xfc)
                || (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64)
                || (b.length == 4 && (b[0] & 0xff) == 0);
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    /** A network in CIDR notation, e.g. {@code 127.0.0.0/8} or {@code ::1/128}. */
    record Network(byte[] prefix, int bits) {
        static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                byte[] prefix = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash)).getAddress();
                int bits = slash < 0 ? prefix.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
                if (bits < 0 || bits > prefix.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + cidr);
                }
                return new Network(prefix, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a network in CIDR notation: " + cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((a[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The networks allowed, in CIDR notation (named in refusals, so an operator sees what is configured). */
    public List<String> allowedNetworks() {
        List<String> networks = new ArrayList<>();
        allowed.forEach(n -> {
            try {
                networks.add(InetAddress.getByAddress(n.prefix()).getHostAddress() + "/" + n.bits());
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
        return networks;
    }
}
