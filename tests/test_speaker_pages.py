"""Who said what, shown: quote-first hits, speaker and event pages, and their JSON twins.

A small corpus written for these tests: one person whose role changes over the years, who speaks
at two events, sometimes with another person, and a release issued twice with the same text.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from index.ingest.pipeline import ingest_paths
from index.settings import load_settings
from web import create_app
from web.services import get_service

RELEASES = {
    "2019-deputy.txt": """Deputy Director Marta Lindgren addresses the Baltic Migration Dialogue

14 May 2019

Deputy Director Marta Lindgren of the Eastland Migration Board spoke at the Baltic Migration Dialogue in Riga.

"Seasonal workers deserve the same protection against exploitation as everyone else," Ms Lindgren said.

Minister Jonas Berg also attended the dialogue.
""",
    "2021-director.txt": """Director Marta Lindgren opens the Nordic Asylum Forum

2 March 2021

Director Marta Lindgren of the Eastland Migration Board opened the Nordic Asylum Forum in Oslo.

"Asylum decisions must be quick, fair and explained in a language people understand," Ms Lindgren said.
""",
    "2021-director-copy.txt": """Director Marta Lindgren opens the Nordic Asylum Forum

2 March 2021

Director Marta Lindgren of the Eastland Migration Board opened the Nordic Asylum Forum in Oslo.

"Asylum decisions must be quick, fair and explained in a language people understand," Ms Lindgren said.
""",
    "2023-forum.txt": """Board statement at the Nordic Asylum Forum

9 October 2023

Director Marta Lindgren and Minister Jonas Berg spoke at the Nordic Asylum Forum in Stockholm.

"Detention of children has no place in our asylum system," Ms Lindgren said.

