package io.satsuma.activation.domain;

/** Sends one message through one vendor; one implementation per message type. */
public interface MessageConnector {

    DestinationType type();

    /**
     * Sends to one recipient: a phone number, one device token (push sends once per token), or a webhook URL.
     *
     * @param recipient the number or token; ignored by webhooks
     */
    CallOutcome send(Target target, OutgoingMessage message, String recipient);

    CallOutcome test(Target target);
}
