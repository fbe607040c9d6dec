"""Russian attribution: speakers and quotes from «...», — сказал X; X заявил; по словам X (text we wrote)."""

from __future__ import annotations

from index.extraction import extract
from index.extraction.russian import nominative


def _names(extraction) -> list[str]:
    return [speaker.name for speaker in extraction.speakers]


def test_quote_then_dash_verb_and_name():
    text = (
        "Миграционная служба открыла новый центр.\n\n"
        "«Мы будем принимать заявления в электронном виде уже с весны», — сказал Иван Петров.\n"
    )
    extraction = extract("Новый центр", text, language="ru")
    assert "Иван Петров" in _names(extraction)
    assert any(q.speaker == "Иван Петров" and "электронном виде" in q.text for q in extraction.quotes)


def test_context_words_between_verb_and_name():
    text = "«Число обращений выросло вдвое за последний год», — заявила на брифинге глава ведомства Анна Смирнова."
    extraction = extract("Брифинг", text, language="ru")
    assert _names(extraction) == ["Анна Смирнова"]
    assert extraction.quotes[0].speaker == "Анна Смирнова"


def test_name_then_verb_and_according_to():
    text = (
        "Олег Кузнецов отметил, что правила изменятся с марта.\n\n"
        "По словам министра Сергея Волкова, квоты сохранятся.\n"
    )
    names = _names(extract("Квоты", text, language="ru"))
    assert "Олег Кузнецов" in names
    assert "Сергей Волков" in names  # genitive "Сергея Волкова" turned back


def test_genitive_to_nominative():
    assert nominative("Ивана Петрова") == "Иван Петров"
    assert nominative("Ирины Петровой") == "Ирина Петрова"
    assert nominative("Сергея Волкова") == "Сергей Волков"
    assert nominative("Марии Ивановой") == "Мария Иванова"


def test_a_person_mentioned_is_not_a_speaker():
    text = "Встреча с Иваном Петровым прошла в министерстве. Документы подписаны в среду."
    assert _names(extract("Встреча", text, language="ru")) == []


def test_pronouns_agencies_and_roles_are_not_speakers():
    text = (
        "«Работа продолжается в штатном режиме», — сообщил РИА Новости представитель ведомства.\n\n"
        "Однако, как заявил президент, сроки не изменятся. Он сказал, что всё готово."
    )
    assert _names(extract("Сроки", text, language="ru")) == []


def test_russian_countries_organisations_and_events_in_any_case() -> None:
    from index.extraction import extract

    text = ("МОСКВА. Мигранты из Таджикистана и Узбекистана прибыли в Россию, сообщили в МВД России. "
            "Представитель МИД и эксперты ООН обсудили это на саммите ШОС и в кулуарах ПМЭФ. Кубок вручили.")
    extraction = extract("", text, language="ru")
    assert {"Tajikistan", "Uzbekistan", "Russia"} <= set(extraction.countries)
    assert "Cuba" not in extraction.countries  # "Кубок" is a cup, not Куба
    assert {"МВД", "МИД", "UN"} <= set(extraction.organisations)
    assert "саммит ШОС" in extraction.events
    assert "Петербургский международный экономический форум" in extraction.events
