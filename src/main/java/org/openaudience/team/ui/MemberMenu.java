package org.openaudience.team.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.contextmenu.SubMenu;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.spring.security.AuthenticationContext;
import org.openaudience.api.ui.ApiTokensView;
import org.openaudience.team.Member;
import org.openaudience.team.TeamService;

/** Header menu of the signed-in member: who they are, change password, their API tokens, log out. */
public class MemberMenu extends MenuBar {

    public MemberMenu(TeamService team, AuthenticationContext authentication) {
        addClassName("member-menu");
        setId("member-menu");
        addThemeVariants(MenuBarVariant.LUMO_TERTIARY_INLINE);
        Member member = team.currentMember();
        Avatar avatar = new Avatar(member.getName());
        avatar.addThemeVariants(com.vaadin.flow.component.avatar.AvatarVariant.LUMO_XSMALL);
        MenuItem root = addItem(avatar);
        root.add(new Span(member.getName()));
        root.setAriaLabel("Member menu of " + member.getName());
        SubMenu menu = root.getSubMenu();
        menu.addItem(member.getEmail() + " · " + member.getRole().label()).setEnabled(false);
        menu.addItem("Change password", click -> new ChangePasswordDialog(team).open());
        menu.addItem("API tokens", click -> UI.getCurrent().navigate(ApiTokensView.class));
        menu.addItem("Log out", click -> authentication.logout());
    }
}
