package org.openaudience.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Answers API paths no operation serves with a problem (404, or 405 with {@code Allow} when the path exists for
 * other methods) — otherwise they would fall through to the web app and answer an HTML page.
 */
@RestApi
@Hidden
class ApiFallback {

    private final RequestMappingHandlerMapping mappings;

    ApiFallback(@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
        this.mappings = mappings;
    }

    @RequestMapping("/api/**")
    ResponseEntity<ProblemDetail> noSuchOperation(HttpServletRequest request) {
        Set<String> allowed = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            if (info.getPathPatternsCondition() != null && !info.getPathPatternsCondition().getPatternValues()
                    .contains("/api/**") && info.getPathPatternsCondition().getMatchingCondition(request) != null) {
                info.getMethodsCondition().getMethods().forEach(method -> allowed.add(method.name()));
            }
        }
        if (!allowed.isEmpty()) {
            return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                    .header(HttpHeaders.ALLOW, allowed.stream().collect(Collectors.joining(", ")))
                    .body(ApiProblems.problem(HttpStatus.METHOD_NOT_ALLOWED, "Method Not Allowed",
                            request.getMethod() + " is not supported here; use " + String.join(" or ", allowed)
                                    + "."));
        }
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiProblems.problem(HttpStatus.NOT_FOUND,
                "Not found", "There is no API operation at " + request.getRequestURI() + "."));
    }
}
