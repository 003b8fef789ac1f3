"""``earlyhelp partners import``: a GIAS extract loads; any bad row means nothing loads."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.partners.models import Organisation
from tests.partners.conftest import make_school

pytestmark = pytest.mark.django_db

GIAS = (
    "URN,EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),TelephoneNum\n"
    "100001,Brookfield Primary School,Community school,Open,01632 960001\n"
    "100002,Oakfield Academy,Academy converter,Open,01632 960002\n"
    "100003,Old Mill Infants,Community school,Closed,\n"
)


def _run(tmp_path, text: str, *args: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "extract.csv"
    path.write_bytes(text.encode(encoding))
    out = StringIO()
    call_command("partners", "import", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def test_a_gias_extract_loads_as_schools(world, tmp_path):
    output = _run(tmp_path, GIAS)
    assert "3 added, 0 updated, 0 unchanged" in output
    schools = {o.urn: o for o in Organisation.objects.all()}
    assert schools["100001"].kind == "school" and schools["100001"].phone == "01632 960001"
    assert schools["100003"].active is False  # closed in GIAS


def test_loading_again_updates_by_urn(world, tmp_path):
    make_school(world, name="Brookfield Primary", urn="100001")
    output = _run(tmp_path, GIAS)
    assert "2 added, 1 updated, 0 unchanged" in output
    school = Organisation.objects.get(urn="100001")
    assert school.name == "Brookfield Primary School"
    assert school.email == "office@example.org"  # not in the file, so kept
    assert "0 added, 0 updated, 3 unchanged" in _run(tmp_path, GIAS)


def test_windows_1252_files_are_read(world, tmp_path):
    _run(tmp_path, "URN,EstablishmentName\n100009,St Chloë's School\n", encoding="cp1252")
    assert Organisation.objects.get().name == "St Chloë's School"


def test_every_bad_row_is_reported_and_nothing_is_loaded(world, tmp_path):
    text = (
        "urn,name,kind,email\n"
        "100001,Good School,school,\n"
        "12345,Short URN School,school,\n"
        ",No URN School,school,\n"
        "100001,Duplicate,school,\n"
        "100004,Bad Email School,school,office@\n"
        ",Riverside Surgery,gp_practice,\n"
    )
    with pytest.raises(CommandError) as caught:
        _run(tmp_path, text)
    assert "Nothing was imported: 4 problem(s)" in str(caught.value)
    assert not Organisation.objects.exists()


def test_the_problems_name_line_and_field(world, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("urn,name\n12345,Short URN School\n100002,\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("partners", "import", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Line 2: urn: Enter the school's URN: 6 digits")
    assert lines[1] == "Line 3: name: Enter the organisation's name"


def test_a_file_without_a_name_column_is_refused(world, tmp_path):
    with pytest.raises(CommandError):
        _run(tmp_path, "urn,title\n100001,Brookfield\n")
    assert not Organisation.objects.exists()


def test_the_kind_option_applies_to_rows_without_one(world, tmp_path):
    _run(tmp_path, "name,ods_code\nRiverside Surgery,A81001\n", "--kind", "gp_practice")
    assert Organisation.objects.get().kind == "gp_practice"
