package org.openaudience.ingest;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.filter.OrderedFormContentFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Servlet-level parts of the Events API. The API reads its body itself, after checking credentials and then the
 * Content-Type (415); Spring's body parsers must not get there first for /v2: Spring MVC parses a multipart body
 * before any controller runs (a malformed one failed as a 500, before credentials were checked), and the form
 * content filter reads a form-encoded PUT / PATCH / DELETE body. For every other path both keep Spring Boot's
 * behaviour. Nothing else on the /v2 path asks for request parameters, so Tomcat never parses a form-encoded POST
 * body either (no CSRF, form login or request cache in its security chain, no {@code @RequestParam}).
 */
@Configuration(proxyBeanMethods = false)
class EventsApiWebConfig {

    /** Before Spring Security (order -100), so that exceptions of its filters and its firewall's 400s are caught. */
    static final int ERROR_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    FilterRegistrationBean<EventsApiErrorFilter> eventsApiErrorFilter() {
        FilterRegistrationBean<EventsApiErrorFilter> registration = new FilterRegistrationBean<>(
                new EventsApiErrorFilter());
        // all paths, because an error dispatch for a /v2 request arrives as /error
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        registration.setOrder(ERROR_FILTER_ORDER);
        return registration;
    }

    /** Replaces Spring Boot's resolver (same settings) with one that leaves /v2 bodies unread. */
    @Bean(DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    @ConditionalOnBooleanProperty(name = "spring.servlet.multipart.enabled", matchIfMissing = true)
    StandardServletMultipartResolver multipartResolver(MultipartProperties properties) {
        StandardServletMultipartResolver resolver = new StandardServletMultipartResolver() {
            @Override
            public boolean isMultipart(HttpServletRequest request) {
                return !EventsApiAnswers.isEventsApiRequest(request) && super.isMultipart(request);
            }
        };
        resolver.setResolveLazily(properties.isResolveLazily());
        resolver.setStrictServletCompliance(properties.isStrictServletCompliance());
        return resolver;
    }

    /** Replaces Spring Boot's form content filter with one that leaves /v2 bodies unread. */
    @Bean
    @ConditionalOnBooleanProperty(name = "spring.mvc.formcontent.filter.enabled", matchIfMissing = true)
    OrderedFormContentFilter formContentFilter() {
        return new OrderedFormContentFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return EventsApiAnswers.isEventsApiRequest(request);
            }
        };
    }
}
