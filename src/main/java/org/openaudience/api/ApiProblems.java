package org.openaudience.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.openaudience.base.AccessRefusedException;
import org.openaudience.base.ConflictException;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of a REST API controller as RFC 9457 problem details ({@code application/problem+json}): what the
 * caller got wrong with a field-level {@code errors} list, what they may not see as 404 (as for ids that do not
 * exist), conflicts with the current version. Faults are logged with an id the answer quotes.
 */
@RestControllerAdvice(annotations = RestApi.class)
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        List<InvalidRequestException.Detail> details = e.details();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request",
                details.size() == 1 ? details.get(0).message() : details.size() + " problems: " + e.getMessage());
        problem.setProperty("errors", details.stream().map(d -> new FieldError(
                d.field() == null ? null : snakeCase(d.field()), d.criterion(), d.part(), d.message())).toList());
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem(HttpStatus.NOT_FOUND, "Not found",
                e.getMessage()));
    }

    @ExceptionHandler(AccessRefusedException.class)
    ResponseEntity<ProblemDetail> refused(AccessRefusedException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(problem(HttpStatus.FORBIDDEN, "Forbidden",
                e.getMessage()));
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
        e.current().forEach(problem::setProperty);
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> changedMeanwhile(OptimisticLockingFailureException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem(HttpStatus.CONFLICT, "Conflict",
                "Someone else changed this at the same time; read it again and retry."));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> fault(Exception e, HttpServletRequest request) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        log.error("REST API request {} {} failed (error id {})", request.getMethod(), request.getRequestURI(), id, e);
        return ResponseEntity.internalServerError().body(problem(HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal Server Error", "Something went wrong on our side; it is logged as error " + id + "."));
    }

    /** A body that is not JSON, or JSON of the wrong shape: say where, never echo the body. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        String detail = "The request body is not valid JSON of the expected shape.";
        if (e.getCause() instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request body has "
                    + "an unknown field \"" + unknown.getPropertyName() + "\"; the fields are "
                    + unknown.getKnownPropertyIds() + ".");
            problem.setProperty("errors", List.of(new FieldError(unknown.getPropertyName(), null, null,
                    "Unknown field.")));
            return ResponseEntity.badRequest().body(problem);
        }
        if (e.getCause() instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            detail = "The request body's field " + mismatch.getPathReference().replaceAll("^.*\\[\"", "\"")
                    .replaceAll("\"\\]", "\"") + " has the wrong type.";
        } else if (e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException json
                && json.getLocation() != null) {
            detail = "The request body is not valid JSON (line " + json.getLocation().getLineNr() + ", column "
                    + json.getLocation().getColumnNr() + ").";
        }
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Invalid request", detail));
    }

    /** A path or query parameter of the wrong type: name it, and for a choice say the choices. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(org.springframework.beans.TypeMismatchException e,
                                                        HttpHeaders headers, HttpStatusCode status,
                                                        WebRequest request) {
        String name = e instanceof org.springframework.web.method.annotation.MethodArgumentTypeMismatchException
                mismatch ? mismatch.getName() : e.getPropertyName();
        Class<?> type = e.getRequiredType();
        String message = type != null && type.isEnum()
                ? name + " must be one of " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")) + "."
                : type == long.class || type == int.class || type == Long.class || type == Integer.class
                        ? name + " must be a whole number." : name + " has the wrong format.";
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", message);
        problem.setProperty("errors", List.of(new FieldError(name, null, null, message)));
        return ResponseEntity.badRequest().body(problem);
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    /** Service field names are camelCase ("externalName"); the API's are snake_case ("external_name"). */
    static String snakeCase(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
