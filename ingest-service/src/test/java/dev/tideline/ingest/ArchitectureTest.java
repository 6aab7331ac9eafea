package dev.tideline.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses INGEST = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tideline.ingest");

    @Test
    void theWebLayerNeverTouchesAnSdkClient() {
        noClasses()
                .that()
                .resideInAPackage("dev.tideline.ingest.api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .check(INGEST);
    }

    @Test
    void onlyTheGatewayTalksToKinesis() {
        noClasses()
                .that()
                .doNotHaveSimpleName("KinesisStreamGateway")
                .and()
                .resideOutsideOfPackage("dev.tideline.ingest.config..")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameStartingWith("KinesisAsyncClient")
                .check(INGEST);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.tideline.ingest.(*)..").should().beFreeOfCycles().check(INGEST);
    }
}
