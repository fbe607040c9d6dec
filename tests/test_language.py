"""Language detection."""

from index.normalize.language import detect_language, normalize_hint


def test_english_and_french():
    assert detect_language("The minister said refugees would be resettled in Australia next year.") == "en"
    assert detect_language("Le ministre a déclaré que les réfugiés seraient accueillis en France.") == "fr"


def test_cyrillic_is_russian_even_when_short():
    assert detect_language("Министр заявил") == "ru"
    assert detect_language("МОСКВА, 14 ноя - РИА Новости. Мигранты получат патенты на работу.") == "ru"


def test_empty_text_defaults_to_english():
    assert detect_language("") == "en"
    assert detect_language("   123 !!") == "en"


def test_short_text_uses_hint():
    assert detect_language("OK", "fr-FR") == "fr"
    assert detect_language("", "de") == "de"


def test_normalize_hint():
    assert normalize_hint("en-US") == "en"
    assert normalize_hint("ru_RU") == "ru"
    assert normalize_hint("not a tag") is None
    assert normalize_hint(None) is None
