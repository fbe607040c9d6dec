"""Russian speakers in the nominative and roles that are offices (texts written for the test)."""

from __future__ import annotations

from index.extraction import extract
from index.extraction.russian_checks import common_word_name, is_office_word, oblique_name, russian_role


def test_office_words_in_the_nominative_only() -> None:
    assert all(is_office_word(w) for w in ("министр", "глава", "замглавы", "замдиректора", "заведующая",
                                           "сооснователь", "политолог", "вице-премьер", "Генсек"))
    assert not any(is_office_word(w) for w in ("журналистам", "министра", "раввинов", "министром", "главы"))


def test_a_role_is_an_office_phrase_not_a_clause() -> None:
    assert russian_role("на заседании коллегии глава МВД РФ") == "глава МВД РФ"
    assert russian_role("журналист и общественный деятель Мария Образцова") == "журналист и общественный деятель"
    assert russian_role("российский посол") == "российский посол"
    for clause in ("слова которой цитирует пресс-служба", "выступая на днях на съезде раввинов",
                   "корреспонденту агентства", "о том", "он.", "предстоящие переговоры"):
        assert russian_role(clause) is None, clause


def test_names_in_an_oblique_case_or_common_words_are_not_speakers() -> None:
    assert oblique_name("Татьяне Кукушкиной") and oblique_name("Дональду Трампу")
    assert oblique_name("Анастасии Ивановой") and oblique_name("Кенеша Киргизской")
    assert not any(oblique_name(n) for n in ("Антониу Гутерреш", "Луиджи Ди Майо", "Максим Орешкин",
                                             "Ирина Волк"))
    assert common_word_name("Власти Ингушетии", "Местные власти сообщили об этом.")
    text = ("МОСКВА, 3 мая. Губернатор области Петр Образцов заявил, что центр откроется летом. "
            "\"Мы готовы принять всех\", - сказал Образцов корреспонденту Марине Примеровой. "
            "Власти Примерной области заявили, что местные власти поддержат проект.")
    speakers = {s.name: s.role for s in extract("Центр для мигрантов", text, language="ru").speakers}
    assert "Петр Образцов" in speakers
    assert speakers["Петр Образцов"] == "Губернатор области"
    assert not any("Примеров" in name or "Власти" in name for name in speakers)
