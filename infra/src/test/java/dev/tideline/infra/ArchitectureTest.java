package dev.tideline.infra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses INFRA = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tideline.infra");

    @Test
    void theInfrastructureTakesItsNamesFromTheContractOnly() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.tideline.ingest..",
                        "dev.tideline.processor..",
                        "dev.tideline.archiver..",
                        "dev.tideline.kcl..",
                        "dev.tideline.web..",
                        "dev.tideline.localaws..")
                .check(INFRA);
    }

    @Test
    void itDeploysThroughCdkNeverCallingAwsItself() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon.awssdk.services..", "org.springframework..")
                .check(INFRA);
    }
}
