package io.satsuma.activation.domain;

import java.util.Map;
import java.util.Optional;

/** Message templates (Qute): checked when a sync is saved, rendered per person at send time. */
public interface Templates {

    /** Why the template does not parse (with its line), or empty when it does. */
    Optional<String> check(String template);

    /** Renders with {@code data} ({@code traits}, {@code profile}, {@code segment}); a missing value renders empty. */
    String render(String template, Map<String, Object> data);
}
