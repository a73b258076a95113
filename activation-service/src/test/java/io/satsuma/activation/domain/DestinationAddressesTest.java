package io.satsuma.activation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Destinations may not point into the service's own network, unless the operator allows a network; names resolve anew each time. */
class DestinationAddressesTest {
    private final DestinationAddresses none = new DestinationAddresses(List.of(), InetAddress::getAllByName);

    @Test
    void internalAddressesAreRefusedAndPublicOnesAllowed() {
        for (String internal : List.of("127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "0.0.0.0", "[::1]", "[fe80::1]", "[fc00::1]", "[fd12:3456::1]",
                "[::ffff:10.0.0.1]", "[::]", "224.0.0.1")) {
            assertThat(none.refusal(URI.create("http://" + internal + "/hook"))).as(internal).isPresent();
        }
        for (String external : List.of("93.184.216.34", "172.32.0.1", "100.128.0.1", "8.8.8.8", "[2606:2800:220:1::1]")) {
            assertThat(none.refusal(URI.create("https://" + external + "/hook"))).as(external).isEmpty();
        }
        assertThat(none.refusal(URI.create("http://169.254.169.254/latest/meta-data")).orElseThrow())
                .contains("169.254.169.254").contains("internal address").contains("allowed now: none");
    }

    @Test
    void theOperatorMayAllowNetworks() {
        DestinationAddresses loopback = new DestinationAddresses(List.of("127.0.0.0/8", "::1/128", " "), InetAddress::getAllByName);

        assertThat(loopback.refusal(URI.create("http://127.0.0.1:8080/x"))).isEmpty();
        assertThat(loopback.refusal(URI.create("http://[::1]:8080/x"))).isEmpty();
        assertThat(loopback.refusal(URI.create("http://10.0.0.1/x"))).isPresent();
        assertThat(loopback.allowedNetworks()).containsExactly("127.0.0.0/8", "0:0:0:0:0:0:0:1/128");
        assertThat(new DestinationAddresses(List.of("10.20.0.0/16"), InetAddress::getAllByName)
                .refusal(URI.create("http://10.20.3.4/x"))).isEmpty();
    }

    @Test
    void aNameIsResolvedAnewAtEveryCheckSoAChangeOfAddressIsCaught() throws Exception {
        Map<String, String> dns = new HashMap<>(Map.of("hooks.example", "93.184.216.34"));
        List<String> lookups = new ArrayList<>();
        DestinationAddresses addresses = new DestinationAddresses(List.of(), host -> {
            lookups.add(host);
            if (!dns.containsKey(host)) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(dns.get(host))};
        });

        assertThat(addresses.refusal(URI.create("https://hooks.example/in"))).isEmpty();
        dns.put("hooks.example", "10.0.0.7"); // rebound to an internal address after it was saved
        assertThat(addresses.refusal(URI.create("https://hooks.example/in")).orElseThrow()).contains("resolves to 10.0.0.7");
        assertThat(addresses.refusal(URI.create("https://unknown.example/in"))).as("left to fail on its own").isEmpty();
        assertThat(lookups).containsExactly("hooks.example", "hooks.example", "unknown.example");
    }
}
