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

    @ArchTest
    public static final ArchRule domainDoesNotKnowTheAdapters = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..adapter..", "..application..");

    @ArchTest
    public static final ArchRule applicationDoesNotKnowTheAdapters = noClasses().that().resideInAPackage("..application..")
            .should().dependOnClassesThat().resideInAnyPackage("..adapter..");
}
