"""Who spoke, third round of general rules (issue 11c): roles that run on or stop at a connector, roles
before "and" that belong to the person before, headlines run onto a role line, broken encodings inside
names. Every text here is written for the test."""

from __future__ import annotations

from index.extraction import extract
from index.extraction.clean import repair
from index.extraction.roles import clean_role, split_roles


def _speakers(text: str, title: str = "") -> dict[str, str | None]:
    return {s.name: s.role for s in extract(title, text).speakers}


def test_a_lone_a_circumflex_left_from_a_soft_hyphen_is_a_hyphen() -> None:
    assert repair("candidate Dr Lena Hill\u00c2Marsh, in the by\u00c2election") == (
        "candidate Dr Lena Hill-Marsh, in the by-election")
    assert "CH\u00c2TEAU" in repair("CH\u00c2TEAU")  # an upper-case word keeps its letter


def test_a_role_before_and_belongs_to_the_person_before() -> None:
    text = """Release with Senator Kaye Sample - Assistant Minister for Homes and Ben Trial MP - Minister for Ports

NEW ROADS FOR COUNTRY TOWNS

The Minister for Ports, Ben Trial, and the Assistant Minister for Homes, Senator Kaye Sample, today
announced four new projects.

"Country towns need safer roads," Mr Trial said.
"""
    speakers = _speakers(text)
    assert speakers["Ben Trial"] == "Minister for Ports"
    assert speakers["Kaye Sample"] == "Assistant Minister for Homes"


def test_roles_do_not_end_with_a_connector_or_a_bare_senator() -> None:
    assert clean_role("Leader of the Opposition in") == "Leader of the Opposition"
    assert clean_role("Communications Minister Senator") == "Communications Minister"
    assert clean_role("Greens Senator for Tasmania") == "Greens Senator for Tasmania"
    assert clean_role("Senator") is None


def test_a_role_to_the_prime_minister_is_one_role() -> None:
    assert split_roles("Parliamentary Secretary to the Prime Minister Parliamentary Secretary for Housing") == [
        "Parliamentary Secretary to the Prime Minister", "Parliamentary Secretary for Housing"]
    assert split_roles("Deputy Prime Minister Minister for Transport") == [
        "Deputy Prime Minister", "Minister for Transport"]


def test_a_role_line_with_a_headline_run_onto_it_gives_the_role() -> None:
    text = """JANE EXAMPLE M.P.

MEDIA RELEASE

Shadow Minister for Housing & Planning  LABOR'S PLAN FOR RENTERS WILL GO ON  DESPITE THE VOTE LAST NIGHT

Late last night the Government voted down an amendment for renters.

For further information contact: Jane Example on 0400 000 000
"""
    assert _speakers(text) == {"Jane Example": "Shadow Minister for Housing & Planning"}


def test_an_apposition_belongs_to_the_name_before_it_not_to_a_later_name() -> None:
    text = """PR 12/34

SAMPLE ATTACKS OTHERS ON REFUGEES

Senator Don Sample, Leader of the Small Party, said on Friday that she could not accept Mr. Other's
plan for the harbour.

"Why would Mr. Other ignore the fishing fleet?" Senator Sample said. Mr. Other said on Monday that the
fleet had been consulted.
"""
    speakers = _speakers(text)
    assert speakers["Don Sample"] == "Leader of the Small Party"
    assert speakers.get("Other") != "Leader of the Small Party"


def test_an_apposition_stops_where_the_next_person_is_named() -> None:
    text = """BOATS KEEP COMING

Ferry fares will keep rising, according to Scott
Example, Shadow Minister for Immigration and Citizenship and Michael Sample, Shadow

Minister for Justice.

"The timetable tells the story", Mr Example said.

Shadow Minister for Justice Michael Sample said the operator owed commuters an answer.
"""
    speakers = _speakers(text)
    assert speakers["Scott Example"] == "Shadow Minister for Immigration and Citizenship"
    assert speakers["Michael Sample"] == "Shadow Minister for Justice"
    assert clean_role("Shadow") is None


