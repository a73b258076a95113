package io.satsuma.profile;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain core stays framework-free: it can be read, tested and reused without Quarkus. */
@AnalyzeClasses(packages = "io.satsuma.profile", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule domainIsFrameworkFree = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "io.quarkus..", "io.smallrye..",
                    "org.hibernate..", "io.vertx..", "org.apache.kafka..", "io.satsuma.support..");

    @ArchTest
    static final ArchRule domainDoesNotKnowTheAdapters = noClasses().that().resideInAPackage("..domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..adapter..", "..application..");

    @ArchTest
    static final ArchRule applicationDoesNotKnowTheAdapters = noClasses().that().resideInAPackage("..application..")
            .should().dependOnClassesThat().resideInAnyPackage("..adapter..");
}
