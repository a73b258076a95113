package io.satsuma.support.testing;

import io.satsuma.support.outbox.Outbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@link Outbox} for use-case tests: keeps what was appended, in order. */
public final class InMemoryOutbox implements Outbox {
    private final List<Message> messages = new ArrayList<>();

    @Override
    public String append(String topic, String key, String ceType, String workspace, Instant time, Object payload) {
        String ceId = UUID.randomUUID().toString();
        messages.add(new Message(topic, key, ceId, ceType, workspace, time, payload));
        return ceId;
    }

    @Override
    public void appendAll(List<Message> appended) {
        messages.addAll(appended);
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The payloads of the given CloudEvents type, in order. */
    public <T> List<T> payloads(String ceType, Class<T> type) {
        return messages.stream().filter(m -> m.ceType().equals(ceType)).map(m -> type.cast(m.payload())).toList();
    }

    public void clear() {
        messages.clear();
    }
}
