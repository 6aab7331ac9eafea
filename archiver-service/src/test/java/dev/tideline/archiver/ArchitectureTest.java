package dev.tideline.archiver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses ARCHIVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tideline.archiver");

    @Test
    void theExactlyOnceArchiveKnowsNeitherAwsNorKclNorSpring() {
        noClasses()
                .that()
                .resideInAnyPackage("..archiver.archive..", "..archiver.parquet..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "org.springframework..")
                .check(ARCHIVER);
    }

    @Test
    void onlyTheBucketsEdgeAndTheWiringKnowTheSdk() {
        noClasses()
                .that()
                .resideOutsideOfPackages("..archiver.store..", "..archiver.config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon.awssdk..")
                .check(ARCHIVER);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.tideline.archiver.(*)..")
                .should()
                .beFreeOfCycles()
                .check(ARCHIVER);
    }
}
