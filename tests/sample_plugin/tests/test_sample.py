"""The sample plugin's own tests: only the platform's pytest plugin and core.api.

Run from this folder with ``pytest`` once the plugin is installed next to the
platform; the fixtures (app, client, cluster, login, call_hook) come from the
``designing_clusters`` pytest plugin, loaded by its entry point.
"""

from core.api import PeriodicJob, PublicPage, Widget, check_plugin_contract


def test_the_sample_plugin_honours_the_platform_contract(app):
    assert check_plugin_contract(app, "sample") == []


def test_it_is_listed_on_the_home_page_with_its_public_page(client):
    home = client.get("/").get_data(as_text=True)
    assert "Sample outside tool" in home and "/tools/sample" in home
    assert client.get("/tools/sample").status_code == 200


def test_members_see_its_page_widget_and_nav_link(client, cluster, login):
    login(client, cluster.members[0])
    dashboard = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    assert f"Sample widget for {cluster.name}" in dashboard
    assert f"/clusters/{cluster.id}/sample" in dashboard
    page = client.get(f"/clusters/{cluster.id}/sample")
    assert page.status_code == 200 and f"Sample tool in {cluster.name}" in page.get_data(as_text=True)


def test_people_outside_the_cluster_get_404(client, cluster, make_cluster, login):
    stranger = make_cluster().manager
    login(client, stranger)
    assert client.get(f"/clusters/{cluster.id}/sample").status_code == 404


def test_hooks_return_their_declared_types(cluster, call_hook):
    widgets = call_hook("designing_clusters_dashboard_widgets", plugin="sample", cluster=cluster.context())
    assert [w.title for w in widgets] == ["Sample widget"] and isinstance(widgets[0], Widget)
    pages = call_hook("designing_clusters_public_pages", plugin="sample")
    assert pages == [PublicPage("Sample public page", "/tools/sample", "An outside tool's page.")]
    jobs = call_hook("designing_clusters_periodic_jobs", plugin="sample")
    assert [job.name for job in jobs] == ["hello"] and isinstance(jobs[0], PeriodicJob)
    assert jobs[0].run() == "sample job ran for http://localhost"
