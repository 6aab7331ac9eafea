package dev.tideline.processor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tideline.processor");

    @Test
    void theExactlyOnceCoreKnowsNeitherAwsNorKclNorSpring() {
        noClasses()
                .that()
                .resideInAPackage("..processor.apply..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "org.springframework..")
                .check(CLASSES);
    }

    @Test
    void theRebuildTheRedriveAndTheGenerationsKnowNeitherAwsNorKclNorSpring() {
        noClasses()
                .that()
                .resideInAnyPackage("..processor.rebuild..", "..processor.generation..", "..processor.redrive..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "org.springframework..", "dev.tideline.kcl..")
                .check(CLASSES);
    }

    @Test
    void theQueryApiReadsThroughTheStoreInterfaceNeverAnSdkClient() {
        noClasses()
                .that()
                .resideInAPackage("..processor.query..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "..processor.store..", "..processor.consume..")
                .check(CLASSES);
    }

    @Test
    void onlyTheStoreAndTheWiringKnowTheSdk() {
        noClasses()
                .that()
                .resideOutsideOfPackages("..processor.store..", "..processor.archive..", "..processor.config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon.awssdk..")
                .check(CLASSES);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.tideline.processor.(*)..")
                .should()
                .beFreeOfCycles()
                .check(CLASSES);
    }
}
