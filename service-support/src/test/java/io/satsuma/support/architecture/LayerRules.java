package io.satsuma.support.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering every service follows, shared through this module's test jar: a service's
 * {@code ArchitectureTest} includes these rules with {@code ArchTests.in(LayerRules.class)}.
 */
public final class LayerRules {
    private LayerRules() {
    }

    /** The domain core stays framework-free: it can be read, tested and reused without Quarkus. */
    @ArchTest
    public static final ArchRule domainIsFrameworkFree = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "io.quarkus..", "io.smallrye..",
                    "org.hibernate..", "io.vertx..", "org.apache.kafka..", "io.satsuma.support..");

    /**
     * The domain reads JSON languages (conditions, Segment-spec messages) through Jackson's tree model only: no
     * annotations or modules that would tie domain types to a wire format (ADR 010).
     */
    @ArchTest
    public static final ArchRule domainUsesJacksonOnlyAsATreeModel = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson.annotation..",
                    "com.fasterxml.jackson.datatype..", "com.fasterxml.jackson.databind.annotation..",
                    "com.fasterxml.jackson.databind.module..");

    @ArchTest
    public static final ArchRule domainDoesNotKnowTheAdapters = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..adapter..", "..application..");

    @ArchTest
    public static final ArchRule applicationDoesNotKnowTheAdapters = noClasses().that().resideInAPackage("..application..")
            .should().dependOnClassesThat().resideInAnyPackage("..adapter..");

    /**
     * Use cases say no with the framework-free failures ({@code io.satsuma.support.failure}) or results; HTTP
     * statuses, Kafka records, Redis and REST types live in the adapters.
     */
    @ArchTest
    public static final ArchRule applicationSpeaksNeitherHttpNorKafka = noClasses().that().resideInAPackage("..application..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..",
                    "io.satsuma.support.problem..", "org.apache.kafka..", "io.smallrye.reactive.messaging..",
                    "io.vertx..", "io.quarkus.redis..", "org.eclipse.microprofile.openapi..");

    /** REST resources translate HTTP and delegate to use cases; they never reach into other adapters. */
    @ArchTest
    public static final ArchRule resourcesDelegateToUseCases = noClasses().that().resideInAPackage("..adapter.rest..")
            .should().dependOnClassesThat().resideInAnyPackage("..adapter.persistence..", "..adapter.messaging..",
                    "..adapter.cache..", "..adapter.http..");

    /** Persistence, messaging and cache adapters implement ports and drive use cases, never the REST layer. */
    @ArchTest
    public static final ArchRule onlyRestKnowsRest = noClasses().that().resideInAnyPackage("..adapter.persistence..",
                    "..adapter.messaging..", "..adapter.cache..", "..adapter.scheduling..")
            .should().dependOnClassesThat().resideInAnyPackage("..adapter.rest..");
}
