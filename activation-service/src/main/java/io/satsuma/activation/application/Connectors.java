package io.satsuma.activation.application;

import io.satsuma.activation.domain.AudienceConnector;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.MessageConnector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;

/** The connector of each destination type, found among the beans that implement the ports. */
@ApplicationScoped
public class Connectors {
    private final Map<DestinationType, AudienceConnector> audiences = new EnumMap<>(DestinationType.class);
    private final Map<DestinationType, MessageConnector> messages = new EnumMap<>(DestinationType.class);

    Connectors(Instance<AudienceConnector> audienceConnectors, Instance<MessageConnector> messageConnectors) {
        audienceConnectors.forEach(c -> audiences.put(c.type(), c));
        messageConnectors.forEach(c -> messages.put(c.type(), c));
        for (DestinationType type : DestinationType.values()) {
            if (!audiences.containsKey(type) && !messages.containsKey(type)) {
                throw new IllegalStateException("no connector for " + type.id());
            }
        }
    }

    public AudienceConnector audience(DestinationType type) {
        return audiences.get(type);
    }

    public MessageConnector message(DestinationType type) {
        return messages.get(type);
    }
}
