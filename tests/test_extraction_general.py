"""Who spoke, by general rules rather than examples: names in running sentences are not letterheads,
passive subjects do not speak, organisations and headline words are not people, roles sit beside the
name. Every text here is written for the test."""

from __future__ import annotations

from index.extraction import extract


def _speakers(text: str, title: str = "") -> dict[str, str | None]:
    return {s.name: s.role for s in extract(title, text).speakers}


def test_a_name_in_a_running_sentence_near_the_top_is_not_an_issuer() -> None:
    text = """MEDIA RELEASE

Tuesday 4 March

RIVAL PLAN A RISK FOR SMALL TOWNS

Senator Gregory Sample has shown voters how little the Coalition cares for small towns, Greens Leader
Senator Maria Writer said.

"Nobody in the bush will be better off," Senator Writer said.
"""
    speakers = _speakers(text)
    assert "Maria Writer" in speakers
    assert "Gregory Sample" not in speakers


def test_a_name_inside_a_quote_or_after_with_is_not_an_issuer() -> None:
    text = """Young artists to exhibit their work

The exhibition will be opened by Senator Paul Visitor, who will represent the Minister, Jane Cobbett.

'I would like to thank Senator Visitor for opening the exhibition in my place,' Minister Cobbett said.
"""
    speakers = _speakers(text)
    assert "Jane Cobbett" in speakers
    assert "Paul Visitor" not in speakers


def test_a_letterhead_line_that_runs_into_the_text_still_names_the_issuer() -> None:
    text = """SENATOR THE HON CHRIS EXAMPLE Minister for Immigration The Government today released figures.

More visas were granted this year than last.
"""
    assert "Chris Example" in _speakers(text)


def test_organisations_programmes_and_headline_nouns_are_not_speakers() -> None:
    text = """MEDIA RELEASE

DIPLOMATIC APPOINTMENT - AMBASSADOR FOR PEOPLE SMUGGLING ISSUES

Officials said the Rescue Coordination Centre sent a ship within the hour.

The Murray-Darling Basin Authority said water would be released next week.

The Race Discrimination Commissioner said the report was overdue.

"We acted as fast as the law allowed," Felicity Example said.
"""
    speakers = _speakers(text)
    assert "Felicity Example" in speakers
    assert not any(word in name for name in speakers for word in (
        "Appointment", "Smuggling", "Coordination", "Authority", "Discrimination"))


def test_names_a_thing_needs_each_mention_to_look_like_one() -> None:
    from index.extraction.not_people import names_a_thing, noun_like

    assert noun_like("Coordination") and noun_like("Appointment") and not noun_like("Clement")
    text = "He thanked the Founder of Smart Population. Later Tony Sample spoke at the Tony Sample Institute."
    smart = text.index("Smart Population")
    assert names_a_thing("Smart Population", text, [(smart, smart + len("Smart Population"))])
    first = text.index("Tony Sample")
    second = text.index("Tony Sample", first + 1)
    spans = [(first, first + 11), (second, second + 11)]
    assert not names_a_thing("Tony Sample", text, spans)  # once named in his own right
    assert names_a_thing("Tony Sample", text, spans[1:])


def test_contacts_are_not_speakers_even_beside_the_ministers_office() -> None:
    text = """Budget brings more settlement services

Mr Gerry Sample said tonight the Budget met every commitment.

The Minister said the program would grow next year.

MEDIA INQUIRIES: Karen O'Example Minister's Office (06) 277 0000

Contact Jon Edgeworth - 0400 000 000
"""
    speakers = _speakers(text)
    assert "Gerry Sample" in speakers
    assert "Karen O'Example" not in speakers
    assert "Jon Edgeworth" not in speakers


def test_a_role_is_never_a_sentence_or_another_speakers_turn_label() -> None:
    text = """Interview with Neil Example, Radio 3XY

NEIL EXAMPLE: Prime Minister, good morning.

PRIME MINISTER: Good morning Neil.

NEIL EXAMPLE: Will the boats stop?

PRIME MINISTER: They have stopped.
"""
    assert _speakers(text).get("Neil Example") is None
    text = """Mr Gerry Sample said tonight the Budget met every commitment.

The Minister said the program would grow next year.
"""
    assert _speakers(text).get("Gerry Sample") is None


def test_a_letterhead_role_stops_where_the_headline_runs_on() -> None:
    from index.extraction.roles import heading_part, heading_words

    assert heading_part("Federal Member for Stirling Labor hiding details on boats") == \
        "Federal Member for Stirling Labor"
    assert heading_part("Greens spokesperson on family and community services") == \
        "Greens spokesperson on family and community services"
    assert heading_part(": Prime Minister, good morning.") == ""
    assert heading_words("Senator for Western Australia, The Greens (WA) Perth:")
    assert not heading_words("PRIME MINISTER:")
    assert not heading_words("The Minister said the program would grow.")
    text = """Senator Mary Sample, leader of the Australian Greens, spoke this morning to the ABC

"We need a fair go," Senator Sample said."""
    assert _speakers(text).get("Mary Sample") == "leader of the Australian Greens"


def test_said_before_a_name_is_an_inversion_only_after_a_quote_or_comma() -> None:
    text = """Senator Jo Sample said Minister Tom Example has failed to explain the delay.

"We asked Anne Other to review the program," Senator Sample said.

"The delay is unacceptable," said Senator Rhys Third.
"""
    speakers = _speakers(text)
    assert "Jo Sample" in speakers and "Rhys Third" in speakers
    assert "Tom Example" not in speakers
    assert "Anne Other" not in speakers