"We will fund legal advice for every applicant," Minister Jonas Berg said.
""",
    "README.md": "These test releases were written for migsearch's tests.\n",
}


@pytest.fixture(scope="module")
def people_data_dir(tmp_path_factory) -> str:
    """A data directory holding RELEASES, ingested through the real pipeline."""
    root = tmp_path_factory.mktemp("people")
    folder = root / "eastland-migration-board"
    folder.mkdir()
    for name, text in RELEASES.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = load_settings({"DATA_DIR": str(root / "data"), "WRITE_LOCK_TIMEOUT": 5.0})
    summary = ingest_paths(settings, [str(folder)])
    assert summary.counts["added"] == 4 and summary.counts["skipped"] == 1, summary.failures
    return str(root / "data")


@pytest.fixture
def people_client(people_data_dir):
    app = create_app({"TESTING": True, "DATA_DIR": people_data_dir})
    yield app.test_client()
    get_service(app).close()


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_quote_search_shows_the_quote_its_speaker_and_sentence_in_page_api_and_csv(people_client):
    page = text_of(people_client.get("/search?q=quote:detention"))
    card = page.split('class="snippet quote-snippet"')[1].split("</blockquote>")[0]
    assert '<mark class="hl">Detention</mark> of children has no place' in card
    assert "Ms Lindgren said." in card  # the sentence around the quote, with its attribution
    assert 'href="/speaker/Marta%20Lindgren">Marta Lindgren</a>' in card
    assert "Results for “quote:detention”" in page

    hit = people_client.get("/api/v1/search?q=quote:detention").get_json()["hits"][0]
    assert hit["quote"]["speaker"] == "Marta Lindgren"
    assert hit["quote"]["text"].startswith("Detention of children has no place")
    assert hit["quote"]["context"].endswith("Ms Lindgren said.")

    rows = list(csv.DictReader(io.StringIO(text_of(people_client.get("/api/v1/search.csv?q=quote:detention")))))
    assert rows[0]["quote_speaker"] == "Marta Lindgren" and rows[0]["quote"].startswith("Detention of children")


def test_said_by_search_shows_that_persons_quote_not_another(people_client):
    hit = people_client.get('/api/v1/search?q=speaker:"Jonas Berg" legal').get_json()["hits"][0]
    assert hit["quote"]["speaker"] == "Jonas Berg" and "legal advice" in hit["quote"]["text"]
    hit = people_client.get("/api/v1/search?q=asylum&speaker=Marta Lindgren").get_json()["hits"][0]
    assert hit["quote"]["speaker"] == "Marta Lindgren"
    plain = people_client.get("/api/v1/search?q=asylum").get_json()["hits"][0]
    assert plain["quote"] is None  # an ordinary search keeps the body's best sentences


def test_speaker_page_shows_roles_over_time_quotes_events_and_company(people_client):
    page = text_of(people_client.get("/speaker/Marta Lindgren"))
    roles = page.split('id="roles-heading"')[1].split("</section>")[0]
    assert roles.index("Deputy Director") < roles.index("<strong>Director</strong>")
    assert '<time datetime="2019-05-14">2019-05-14</time> · 1 release' in roles
    assert '2021-03-02</time> – <time datetime="2023-10-09">2023-10-09</time> · 2 releases' in roles
    events = page.split('id="events-heading"')[1].split("</section>")[0]
    assert 'href="/event/Nordic%20Asylum%20Forum">Nordic Asylum Forum</a> <span class="count">2 releases' in events
    assert "Baltic Migration Dialogue" in events
    company = page.split('id="people-heading"')[1].split("</section>")[0]
    assert 'href="/speaker/Jonas%20Berg">Jonas Berg</a> <span class="count">2 releases' in company
    assert "Marta Lindgren</a>" not in company
    quotes = page.split('id="quotes-heading"')[1].split("</section>")[0]
    assert "3 quotes" in quotes and quotes.index("Detention of children") < quotes.index("Seasonal workers")
    assert "legal advice" not in quotes  # Jonas Berg's words are not hers


def test_speaker_page_count_agrees_with_its_facet_and_duplicates_count_once(people_client):
    page = text_of(people_client.get("/speaker/Marta Lindgren"))
    assert re.search(r"<strong>3</strong> releases", page)  # the release issued twice is one hit
    facet = page.split('id="facet-speaker"')[1].split("</section>")[0]
    assert re.search(r"Marta Lindgren</span>\s*<span class=\"count\">3<", facet)
    home = text_of(people_client.get("/search?q=asylum"))
    sidebar = home.split('id="facet-speaker"')[1].split("</section>")[0]
    count = int(re.search(r'Marta Lindgren</a>\s*<span class="count">(\d+)<', sidebar).group(1))
    total = people_client.get("/api/v1/search?q=asylum&speaker=Marta Lindgren").get_json()["total"]
    assert count == total


def test_quotes_on_a_speaker_page_are_searchable_within_the_page(people_client):
    page = text_of(people_client.get("/speaker/Marta Lindgren?q=detention"))
    quotes = page.split('id="quotes-heading"')[1].split("</section>")[0]
    assert "1 quote<" in quotes and "<mark" in quotes and "Seasonal workers" not in quotes
    assert 'action="/speaker/Marta%20Lindgren"' in page and 'value="detention"' in page


def test_event_page_shows_who_spoke_and_what_they_said(people_client):
    page = text_of(people_client.get("/event/Nordic Asylum Forum"))
    people = page.split('id="people-heading"')[1].split("</section>")[0]
    assert "Who spoke there" in people and "Marta Lindgren" in people and "Jonas Berg" in people
    said = page.split('id="quotes-heading"')[1].split("</section>")[0]
    assert "What was said" in said and "legal advice" in said and "Detention of children" in said


def test_speaker_and_event_pages_have_json_twins(people_client):
    data = people_client.get("/api/v1/speakers/Marta Lindgren").get_json()
    profile = data["profile"]
    assert data["ok"] and data["total"] == profile["total"] == 3
    assert [r["role"] for r in profile["roles"]] == ["Deputy Director", "Director"]
    assert {e["value"] for e in profile["events"]} == {"Nordic Asylum Forum", "Baltic Migration Dialogue"}
    assert profile["quotes_total"] == 3 and data["html_url"].endswith("/speaker/Marta%20Lindgren")
    narrowed = people_client.get("/api/v1/speakers/Marta Lindgren?q=seasonal").get_json()["profile"]
    assert narrowed["quotes_total"] == 1
    event = people_client.get("/api/v1/events/Nordic Asylum Forum").get_json()["profile"]
    assert {s["value"] for s in event["speakers"]} == {"Marta Lindgren", "Jonas Berg"}
    page = text_of(people_client.get("/speaker/Marta Lindgren"))
    assert '<link rel="alternate" type="application/json" href="/api/v1/speakers/Marta%20Lindgren">' in page


def test_unknown_speaker_in_the_api_is_a_404_with_suggestions(people_client):
    response = people_client.get("/api/v1/speakers/Marta Lindgrem")
    assert response.status_code == 404
    body = response.get_json()
    assert body["ok"] is False and body["status"] == 404 and body["suggestions"] == ["Marta Lindgren"]
    assert people_client.get("/api/v1/speakers/Marta Lindgren?speaker=x").status_code == 400


def test_whole_search_exports_every_match_as_csv_and_json_lines(people_client):
    response = people_client.get("/api/v1/export.csv?q=asylum&per_page=1")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert response.headers["X-Export-Truncated"] == "false"
    assert len(rows) == int(response.headers["X-Total-Count"]) == 2  # every match, one per duplicate group
    assert response.headers["Content-Disposition"] == 'attachment; filename="migsearch-asylum-all.csv"'
    lines = people_client.get("/api/v1/export.jsonl?speaker=Marta Lindgren").get_data(as_text=True).splitlines()
    import json

    hits = [json.loads(line) for line in lines]
    assert len(hits) == 3 and all(hit["quote"]["speaker"] == "Marta Lindgren" for hit in hits)
    page = text_of(people_client.get("/search?q=asylum"))
    assert 'href="/api/v1/export.csv?q=asylum"' in page and "Export all 2 matches" in page


def test_an_export_past_the_cap_says_so(people_data_dir):
    app = create_app({"TESTING": True, "DATA_DIR": people_data_dir, "EXPORT_MAX_ROWS": 1})
    client = app.test_client()
    response = client.get("/api/v1/export.csv?speaker=Marta Lindgren")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert response.headers["X-Export-Truncated"] == "true" and response.headers["X-Export-Rows"] == "1"
    assert len(rows) == 3 and rows[-1][0] == "# truncated"
    assert "stopped at 1 of 3" in rows[-1][1] and "MIGSEARCH_EXPORT_MAX_ROWS" in rows[-1][1]
    last = client.get("/api/v1/export.jsonl?speaker=Marta Lindgren").get_data(as_text=True).splitlines()[-1]
    assert '"truncated": true' in last and "MIGSEARCH_EXPORT_MAX_ROWS" in last
    get_service(app).close()
