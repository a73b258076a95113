package io.satsuma.activation.config;

import io.satsuma.activation.domain.DestinationAddresses;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.List;

/** The one {@link DestinationAddresses} policy, with the operator's allowed networks and the system's name resolution. */
class DestinationAddressesProducer {
    @Produces
    @Singleton
    DestinationAddresses destinationAddresses(ActivationConfig config) {
        return new DestinationAddresses(config.destinations().allowedPrivateNetworks().orElse(List.of()),
                InetAddress::getAllByName);
    }
}
