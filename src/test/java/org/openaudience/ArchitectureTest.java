package org.openaudience;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.data.repository.Repository;

@AnalyzeClasses(packages = "org.openaudience", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule views_never_use_repositories = noClasses()
            .that().resideInAPackage("..ui..")
            .should().dependOnClassesThat().areAssignableTo(Repository.class)
            .orShould().dependOnClassesThat().areAnnotatedWith(org.springframework.stereotype.Repository.class)
            .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Repository");

    @ArchTest
    static final ArchRule services_never_depend_on_views = noClasses()
            .that().resideOutsideOfPackage("..ui..")
            .and().doNotHaveSimpleName("SecurityConfig")
            .should().dependOnClassesThat().resideInAPackage("org.openaudience..ui..")
            .because("features expose services to views, never the other way round (the security configuration "
                    + "only names the login view)");

    @ArchTest
    static final ArchRule the_criteria_model_is_plain_java = noClasses()
            .that().resideInAPackage("org.openaudience.criteria..")
            .should().dependOnClassesThat().resideInAnyPackage("com.vaadin..", "org.springframework..")
            .because("one criteria model serves the SQL compiler, the evaluator and the screens (DEVELOPERS.md)");

    @ArchTest
    static final ArchRule base_sits_below_every_feature = noClasses()
            .that().resideInAPackage("org.openaudience.base..")
            .should().dependOnClassesThat(resideInAPackage("org.openaudience..")
                    .and(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage(
                            "org.openaudience.base..")))
            .because("shared parts serve every feature; the app shell that composes features is shell.ui");

    @ArchTest
    static final ArchRule no_package_cycles = slices().matching("org.openaudience.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule features_below_the_views_have_no_cycles = slices().matching("org.openaudience.(*)..")
            .should().beFreeOfCycles()
            .ignoreDependency(resideInAPackage("..ui.."), alwaysTrue());
}
