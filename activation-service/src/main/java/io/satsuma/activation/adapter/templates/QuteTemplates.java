package io.satsuma.activation.adapter.templates;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Expression;
import io.quarkus.qute.ResultMapper;
import io.quarkus.qute.Results;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.TemplateNode;
import io.satsuma.activation.domain.Templates;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * Message templates on a standalone Qute engine: maps read by key ({@code {traits.first_name}}), a missing value
 * renders as nothing (so {@code {traits.first_name ?: 'there'}} gives a fallback, and no message ever says
 * "NOT_FOUND"), parsed templates cached.
 */
@ApplicationScoped
class QuteTemplates implements Templates {
    private final Engine engine = Engine.builder().addDefaults().strictRendering(false)
            .addResultMapper(new ResultMapper() {
                @Override
                public boolean appliesTo(TemplateNode.Origin origin, Object result) {
                    return Results.isNotFound(result);
                }

                @Override
                public String map(Object result, Expression expression) {
                    return "";
                }
            }).build();
    private final Cache<String, Template> parsed = Caffeine.newBuilder().maximumSize(1_000).build();

    @Override
    public Optional<String> check(String template) {
        try {
            engine.parse(template);
            return Optional.empty();
        } catch (TemplateException e) {
            return Optional.of("the template does not parse: " + e.getMessage());
        }
    }

    @Override
    public String render(String template, Map<String, Object> data) {
        Template compiled = parsed.get(template, engine::parse);
        return compiled.render(data);
    }
}
