package org.openaudience.criteria;

/**
 * A definition's JSON has the wrong shape (a missing or unknown field, a value of the wrong type, an unknown
 * operator, …), so it is no definition at all. {@link #problem()} says where: the criterion ("2.1", empty for the
 * definition's own fields) and the part of it ("event.conditions[0].operator").
 */
public class MalformedDefinitionException extends IllegalArgumentException {

    private final transient Problem problem;

    MalformedDefinitionException(Problem problem) {
        super(problem.path().isEmpty() ? problem.message() : "Criterion " + problem.path() + ": " + problem.message());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
