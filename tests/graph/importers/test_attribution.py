"""Tests of graph/importers/attribution.py: the attribution-sentence grammar."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.errors import InputError
from graph.importers.attribution import Attribution, Party, parse, render

SAMPLE = (
    "Palantir developed and US Immigration and Customs Enforcement (ICE) deployed Palantir "
    "ImmigrationOS, harming Immigrant communities targeted by AI-generated deportation maps and "
    "Individuals profiled by the system ; possible contributing factors include accountability "
    "vacuum, model opacity, and regulatory gap."
)


def test_sample_sentence_from_inc_26_0068() -> None:
    assert parse(SAMPLE) == Attribution(
        developers=(Party("Palantir"),),
        deployers=(Party("US Immigration and Customs Enforcement", "ICE"),),
        systems=("Palantir ImmigrationOS",),
        harmed_groups=(
            "Immigrant communities targeted by AI-generated deportation maps",
            "Individuals profiled by the system",
        ),
        factors=("accountability vacuum", "model opacity", "regulatory gap"),
    )
    assert parse(SAMPLE).factor_slugs == (
        "accountability-vacuum",
        "model-opacity",
        "regulatory-gap",
    )


@pytest.mark.parametrize(
    ("sentence", "developers", "deployers"),
    [
        (
            "A Corp, B Corp and C Corp developed and D Corp deployed S, harming G.",
            ["A Corp", "B Corp", "C Corp"],
            ["D Corp"],
        ),
        (
            "A Corp, B Corp, and C Corp developed and D Corp deployed S, harming G.",
            ["A Corp", "B Corp", "C Corp"],
            ["D Corp"],
        ),
        ("OpenAI developed and deployed S, harming G.", ["OpenAI"], ["OpenAI"]),
        (
            "S was developed by A Corp and deployed by B Corp and C Corp, harming G.",
            ["A Corp"],
            ["B Corp", "C Corp"],
        ),
        ("S was developed and deployed by Tesla, harming G.", ["Tesla"], ["Tesla"]),
        ("An unknown developer developed and Acme deployed S, harming G.", [], ["Acme"]),
        ("Unknown developer(s) developed and Acme deployed S, harming G.", [], ["Acme"]),
        ("Developer unknown developed and Acme deployed S, harming G.", [], ["Acme"]),
        ("Acme deployed S (developer unknown), harming G.", [], ["Acme"]),
        ("Acme developed and an unknown deployer deployed S, harming G.", ["Acme"], []),
    ],
)
def test_actor_variations(sentence: str, developers: list[str], deployers: list[str]) -> None:
    a = parse(sentence)
    assert [p.name for p in a.developers] == developers
    assert [p.name for p in a.deployers] == deployers
    assert a.systems == ("S",)
    assert a.harmed_groups == ("G",)
    assert a.factors == ()


def test_acronym_spans_only_the_name_it_abbreviates() -> None:
    a = parse(
        "Google and US Department of Health and Human Services (HHS) developed and "
        "Food and Drug Administration (FDA) deployed X, harming Y."
    )
    assert a.developers == (
        Party("Google"),
        Party("US Department of Health and Human Services", "HHS"),
    )
    assert a.deployers == (Party("Food and Drug Administration", "FDA"),)


def test_parenthetical_that_is_not_an_acronym_stays_in_the_name() -> None:
    a = parse("Meta (formerly Facebook) developed and deployed X, harming Y.")
    assert a.developers == (Party("Meta (formerly Facebook)"),)


def test_groups_split_only_before_a_capital() -> None:
    a = parse("A developed and deployed S, harming Workers and students and Children.")
    assert a.harmed_groups == ("Workers and students", "Children")


def test_render_refuses_a_name_it_cannot_write_unambiguously() -> None:
    a = Attribution((Party("Food and Drug Administration"),), (Party("X"),), ("S",), ("G",))
    with pytest.raises(ValueError, match="unambiguously"):
        render(a)


@pytest.mark.parametrize(
    "sentence",
    [
        "",
        "Palantir deployed",
        "Palantir developed and ICE deployed ImmigrationOS.",  # no harmed groups
        "A developed and B deployed S, harming G, and ; possible contributing factors include x.",
        "A developed and B deployed S, harming , G.",
    ],
)
def test_malformed_sentences_raise_input_error(sentence: str) -> None:
    with pytest.raises(InputError) as info:
        parse(sentence, file="p.txt", line=9)
    assert info.value.field == "Attribution"
    assert str(info.value).startswith("p.txt:9 [Attribution]: ")


# --- property-based ---------------------------------------------------------------

WORDS = [
    "Palantir",
    "Clearview",
    "Amazon",
    "Google",
    "Microsoft",
    "OpenAI",
    "Meta",
    "Tesla",
    "National",
    "Police",
    "Metropolitan",
    "Customs",
    "Border",
    "Protection",
    "Immigration",
    "Enforcement",
    "Department",
    "Health",
    "Human",
    "Services",
    "Agency",
    "Security",
    "US",
    "UK",
    "Dutch",
    "Tax",
    "Authority",
    "Uber",
    "DeepMind",
    "Office",
    "Ministry",
    "Labs",
    "Inc.",
]
LOWER = [
    "communities",
    "users",
    "workers",
    "students",
    "drivers",
    "profiled",
    "by",
    "the",
    "system",
    "targeted",
    "children",
    "tenants",
    "of",
    "in",
    "residents",
]


def _initials(name: str) -> str:
    out = ""
    for word in name.split():
        if word.isupper():
            out += "".join(c for c in word if c.isalpha())
        elif word[0].isupper():
            out += word[0]
    return out


@st.composite
def parties(draw: st.DrawFn) -> Party:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
    if draw(st.booleans()):
        # a name with "and" inside is only writable when its acronym says where it starts
        more = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2))
        name = " ".join(words) + " and " + " ".join(more)
        return Party(name, _initials(name).upper())
    name = " ".join(words)
    acronym = _initials(name).upper() if draw(st.booleans()) else None
    if acronym is not None and len(acronym) < 2:
        acronym = None
    return Party(name, acronym)


systems = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
groups = st.builds(
    lambda head, tail: " ".join([head, *tail]),
    st.sampled_from(["Immigrant", "Individuals", "Workers", "Children", "Residents", "Users"]),
    st.lists(st.sampled_from([*LOWER, "and"]), max_size=5),
).filter(lambda g: not g.endswith(" and") and " and and" not in g)
factors = st.lists(st.sampled_from(LOWER), min_size=1, max_size=3).map(" ".join)


@st.composite
def attributions(draw: st.DrawFn) -> Attribution:
    developers = tuple(draw(st.lists(parties(), min_size=0, max_size=4, unique=True)))
    if developers and draw(st.booleans()):
        deployers = developers  # "X developed and deployed S"
    else:
        deployers = tuple(draw(st.lists(parties(), min_size=0, max_size=4, unique=True)))
    return Attribution(
        developers=developers,
        deployers=deployers,
        systems=tuple(draw(st.lists(systems, min_size=1, max_size=3))),
        harmed_groups=tuple(draw(st.lists(groups, min_size=1, max_size=4))),
        factors=tuple(draw(st.lists(factors, max_size=4))),
    )


@given(attributions())
def test_round_trip(a: Attribution) -> None:
    assert parse(render(a)) == a


@given(attributions())
def test_published_style_reads_the_same(a: Attribution) -> None:
    """The pages put a space before ';' and may drop the Oxford comma."""
    sentence = render(a).replace("; possible", " ; possible").replace(", and ", " and ")
    assert parse(sentence) == a


@given(st.text())
def test_garbage_raises_input_error_only(text: str) -> None:
    try:
        parse(text)
    except InputError as exc:
        assert exc.field == "Attribution"


def test_name_without_letters_is_an_input_error() -> None:
    with pytest.raises(InputError, match="'—'"):
        parse("A developed and deployed S, harming —.")