def test_a_person_reported_through_a_pronoun_after_being_named_speaks() -> None:
    text = """Mr Sample chaired the regional meeting on Tuesday. He told members that the centre would stay open.

Residents look to Dana Example at Northfield council, as she has told them the bridge comes first.

Voters need only glance at Lena Hill in Eastvale, she has said the ferry must stay.
"""
    speakers = _speakers(text)
    assert "Sample" in speakers
    assert "Dana Example" in speakers
    assert "Lena Hill" in speakers  # a name after "at", then a pronoun that speaks: not a place


def test_a_pronoun_with_two_people_or_a_title_before_it_is_left_alone() -> None:
    text = """Jane Doe met the Prime Minister last week, and she said the harbour plan would go ahead.

Tom Roe met Ann Poe in Canberra. He said the talks went well.
"""
    speakers = _speakers(text)
    assert "Jane Doe" not in speakers
    assert "Tom Roe" not in speakers and "Ann Poe" not in speakers


def test_interviews_with_two_people_make_both_speakers() -> None:
    text = """Listeners heard two radio interviews at breakfast with Kevin Example and with
Carmen Sample. Each disagreed with the other on the rail link.
"""
    speakers = _speakers(text)
    assert "Kevin Example" in speakers and "Carmen Sample" in speakers


def test_a_one_word_letterhead_role_gives_way_to_the_fuller_one_the_release_states() -> None:
    text = """Rail link must wait for the bridge

Statement | Spokesperson Jane Hill-Doe

The bridge has to come first, according to Senator Jane Hill-Doe.

Senator Hill-Doe, Small Party spokesperson on Transport and Regional Roads, says the order is plain.
"""
    assert _speakers(text) == {"Jane Hill-Doe": "Small Party spokesperson on Transport and Regional Roads"}


def test_a_sentence_opener_is_not_part_of_a_role() -> None:
    assert clean_role("As President") == "President"
    assert clean_role("Given Minister") == "Minister"


def test_a_partial_name_may_skip_a_first_given_name() -> None:
    from index.extraction.names import compatible

    assert compatible("Maria Example", "Anna Maria Example")
    assert compatible("Jo Fisher", "Mary Jo Fisher")
    assert not compatible("Paul Fisher", "Mary Jo Fisher")


def test_russian_names_lose_the_body_or_place_before_them_and_keep_it_in_the_role() -> None:
    text = """Миграция в регионе

Новый мост через реку откроют осенью, заявила председатель Совета Федерации РФ Валентина Петренко.

Президент Турции Ахмет Сидоров заявил, что паром будет ходить до весны.

По словам помощника главы города Юрия Кузнецова, расписание изменится.

Как сообщил директор бюро компании в Самаре Абдусатор Рахимов, билетов хватит всем.

Руководитель отдела Речного пароходства капитан Юрий Смирнов рассказал о новых судах.

Ранее министр транспорта Антон Петров заявил, что денег на мост достаточно.
"""
    speakers = {s.name: s.role for s in extract("", text, language="ru").speakers}
    assert speakers["Валентина Петренко"] == "председатель Совета Федерации РФ"
    assert speakers["Ахмет Сидоров"] == "Президент Турции"
    assert "Юрий Кузнецов" in speakers
    assert speakers["Абдусатор Рахимов"] == "директор бюро компании в Самаре"
    assert speakers["Юрий Смирнов"].startswith("Руководитель отдела Речного пароходства")
    assert speakers["Антон Петров"] == "министр транспорта"
    assert not any(name.startswith(("Совета", "Турции", "Самаре")) for name in speakers)


def test_countries_and_bodies_that_warn_or_announce_are_not_people() -> None:
    text = """FERRY TIMETABLE CUT

"New services to Laos and Sri Lanka were announced in March and have not started," Mr Example said.

"As the Review Panel warned, a cut timetable strands tourists," Mr Example said.
"""
    speakers = _speakers(text)
    assert "Sri Lanka" not in speakers
    assert "Review Panel" not in speakers
    assert "Example" in speakers


def test_a_bulleted_list_of_people_appointed_is_not_a_sign_off() -> None:
    text = """APPOINTMENTS TO THE TRIBUNAL

The Attorney-General, Senator Jane Example, today announced appointments to the Tribunal.

"These members bring deep experience," Senator Example said.

The following have been appointed as members for five years:

• Ms Olive Tester • Dr Ben Trial • Mr Hugo Quill, and • Professor Ida Lamb.
"""
    speakers = _speakers(text)
    assert "Jane Example" in speakers
    assert not {"Olive Tester", "Ben Trial", "Hugo Quill", "Ida Lamb"} & set(speakers)


