package dev.tideline.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses MODEL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tideline.model");

    @Test
    void theContractDependsOnNothingSpring() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "io.awspring..")
                .check(MODEL);
    }

    @Test
    void theContractBuildsNoAwsClients() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Client")
                .check(MODEL);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.tideline.model.(*)..").should().beFreeOfCycles().check(MODEL);
    }
}
