"""Country filters and facets accept ISO 3166 codes and demonyms as well as the stored country name."""

from __future__ import annotations

import pytest

from index.extraction.countries import country_codes, country_display, resolve_country
from search.request import parse_search_request
from search.service import SearchService

RELEASES = {
    "baku.txt": "Migration talks in Baku\n\nOfficials of Azerbaijan and Georgia met to discuss labour migration.\n",
    "canberra.txt": "Humanitarian program\n\nAustralia will resettle more refugees from Afghanistan this year.\n",
}


def test_codes_demonyms_and_names_resolve_to_the_stored_name():
    for value in ("AZE", "aze", "AZ", "az", "Azerbaijan", "Azerbaijani", "  azerbaijan "):
        assert country_display(value) == "Azerbaijan", value
    assert country_display("GB") == "United Kingdom"
    assert country_display("uk") == "United Kingdom"
    assert country_display("US") == "United States"
    assert resolve_country("IN") == "IND"
    assert country_codes("Azerbaijan") == ["AZE", "AZ"]


def test_what_names_no_country_is_none():
    for value in ("ZZ", "QQQ", "Narnia", "", "the"):
        assert country_display(value) is None, value
    assert country_codes("Narnia") == []


@pytest.fixture
def service(service_for):
    return service_for(RELEASES)


def _titles(service: SearchService, **args: str) -> list[str]:
    return sorted(hit["title"] for hit in service.search(parse_search_request(args)).to_dict()["hits"])


@pytest.mark.parametrize("value", ["Azerbaijan", "AZE", "aze", "AZ", "Azerbaijani"])
def test_country_filter_accepts_codes_and_demonyms(service, value):
    assert _titles(service, country=value) == ["Migration talks in Baku"]


def test_country_field_in_the_query_accepts_codes(service):
    assert _titles(service, q="country:AZE") == ["Migration talks in Baku"]
    assert _titles(service, q="country:afg") == ["Humanitarian program"]
    assert _titles(service, country="Narnia") == []
