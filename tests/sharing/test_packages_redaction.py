"""sharing.packages.redaction: third parties by role, confidential addresses withheld."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.sharing.packages.redaction import (
    ADDRESS_WITHHELD,
    ExcludedPerson,
    WithheldAddress,
    build_redactor,
    role_labels,
)

WYSTAN = ExcludedPerson("Wystan", "Quillfeather", "Wys", "other_household_member")


def test_full_first_and_known_as_names_become_the_role():
    redactor = build_redactor([WYSTAN], included_last_names=["Quillfeather"])
    text = "Wystan Quillfeather called. WYSTAN said wys would come; Wys\u00a0Quillfeather too."
    assert redactor.redact(text) == (
        "[other household member] called. [other household member] said "
        "[other household member] would come; [other household member] too."
    )


def test_only_whole_words_are_replaced():
    redactor = build_redactor([ExcludedPerson("Ann", "Lee", "", "sibling")])
    assert redactor.redact("Annabel planned; Ann came. Leeds, Lee.") == (
        "Annabel planned; [sibling] came. Leeds, [sibling]."
    )


def test_a_last_name_shared_with_an_included_person_stays():
    redactor = build_redactor([WYSTAN], included_last_names=["Quillfeather"])
    assert redactor.redact("Marigold Quillfeather") == "Marigold Quillfeather"
    alone = build_redactor([WYSTAN])
    assert alone.redact("Mr Quillfeather") == "Mr [other household member]"


def test_people_sharing_a_role_are_numbered():
    assert role_labels(["child", "sibling", "child", "parent_or_carer"]) == [
        "[child 1]",
        "[sibling]",
        "[child 2]",
        "[parent or carer]",
    ]
    redactor = build_redactor(
        [ExcludedPerson("Ottoline", role="child"), ExcludedPerson("Perry", role="child")]
    )
    assert redactor.redact("Ottoline and Perry") == "[child 1] and [child 2]"


def test_unknown_roles_are_a_family_member():
    assert role_labels(["cousin"]) == ["[family member]"]


def test_confidential_address_lines_and_postcode_are_withheld():
    redactor = build_redactor(
        [], addresses=[WithheldAddress("Flat 2, 7 Heronsgate Close", "Upper Ashby", "ZZ9 4QX")]
    )
    text = (
        "Moved to Flat 2, 7 Heronsgate Close (heronsgate close), upper ashby, zz94qx; "
        "post goes to ZZ9  4QX."
    )
    out = redactor.redact(text)
    assert "heronsgate" not in out.lower() and "ashby" not in out.lower()
    assert "zz9" not in out.lower()
    assert out.count(ADDRESS_WITHHELD) == 5


def test_professionals_and_other_text_are_untouched():
    redactor = build_redactor([WYSTAN], addresses=[WithheldAddress("7 Heronsgate Close")])
    text = "Ms Hollis Partridge (DSL) met Marigold at school."
    assert redactor.redact(text) == text
    assert redactor.redact("") == ""


def test_nothing_to_redact_is_the_identity():
    assert build_redactor([]).redact("Wystan at 7 Heronsgate Close") == (
        "Wystan at 7 Heronsgate Close"
    )


# --- Properties ----------------------------------------------------------------------------

# Names of letters (some accented), never a word of the labels the redactor inserts.
LABEL_WORDS = {
    "child",
    "sibling",
    "parent",
    "or",
    "carer",
    "other",
    "household",
    "member",
    "significant",
    "family",
    "address",
    "withheld",
}
name = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëöñ", min_size=2, max_size=10)
    .map(str.capitalize)
    .filter(lambda n: n.lower() not in LABEL_WORDS)
)
roles = st.sampled_from(
    ["child", "parent_or_carer", "sibling", "other_household_member", "significant_other"]
)
people = st.lists(
    st.builds(
        ExcludedPerson, first_name=name, last_name=name, known_as=name | st.just(""), role=roles
    ),
    min_size=1,
    max_size=4,
)
filler = st.text(alphabet=" .,;:!?()'\n-abcdefghijklmnopqrstuvwxyz0123456789", max_size=20)


def _present(term: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


@given(
    people,
    st.lists(
        st.tuples(
            filler,
            st.integers(0, 3),
            st.sampled_from(["first", "last", "known", "full"]),
            st.sampled_from([str.lower, str.upper, str]),
        ),
        max_size=8,
    ),
    filler,
)
def test_no_excluded_name_survives_redaction(excluded, pieces, tail):
    parts = []
    for text, index, which, case in pieces:
        person = excluded[index % len(excluded)]
        chosen = {
            "first": person.first_name,
            "last": person.last_name,
            "known": person.known_as or person.first_name,
            "full": f"{person.first_name} {person.last_name}",
        }[which]
        parts.append(f"{text} {case(chosen)} ")
    text = "".join(parts) + tail
    out = build_redactor(excluded).redact(text)
    for person in excluded:
        for term in (person.first_name, person.last_name, person.known_as):
            if term:
                assert not _present(term, out), (term, out)


@given(people, filler)
def test_redaction_is_idempotent_and_keeps_text_without_names(excluded, text):
    redactor = build_redactor(excluded)
    once = redactor.redact(text)
    assert redactor.redact(once) == once
    if not any(
        _present(t, text) for p in excluded for t in (p.first_name, p.last_name, p.known_as) if t
    ):
        assert once == text


postcodes = st.builds(
    lambda a, n, d, b: f"{a}{n} {d}{b}",
    st.text(alphabet="ABCDEFGHJKLMNOPRSTUWYZ", min_size=1, max_size=2),
    st.integers(1, 99),
    st.integers(0, 9),
    st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
)


@given(postcodes, st.booleans(), st.booleans(), filler, filler)
def test_a_confidential_postcode_never_survives(postcode, spaced, lower, before, after):
    written = postcode if spaced else postcode.replace(" ", "")
    written = written.lower() if lower else written
    redactor = build_redactor([], addresses=[WithheldAddress("1 Example Row", "", postcode)])
    out = redactor.redact(f"{before} {written} {after}")
    assert postcode.replace(" ", "").lower() not in out.replace(" ", "").lower() or (
        postcode.replace(" ", "").lower() in (before + after).replace(" ", "").lower()
    )
