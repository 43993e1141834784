"""Every CSV export opens cleanly in a spreadsheet: UTF-8 with a byte-order mark, and no
cell that a spreadsheet program would run as a formula."""

from __future__ import annotations

import csv
import io
import re

from tests.factories import add_member, create_cluster, login, manager_of
from tests.plugins.canvas.helpers import new_canvas, note_by, vote_by
from tests.plugins.innovativeness.helpers import seed_round

ATTACKS = ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab")


def test_every_csv_listed_on_the_dashboard_has_a_bom_and_no_formula(client):  # type: ignore[no-untyped-def]
    cluster = create_cluster(name="Coopération 中国")
    alice = add_member(cluster, organisation_type="sme")
    bob = add_member(cluster, organisation_type="university")
    canvas = new_canvas(cluster, "Coopération")
    for attack in ATTACKS:
        vote_by(note_by(canvas, alice, f"{attack} Coopération"), bob)
    seed_round(cluster, [("sme", 4)] * 3, title="Coopération", close=True)
    login(client, manager_of(cluster))
    dashboard = client.get(f"/clusters/{cluster.id}").get_data(as_text=True)
    links = sorted(set(re.findall(r'href="([^"]+\.csv)"', dashboard)))
    assert len(links) >= 3, links  # canvas notes, canvas votes, round answers
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.data.startswith(b"\xef\xbb\xbf"), f"{link} has no byte-order mark"
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], link
    notes = client.get(next(link for link in links if "notes" in link)).data.decode("utf-8-sig")
    assert "Coopération" in notes and "'=HYPERLINK" in notes