def test_roles_lose_dates_sentence_words_and_the_office_they_are_written_in() -> None:
    assert clean_role("Leader of the Small Party June 20") == "Leader of the Small Party"
    assert clean_role("Federal Member for Stirling 16 June 2011") == "Federal Member for Stirling"
    assert clean_role("Federal Member for Stirling A") == "Federal Member for Stirling"
    assert clean_role("of the Prime Minister") == "Prime Minister"
    assert clean_role("In April Immigration Minister") == "Immigration Minister"
    assert clean_role("Now the Finance Minister") == "Finance Minister"
    assert clean_role("Office of Senator") is None
    assert clean_role("Leader of the Small Party |") == "Leader of the Small Party"
    assert clean_role("Deputy Leader of the Opposition in the Senate") == (
        "Deputy Leader of the Opposition in the Senate")
    assert split_roles("NT Chief Minister") == ["NT Chief Minister"]


def test_a_given_name_alone_or_a_word_glued_after_a_name_is_the_same_speaker() -> None:
    text = """TRANSCRIPT OF INTERVIEW

HOST: Joining me now is the Foreign Minister, Gareth Sample. Good morning Gareth.

GARETH SAMPLE: Good morning.

HOST: Minister, what did the talks achieve?

GARETH SAMPLE: A great deal. Rob Example Tel 02 5550 0000 said it best when he spoke to the committee.

HOST: Rob Example said the same last week, didn't he?
"""
    speakers = _speakers(text)
    assert "Gareth Sample" in speakers
    assert "Gareth" not in speakers
    assert "Rob Example Tel" not in speakers


def test_a_double_surname_always_written_with_a_title_joins_the_full_name() -> None:
    text = """Senator Natasha Stott Despoja
Leader of the Small Party

SMALL PARTY CALLS FOR INQUIRY

"The Government must explain itself," Senator Stott Despoja said today.
"""
    speakers = _speakers(text)
    assert "Natasha Stott Despoja" in speakers
    assert "Stott Despoja" not in speakers


def test_a_portfolio_word_glued_before_a_name_does_not_replace_it() -> None:
    text = """Senator Simon Sample
Minister for Education and Training

NEW SCHOOLS FUNDING

The Minister for Education and Training Simon Sample today announced new funding.

"Every school will gain," Senator Simon Sample said.
"""
    speakers = _speakers(text)
    assert "Simon Sample" in speakers
    assert "Training Simon Sample" not in speakers


def test_in_a_stacked_letterhead_each_role_line_belongs_to_the_name_above_it() -> None:
    text = """BEN TRIAL MP

MINISTER FOR PORTS AND HARBOURS

SENATOR KAYE SAMPLE

PARLIAMENTARY SECRETARY FOR SMALL TOWNS

MEDIA RELEASE

COUNTRY PORTS TO GROW

The Minister for Ports and Harbours, Ben Trial MP, today welcomed the new plan.

"Country ports will grow," Mr Trial said. "Small towns gain most," Ms Sample said.
"""
    speakers = _speakers(text)
    assert speakers["Ben Trial"] == "Minister for Ports and Harbours"
    assert speakers["Kaye Sample"] == "Parliamentary Secretary for Small Towns"


def test_a_candidate_is_a_role_before_a_name_but_not_in_a_sentence() -> None:
    text = """Greens launch campaign in by-election

Party members gathered on Saturday behind North Town Small Party candidate Dr Arthur Hill-Sample.

Dr Hill-Sample, a local vet, said: "Our town deserves a bridge."

"It is good to be in Eastfield with our candidate Tom Roe," Mr Example said. Tom Roe said he was ready.
"""
    speakers = _speakers(text)
    assert speakers["Arthur Hill-Sample"] == "North Town Small Party candidate"
    assert speakers.get("Tom Roe") is None


