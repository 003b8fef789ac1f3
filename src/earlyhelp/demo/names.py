"""Invented, clearly synthetic values for demo and benchmark data.

Nothing here is a real person or address. First names mix accents (Zoë, Siân, José) so the
demo shows accent-insensitive search; surnames are invented compounds. NHS numbers come from
the 999 test range and postcodes are format-valid only (never claimed to exist).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

FIRST_NAMES_FEMALE = [
    "Zoë",
    "Siân",
    "Chloé",
    "Anaïs",
    "Aoife",
    "Niamh",
    "Renée",
    "Inès",
    "Łucja",
    "Ngozi",
    "Ayşe",
    "Maëlle",
    "Saoirse",
    "Marigold",
    "Hazel",
    "Priya",
    "Amara",
    "Elodie",
    "Freya",
    "Nadia",
    "Yasmin",
    "Ffion",
    "Bethan",
    "Olívia",
    "Matilda",
    "Rosalind",
    "Imogen",
    "Wren",
]
FIRST_NAMES_MALE = [
    "José",
    "Tomás",
    "Björn",
    "Søren",
    "Jürgen",
    "Eoghan",
    "Mateusz",
    "Rhys",
    "Dónal",
    "Kwame",
    "Idris",
    "Rafael",
    "Émile",
    "Oisín",
    "Callum",
    "Hamish",
    "Arjun",
    "Tobias",
    "Felix",
    "Jonah",
    "Ibrahim",
    "Gethin",
    "Ronan",
    "Leon",
    "Anwar",
    "Casimir",
    "Otto",
]
# Invented compound surnames: obviously not a real family's name.
SURNAMES = [
    "Quillfeather",
    "Bramblecote",
    "Thistledown",
    "Marrowby",
    "Fenwhistle",
    "Oakhollow",
    "Dúnmarrow",
    "Åkerbloom",
    "Brønwell",
    "Müllerwick",
    "Nuñez-Larkspur",
    "O'Thistlewood",
    "D'Arcy-Plume",
    "Lévêque-Marsh",
    "Ferreira-Pellow",
    "Čapekwood",
    "Ashworthy",
    "Kettleburn",
    "Moonridge",
    "Pennywhistle",
    "Saltmarsh-Ové",
    "Hollowmere",
    "Ríobárd-Fennick",
    "Wychbold",
    "Tanglewood",
    "Glimmerton",
    "Cobblestone",
    "Featherstonehaugh-Bly",
    "Nightingale-Ōta",
    "Sørlie-Moss",
    "Evenlode",
    "Harrowgate",
    "Ìnnisbrook",
    "Candlewick",
    "Fairweather-Jones",
    "Gorsebrook",
    "Larchmont",
    "Mistlethwaite",
    "Quenby",
    "Rookwood",
    "Silverbirch",
    "Umberleigh",
]
STREETS = [
    "Larkspur Row",
    "Tinker's Lane",
    "Foxglove Close",
    "Mill Race",
    "Heron Walk",
    "Willow Crescent",
    "Parchment Street",
    "Beacon Rise",
    "Orchard Way",
    "Cinder Path",
]
TOWNS = ["Exampleton", "Samplebury", "Fictionford", "Mockington", "Placeholder Bay"]
REFERRER_NAMES = [
    "Ms Hollis Partridge",
    "Mr Dewi Ambersley",
    "Dr Noor Castellane",
    "Mrs Ottilie Brack",
    "Mr Rémy Fallowfield",
    "Ms Sunniva Kestrel",
]
REFERRER_ORGANISATIONS = {
    "school": "Brookfield Primary School",
    "early_years_setting": "Little Acorns Nursery",
    "health_visitor": "Exampleton Health Visiting Team",
    "gp_or_health": "Riverside Surgery",
    "police": "Exampleshire Police",
    "housing": "Exampleshire Homes",
    "childrens_social_care_step_down": "Children's Social Care",
    "voluntary_sector": "Fictionford Family Trust",
    "other_council_service": "Youth Service",
    "self_or_family": "",
    "other": "Community Library",
}

# Postcode parts: first letter never Q, V, X; second never I, J, Z; inward letters never
# C, I, K, M, O, V.
_AREAS = ["AB", "BD", "CF", "DN", "EH", "FY", "GL", "HU", "LN", "NR", "PE", "SN", "TA", "WR"]
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def nhs_check_digit(nine_digits: str) -> int | None:
    """The mod-11 check digit for nine digits, or None when no valid number exists (10)."""
    total = sum(int(d) * w for d, w in zip(nine_digits, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_for_serial(serial: int) -> str | None:
    """The valid 999-range NHS number for a 6-digit ``serial``, or None if it has none."""
    nine = f"999{serial:06d}"
    check = nhs_check_digit(nine)
    return None if check is None else f"{nine}{check}"


def nhs_numbers(rng: random.Random) -> Iterator[str]:
    """Distinct valid test-range NHS numbers in a seeded random order (endless until the
    range's ~909,000 valid numbers run out)."""
    seen: set[int] = set()
    while len(seen) < 1_000_000:
        serial = rng.randrange(1_000_000)
        if serial in seen:
            continue
        seen.add(serial)
        number = nhs_number_for_serial(serial)
        if number is not None:
            yield number


def postcode(rng: random.Random) -> str:
    outward = f"{rng.choice(_AREAS)}{rng.randint(1, 29)}"
    inward = f"{rng.randint(0, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
    return f"{outward} {inward}"


def street_address(rng: random.Random) -> tuple[str, str]:
    return f"{rng.randint(1, 140)} {rng.choice(STREETS)}", rng.choice(TOWNS)


def first_name(rng: random.Random, sex: str) -> str:
    return rng.choice(FIRST_NAMES_FEMALE if sex == "female" else FIRST_NAMES_MALE)


def birth_date(rng: random.Random, today: date, *, min_age: int, max_age: int) -> date:
    """A date of birth giving an age between ``min_age`` and ``max_age`` years today."""
    earliest = today - timedelta(days=365 * (max_age + 1) - 1)
    latest = today - timedelta(days=max(365 * min_age, 30))
    return earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
