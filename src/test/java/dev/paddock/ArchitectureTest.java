package dev.paddock;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Keeps the core free of UI, JMX and CLI concerns, the packages free of cycles, every package inside the layer
 * rules, Swing inside the tray and the windows, and console output inside the CLI.
 */
class ArchitectureTest {
    private static final String[] CORE = {
        "dev.paddock.core..",
        "dev.paddock.config..",
        "dev.paddock.preset..",
        "dev.paddock.model..",
        "dev.paddock.supervisor..",
        "dev.paddock.switchboard.."
    };
    private static final String[] EVERY_PACKAGE = {
        "dev.paddock.core..",
        "dev.paddock.config..",
        "dev.paddock.preset..",
        "dev.paddock.model..",
        "dev.paddock.supervisor..",
        "dev.paddock.switchboard..",
        "dev.paddock.hub..",
        "dev.paddock.autostart..",
        "dev.paddock.jmx..",
        "dev.paddock.gateway..",
        "dev.paddock.cli..",
        "dev.paddock.tray..",
        "dev.paddock.ui..",
        "dev.paddock.app.."
    };
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.paddock");

    @Test
    void coreDoesNotUseGuiJmxOrPicocli() {
        noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "javax.swing..", "java.awt..", "javax.management..", "picocli..", "dorkbox..", "com.formdev..")
                .check(classes);
    }

    @Test
    void swingAndAwtOnlyInTheTrayAndTheWindows() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.paddock.tray..", "dev.paddock.ui..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("javax.swing..", "java.awt..", "dorkbox..", "com.formdev..")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.paddock.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyPackageIsInALayer() {
        classes().should().resideInAnyPackage(EVERY_PACKAGE).check(classes);
    }

    @Test
    void layersOnlyReachInward() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Core")
                .definedBy(CORE)
                .layer("Hub")
                .definedBy("dev.paddock.hub..")
                .layer("Autostart")
                .definedBy("dev.paddock.autostart..")
                .layer("Jmx")
                .definedBy("dev.paddock.jmx..")
                .layer("Gateway")
                .definedBy("dev.paddock.gateway..")
                .layer("Cli")
                .definedBy("dev.paddock.cli..")
                .layer("Tray")
                .definedBy("dev.paddock.tray..")
                .layer("Ui")
                .definedBy("dev.paddock.ui..")
                .layer("App")
                .definedBy("dev.paddock.app..")
                .whereLayer("App")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Ui")
                .mayOnlyBeAccessedByLayers("App")
                .whereLayer("Tray")
                .mayOnlyBeAccessedByLayers("Ui", "App")
                .whereLayer("Cli")
                .mayOnlyBeAccessedByLayers("App")
                .whereLayer("Gateway")
                .mayOnlyBeAccessedByLayers("App")
                .whereLayer("Jmx")
                .mayOnlyBeAccessedByLayers("Cli", "App")
                .whereLayer("Hub")
                .mayOnlyBeAccessedByLayers("Cli", "Tray", "Ui", "App")
                .whereLayer("Autostart")
                .mayOnlyBeAccessedByLayers("Cli", "Tray", "Ui", "App")
                .check(classes);
    }

    @Test
    void onlyTheCliWritesToTheConsole() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.paddock.cli..")
                .should()
                .accessField(System.class, "out")
                .check(classes);
    }
}