def test_the_subject_of_a_passive_speech_verb_does_not_speak() -> None:
    text = """Minister Jane Example was criticised by the Opposition on Monday. Mr Tom Roe was welcomed by the
Mayor. Ms Ann Poe was told of the decision and said she was pleased.
"""
    speakers = _speakers(text)
    assert "Jane Example" not in speakers and "Tom Roe" not in speakers
    assert "Ann Poe" in speakers


def test_a_transcript_label_with_a_title_gives_that_title_and_an_ocr_damaged_title_is_no_name() -> None:
    text = """Joint press conference with Prime Minister Trial

Ben Trial and Malcolm Example met today.

PRIME MINISTER TRIAL:

Good afternoon, and welcome to Malcolm on his first visit.

PRIME MINISTER EXAMPLE:

Thank you Ben, it is a pleasure.

PRIME MINISTER TRIAL:

We will take questions now. Minsiter Sample said it best, "we are ready".
"""
    speakers = _speakers(text)
    assert speakers["Ben Trial"] == "Prime Minister"
    assert "Minsiter Sample" not in speakers


def test_an_occupation_in_lower_case_before_a_name_is_its_role() -> None:
    text = """The Government will act, the Minister said.

Electoral analyst Professor Malcolm Sample has predicted a close count in the river seats.
"""
    assert _speakers(text).get("Malcolm Sample") == "Electoral analyst"


def test_who_then_an_occasion_then_said_makes_a_speaker() -> None:
    text = """The canal was finished under Carlos Example, who in his last address to the
Assembly (see A/1/PV.1) said that water belongs to everyone.
"""
    assert "Carlos Example" in _speakers(text)


def test_in_the_words_of_and_reminded_us_make_speakers() -> None:
    text = """We must act now. In the words of Nelson Example, "every harbour was once a beach".
As Pope Sample reminded us last year, the poor cannot wait.
"""
    speakers = _speakers(text)
    assert "Nelson Example" in speakers
    assert "Sample" in speakers


def test_a_letterhead_repeated_as_a_page_footer_gives_the_role() -> None:
    text = """It is great to be here with the local member.

TONY EXAMPLE:

The new tax hurts small towns.

Tony Example Federal Member for Northfield | Leader of the Small Party

QUESTION:

Mr Example, what next?

TONY EXAMPLE:

More of the same from the Government.
"""
    assert _speakers(text)["Tony Example"] == "Federal Member for Northfield"


def test_an_upper_case_apposition_after_a_name_gives_the_role() -> None:
    text = """LEADER OF THE SMALL PARTY THE HON. TONY EXAMPLE MHR

5 March 2013

TRANSCRIPT OF THE HON. TONY EXAMPLE MHR JOINT DOORSTOP INTERVIEW WITH MRS. JANE DOE MHR, SHADOW MINISTER FOR PORTS

TONY EXAMPLE:

It is good to be here with Jane Doe.

JANE DOE:

Thank you Tony.
"""
    assert _speakers(text)["Jane Doe"] == "Shadow Minister for Ports"


def test_a_repaired_name_joins_the_person_it_belongs_to_and_headline_words_after_a_name_go() -> None:
    text = """Senator the Hon. Matt Sample Minister for Resources

TRANSCRIPT - DOORSTOP

MINSITER SAMPLE:

Good morning. Sample Lift Your Game is not a slogan we need.

JOURNALIST:

Minister, is the mine going ahead?

MINSITER SAMPLE:

Yes, it is.
"""
    speakers = _speakers(text)
    assert speakers == {"Matt Sample": "Minister for Resources"}


def test_every_named_transcript_speaker_is_kept_however_many() -> None:
    names = [f"{given} {surname}" for given, surname in zip(
        "Ann Ben Cara Dan Eve Finn Gus Hana Ivo Jade Kurt Lena Milo Nora Otto Pia Quin Rosa".split(),
        "Abel Bird Cole Dunn Ely Ford Gray Hale Ives Jory Kemp Lowe Moss Nash Orr Pike Quay Ross".split(),
        strict=True)]
    turns = "\n\n".join(f"{name.upper()}:\n\nI have a question about the new ferry timetable." for name in names)
    text = f"TRANSCRIPT OF A PUBLIC MEETING\n\n{turns}\n"
    speakers = _speakers(text)
    assert len(names) == 18
    assert set(names) <= set(speakers)
