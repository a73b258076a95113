package io.satsuma.profile;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import io.satsuma.support.architecture.LayerRules;

/** This service keeps the shared layering: a framework-free domain, adapters at the edge. */
@AnalyzeClasses(packages = "io.satsuma.profile", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchTests layers = ArchTests.in(LayerRules.class);
}
