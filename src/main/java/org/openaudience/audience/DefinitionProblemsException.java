package org.openaudience.audience;

import java.util.List;
import java.util.stream.Collectors;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.criteria.Problem;

/** A definition was refused for these problems (each with its criterion and part); nothing was saved. */
public class DefinitionProblemsException extends InvalidRequestException {

    private final List<Problem> problems;

    public DefinitionProblemsException(List<Problem> problems) {
        super("definition", problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    @Override
    public List<Detail> details() {
        return problems.stream().map(p -> new Detail("definition", p.path().isEmpty() ? null : p.path(),
                p.field().isEmpty() ? null : p.field(), p.message())).toList();
    }
}
