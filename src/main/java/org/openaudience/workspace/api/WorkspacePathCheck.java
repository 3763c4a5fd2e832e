package org.openaudience.workspace.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.openaudience.workspace.WorkspaceService;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every REST API path under {@code /api/v1/workspaces/{workspaceId}} first checks that the workspace exists and the
 * token's member may use it, and answers 404 otherwise — for an Admin too, who may use every workspace but must not
 * create things in one that does not exist, and for a member without access, who must not learn which ids exist.
 */
@Configuration
class WorkspacePathCheck implements WebMvcConfigurer, HandlerInterceptor {

    static final String WORKSPACE_PATHS = "/api/v1/workspaces/{workspaceId}/**";

    private final WorkspaceService workspaces;

    WorkspacePathCheck(WorkspaceService workspaces) {
        this.workspaces = workspaces;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns(WORKSPACE_PATHS);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod
                && request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> path
                && path.get("workspaceId") instanceof String id && id.matches("\\d{1,18}")) {
            workspaces.usableWorkspace(Long.parseLong(id)); // not found: the controller's problem answer (404)
        }
        return true;
    }
}
