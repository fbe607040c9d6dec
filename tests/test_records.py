"""JSON Lines records and field mappings."""

from datetime import date

import pytest

from index.inputs.records import DEFAULT_MAPPING, normalize_record, parse_mapping

UN_LIKE = {
    "id": "UNGD_XYZ_75_2020",
    "iso3": "XYZ",
    "country": "Xyzland",
    "year": 2020,
    "event": "UN General Assembly General Debate, 75th session (2020)",
    "speaker": "Ms. Jane Example",
    "post": "Minister for Foreign Affairs",
    "text": "Mr. President, I congratulate you on your election.\n\nMigration is a shared responsibility.",
}


def test_parse_mapping():
    mapping = parse_mapping(["title=headline", "body=text", "role=post", "speaker=speaker"])
    assert mapping == {"title": "headline", "body": "text", "role": "post", "speaker": "speaker"}


@pytest.mark.parametrize("item", ["color=red", "title", "=text", "body="])
def test_parse_mapping_rejects_bad_items(item):
    with pytest.raises(ValueError) as excinfo:
        parse_mapping([item])
    assert "title" in str(excinfo.value)


def test_unknown_target_lists_valid_targets():
    with pytest.raises(ValueError, match="valid targets: title, body"):
        parse_mapping(["colour=red"])


def test_default_mapping_guesses_common_names():
    assert DEFAULT_MAPPING["title"] == "title"
    assert DEFAULT_MAPPING["body"] == "text"


def test_un_like_record_with_explicit_mapping():
    mapping = parse_mapping(["body=text", "speaker=speaker", "role=post", "event=event", "country=country"])
    doc = normalize_record(UN_LIKE, mapping)
    # no title field: who spoke where makes the title, and the speech keeps its first line
    assert doc.title == "Ms. Jane Example — UN General Assembly General Debate, 75th session (2020)"
    assert doc.body.startswith("Mr. President, I congratulate you on your election.")
    assert "Migration is a shared responsibility." in doc.body
    assert doc.metadata["id"] == "UNGD_XYZ_75_2020"
    assert doc.metadata["speakers"] == [{"name": "Ms. Jane Example", "role": "Minister for Foreign Affairs"}]
    assert doc.metadata["events"] == ["UN General Assembly General Debate, 75th session (2020)"]
    assert doc.metadata["countries"] == ["Xyzland"]
    assert doc.date is None  # a bare year is not a date
    assert doc.language is None


def test_title_field_is_not_taken_from_body():
    record = {"id": 7, "title": "Patents for migrants", "text": "МОСКВА, 14 ноя - РИА Новости.\n\nSecond.",
              "date_raw": "14:05 12.03.2021", "url": "https://example.org/a", "source": "ria"}
    doc = normalize_record(record, parse_mapping(["date=date_raw"]))
    assert doc.title == "Patents for migrants"
    assert doc.body.startswith("МОСКВА, 14 ноя")
    assert doc.date == date(2021, 3, 12)
    assert doc.url == "https://example.org/a"
    assert doc.metadata == {"id": "7", "source": "ria"}


def test_trove_like_record_takes_title_from_text():
    record = {"id": "trove-1", "date": "1979-06-11", "contributor_slug": "someone",
              "text": "REFUGEE INTAKE\n\nThe Minister said the intake of refu-\n\ngees would rise."}
    doc = normalize_record(record)
    assert doc.title == "REFUGEE INTAKE"
    assert doc.body == "The Minister said the intake of refugees would rise."
    assert doc.date == date(1979, 6, 11)
    assert "speakers" not in doc.metadata


def test_speaker_list_and_dicts():
    doc = normalize_record({"text": "T\n\nB", "speaker": ["A. One", "B. Two"], "post": ["Minister", "Envoy"]})
    assert doc.metadata["speakers"] == [
        {"name": "A. One", "role": "Minister"},
        {"name": "B. Two", "role": "Envoy"},
    ]
    doc = normalize_record({"text": "T\n\nB", "speakers": [{"name": "C. Three", "role": "Chair"}, {"x": 1}]})
    assert doc.metadata["speakers"] == [{"name": "C. Three", "role": "Chair"}]


def test_missing_fields_give_empty_metadata():
    doc = normalize_record({"body": "Only a line"})
    assert doc.title == "Only a line"
    assert doc.body == ""
    assert doc.metadata == {}
    assert doc.url is None


def test_record_without_a_date_field_takes_the_date_its_text_states():
    text = "Refugee program\n\nCANBERRA, 29 August 1975\n\nThe Minister announced the program."
    assert normalize_record({"text": text}).date.isoformat() == "1975-08-29"
    assert normalize_record({"text": text, "date": "1975-09-01"}).date.isoformat() == "1975-09-01"
    assert normalize_record({"text": "Title\n\n© 2019 Example Ltd\n\nBody text"}).date is None


def test_a_year_field_mapped_as_the_date_gives_that_year_not_a_date_from_the_text():
    from index.inputs.records import normalize_record, parse_mapping

    record = {"id": "UN_X_70", "year": 2015, "speaker": "Ms. Example", "text": "In 1945 the Organization was founded."}
    normalized = normalize_record(record, parse_mapping(["date=year"]))
    assert normalized.date is not None and normalized.date.year == 2015
    assert normalized.metadata["date_precision"] == "year"
    record["year"] = "2016"
    assert normalize_record(record, parse_mapping(["date=year"])).date.year == 2016
    assert normalize_record({"id": "a", "date": "2011-09-21", "text": "x"}).date.isoformat() == "2011-09-21"
