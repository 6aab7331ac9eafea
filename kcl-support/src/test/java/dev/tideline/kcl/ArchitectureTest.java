package dev.tideline.kcl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses KCL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tideline.kcl");

    @Test
    void theSinkContractSpeaksTheProjectsTermsNotKcls() {
        noClasses()
                .that()
                .haveSimpleNameStartingWith("ShardSink")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "org.springframework..")
                .check(KCL);
    }

    @Test
    void theSupportKnowsNoConsumer() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.tideline.processor..", "dev.tideline.archiver..", "dev.tideline.ingest..")
                .check(KCL);
    }
}
