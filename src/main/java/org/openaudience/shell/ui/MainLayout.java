package org.openaudience.shell.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openaudience.team.TeamService;
import org.openaudience.team.ui.MemberMenu;
import org.openaudience.workspace.WorkspaceService;
import org.openaudience.workspace.ui.WorkspaceSwitcher;

/**
 * The frame around every signed-in page: product name, side navigation with only the pages the member's role may
 * open (Vaadin filters the menu by each view's access annotations), the workspace switcher and the member menu.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout implements AfterNavigationObserver {

    /** Route prefixes that become collapsible groups in the side navigation, in this order. */
    private static final Map<String, String> GROUPS = groups();

    private final H1 pageTitle = new H1();

    private static Map<String, String> groups() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("data/", "Data");
        groups.put("users/", "Users");
        groups.put("setup/", "Setup");
        groups.put("settings/", "Settings");
        return Collections.unmodifiableMap(groups);
    }

    public MainLayout(WorkspaceService workspaces, TeamService team, AuthenticationContext authentication) {
        setPrimarySection(Section.DRAWER);
        addToDrawer(brand(), new Scroller(navigation()));
        addToNavbar(new DrawerToggle(), title(), headerTools(workspaces, team, authentication));
    }

    private Component brand() {
        Span name = new Span("OpenAudience");
        name.addClassName("brand-name");
        Div brand = new Div(name);
        brand.addClassName("brand");
        return brand;
    }

    private SideNav navigation() {
        SideNav nav = new SideNav();
        nav.setLabel("Main navigation");
        Map<String, SideNavItem> groups = new LinkedHashMap<>();
        for (MenuEntry entry : MenuConfiguration.getMenuEntries()) {
            SideNavItem item = item(entry);
            String group = groupOf(entry.path());
            if (group == null) {
                nav.addItem(item);
            } else {
                groups.computeIfAbsent(group, label -> {
                    SideNavItem groupItem = new SideNavItem(label);
                    groupItem.setExpanded(true);
                    nav.addItem(groupItem);
                    return groupItem;
                }).addItem(item);
            }
        }
        return nav;
    }

    private static String groupOf(String path) {
        String clean = path.startsWith("/") ? path.substring(1) : path;
        return GROUPS.entrySet().stream()
                .filter(group -> clean.startsWith(group.getKey()))
                .map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static SideNavItem item(MenuEntry entry) {
        SideNavItem item = new SideNavItem(entry.title(), entry.path());
        if (entry.icon() != null && entry.icon().contains(":")) {
            String[] icon = entry.icon().split(":", 2);
            item.setPrefixComponent(new Icon(icon[0], icon[1]));
        }
        return item;
    }

    private Component title() {
        pageTitle.addClassName("page-title");
        return pageTitle;
    }

    private Component headerTools(WorkspaceService workspaces, TeamService team,
                                  AuthenticationContext authentication) {
        HorizontalLayout tools = new HorizontalLayout(new WorkspaceSwitcher(workspaces),
                new MemberMenu(team, authentication));
        tools.addClassName("header-tools");
        tools.setAlignItems(FlexComponent.Alignment.CENTER);
        return tools;
    }

    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        pageTitle.setText(MenuConfiguration.getPageHeader(getContent()).orElse(""));
    }
}
