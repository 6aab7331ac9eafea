package dev.tideline.localaws;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses LOCAL_AWS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tideline.localaws");

    @Test
    void theEmbeddedStackKnowsNeitherTheTestSupportNorTheLauncher() {
        noClasses()
                .that()
                .resideInAPackage("dev.tideline.localaws")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.tideline.localaws.junit..", "dev.tideline.localaws.up..")
                .check(LOCAL_AWS);
    }

    @Test
    void theStackRunsServicesAsProcessesNeverLinksThem() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.tideline.ingest..", "dev.tideline.processor..", "dev.tideline.archiver..")
                .check(LOCAL_AWS);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.tideline.localaws.(*)..")
                .should()
                .beFreeOfCycles()
                .check(LOCAL_AWS);
    }
}
