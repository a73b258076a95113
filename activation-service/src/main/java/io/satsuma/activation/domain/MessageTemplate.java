package io.satsuma.activation.domain;

import java.util.Map;

/**
 * What a triggered message says, as Qute templates over the person ({@code {traits.first_name ?: 'there'}},
 * {@code {segment.name}}, {@code {profile.id}}): an SMS uses {@code body}; a push uses {@code title}, {@code body}
 * and {@code data} (string values).
 */
public record MessageTemplate(String title, String body, Map<String, String> data) {
    public MessageTemplate {
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