def test_continued_is_a_speech_verb_only_before_what_was_said() -> None:
    text = """Senators Ann Sample and Rob Example continued their questioning of officials on Monday.

"The review has no end date," Senator Sample said.

Senator Lee Third continued: "Nobody can tell us what it costs."
"""
    speakers = _speakers(text)
    assert "Ann Sample" in speakers and "Lee Third" in speakers
    assert "Rob Example" not in speakers


def test_a_letterhead_role_may_join_portfolios_with_and() -> None:
    text = """Transcript

Lara Example Greens Environment and Mining spokesperson

LARA EXAMPLE: We saw some shocking revelations last night about mine approvals.

JOURNALIST: What should the Government do?

LARA EXAMPLE: Stop the approvals now.
"""
    assert _speakers(text).get("Lara Example") == "Greens Environment and Mining spokesperson"


def test_a_presenter_line_gives_the_presenter_role() -> None:
    text = """Interview with Bill Sample, Radio Example

Presenter: Bill Sample

SAMPLE: Is the influx of refugees a security threat?

JOHN EXAMPLE: No, it is a humanitarian question.

SAMPLE: Thank you.

JOHN EXAMPLE: Thank you.
"""
    assert _speakers(text).get("Bill Sample") == "Presenter"


def test_an_office_above_a_doorstop_belongs_to_its_one_named_speaker() -> None:
    text = """MEDIA RELEASE

LEADER OF THE OPPOSITION

TRANSCRIPT OF DOORSTOP, HOBART

JOURNALIST:

Mr Exampley, what is your reaction to the polls?

EXAMPLEY:

Disappointment, but not surprise.

JOURNALIST:

Will you campaign on?

EXAMPLEY:

Of course.
"""
    assert _speakers(text).get("Exampley") == "Leader of the Opposition"


def test_a_role_before_the_name_keeps_its_list_of_portfolios() -> None:
    text = """The Minister for Immigration, Local Government and Ethnic Affairs, Mr Gerry Sample, said tonight
the Budget met every commitment.

Michael Danby, Federal Member for Melbourne Ports has joined with union leader Martin Example, who said
the plan would cost jobs.
"""
    speakers = _speakers(text)
    assert speakers.get("Gerry Sample") == "Minister for Immigration, Local Government and Ethnic Affairs"
    assert not (speakers.get("Martin Example") or "").startswith("Federal Member")


def test_any_adverb_may_stand_between_a_name_and_its_verb() -> None:
    text = """JOURNALIST: What do you think of Joe Sample, who, incidentally, says he would like to lead?

ANNA EXAMPLE: He is welcome to try.

JOURNALIST: And Alan Fenwick basically said the plan is dead.

ANNA EXAMPLE: He is wrong.
"""
    speakers = _speakers(text)
    assert "Joe Sample" in speakers and "Alan Fenwick" in speakers


def test_a_person_after_think_of_is_not_a_thing() -> None:
    from index.extraction.not_people import names_a_thing

    text = "What do you think of Joe Sample? He thanked the Ambassador for People Smuggling."
    joe = text.index("Joe Sample")
    people = text.index("People Smuggling")
    assert not names_a_thing("Joe Sample", text, [(joe, joe + 10)])
    assert names_a_thing("People Smuggling", text, [(people, people + 16)])


def test_beliefs_and_deliveries_are_not_speech() -> None:
    text = """Senator Jo Sample said the race was close.

"Mr Tom Example believes his negative campaign is working," Senator Sample said.

Peter Other and John Fourth delivered four surpluses in a row.

Later, Ann Fifth delivered a speech on the budget.
"""
    speakers = _speakers(text)
    assert "Jo Sample" in speakers and "Ann Fifth" in speakers
    assert "Tom Example" not in speakers and "Peter Other" not in speakers and "John Fourth" not in speakers


def test_ranks_occupations_and_misspelt_titles_are_not_part_of_names() -> None:
    from index.extraction.names import ROLE_WORDS
    from index.extraction.not_people import misspelt_role, trim_title_words

    assert misspelt_role("Miniser", ROLE_WORDS) and misspelt_role("Minsiter", ROLE_WORDS)
    assert not misspelt_role("Morrison", ROLE_WORDS) and not misspelt_role("Minister", ROLE_WORDS)
    assert trim_title_words(["Air", "Marshal", "Mark", "Sample"], frozenset()) == ["Mark", "Sample"]
    assert trim_title_words(["Time", "Julia", "Sample"], frozenset({"time"})) == ["Julia", "Sample"]
    assert trim_title_words(["Will", "Sample"], frozenset({"will"})) == ["Will", "Sample"]
    text = """Clinical Psychologist Zachary Sample said the findings were clear.

Prime Miniser said the meeting went well.
"""
    speakers = _speakers(text)
    assert "Zachary Sample" in speakers
    assert "Miniser" not in speakers


def test_a_role_line_beyond_another_speakers_letterhead_is_theirs() -> None:
    text = """MINISTER FOR FOREIGN AFFAIRS

The Hon. Kevin Example MP

TRANSCRIPT OF INTERVIEW WITH JOANNA SAMPLE

JOANNA SAMPLE: Minister, is the aid budget growing?

KEVIN EXAMPLE: It is.

JOANNA SAMPLE: Thank you.

KEVIN EXAMPLE: Thank you.
"""
    speakers = _speakers(text)
    assert speakers.get("Kevin Example") == "Minister for Foreign Affairs"
    assert speakers.get("Joanna Sample") is None


def test_the_second_portfolio_of_a_title_is_not_a_person() -> None:
    text = """Senator Grant Sample

Parliamentary Secretary to the Minister for Health and Aged Care

"The response was fast," Senator Sample said.
"""
    speakers = _speakers(text)
    assert "Grant Sample" in speakers
    assert "Aged Care" not in speakers
