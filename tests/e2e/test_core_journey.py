"""A manager signs up, creates a cluster and invites a member who joins."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import first_link_in, serious_accessibility_violations

pytestmark = pytest.mark.e2e


def test_sign_up_verify_create_invite_accept_and_both_see_the_dashboard(page, new_page, mail):
    page.goto("/")
    page.get_by_role("button", name="Create a free workspace").click()
    page.get_by_label("Your name").fill("Maria Manager")
    page.get_by_label("Email").fill("maria@cluster.example")
    page.get_by_label("Password").fill("a long passphrase for maria")
    page.locator("main").get_by_role("button", name="Sign up").click()
    # The same answer whether or not the address had an account: no login before the mailbox is proven.
    page.get_by_role("heading", name="Check your inbox").wait_for()

    page.goto(first_link_in(mail.text_of(mail.wait_for("maria@cluster.example")[0])))
    page.get_by_text("your email address is confirmed").wait_for()
    page.get_by_label("Email").fill("maria@cluster.example")
    page.get_by_label("Password").fill("a long passphrase for maria")
    page.locator("main").get_by_role("button", name="Log in").click()

    page.goto("/clusters")
    page.get_by_role("button", name="Create a cluster workspace").click()
    page.get_by_label("Cluster name").fill("Blue Economy Cluster")
    page.get_by_label("Country").fill("Portugal")
    page.get_by_role("textbox", name="Your organisation", exact=True).fill("Blue Economy Association")
    page.get_by_role("button", name="Create the workspace").click()
    page.get_by_role("heading", name="Blue Economy Cluster").wait_for()

    page.get_by_role("button", name="Invite members").first.click()
    page.get_by_label("Email of the person to invite").fill("joao@university.example")
    page.get_by_role("button", name="Send the invitation", exact=True).click()
    page.get_by_text("Invitation sent to joao@university.example").wait_for()

    invitation = first_link_in(mail.text_of(mail.wait_for("joao@university.example")[0]))
    invitee = new_page()
    invitee.goto(invitation)
    invitee.get_by_role("button", name="Create an account").click()
    invitee.get_by_label("Your name").fill("João Researcher")
    invitee.get_by_label("Email").fill("joao@university.example")
    invitee.get_by_label("Password").fill("another long passphrase")
    invitee.locator("main").get_by_role("button", name="Sign up").click()
    invitee.get_by_label("Organisation you represent").fill("University of the Sea")
    invitee.get_by_label("Type of organisation").select_option("university")
    invitee.get_by_role("button", name="Join the cluster").click()
    invitee.get_by_role("heading", name="Blue Economy Cluster").wait_for()
    assert "University of the Sea" in invitee.content()

    page.reload()
    assert "University of the Sea" in page.content()
    assert page.csp_violations == [] and invitee.csp_violations == []


@pytest.mark.parametrize("path", ["/", "/signup", "/login", "/collaborate"])
def test_public_pages_have_no_serious_accessibility_violations(page, path):
    page.goto(path)
    assert serious_accessibility_violations(page) == []


def test_dashboard_has_no_serious_accessibility_violations(page):
    from tests.e2e.helpers import log_in
    from tests.factories import add_member, create_cluster, manager_of

    cluster = create_cluster(name="Accessible Cluster")
    add_member(cluster, organisation_type="university")
    log_in(page, manager_of(cluster).email)
    page.goto(f"/clusters/{cluster.id}")
    assert serious_accessibility_violations(page) == []
    page.goto(f"/clusters/{cluster.id}/members")
    assert serious_accessibility_violations(page) == []


def test_pages_work_on_a_phone_sized_screen(page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
