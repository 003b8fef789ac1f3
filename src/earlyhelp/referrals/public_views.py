"""The public online referral form at /refer/: no sign-in, one question per page.

Answers are kept in an encrypted draft of their own (``public_drafts``), deleted when the
referral is sent or a few hours after the last answer; the session holds only the draft's id.
The referral is recorded through ``services.create_referral`` with no actor, like any other
channel. Abuse protection needs no
third-party service: a honeypot field, and a per-client hourly limit (``ratelimit``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.core import codelists
from earlyhelp.core.errors import InvalidInput, NotFound
from earlyhelp.datamap import selectors as notices
from earlyhelp.people.models import FamilyRole, Sex
from earlyhelp.referrals import public_drafts, ratelimit
from earlyhelp.referrals.models import PublicReferralDraft
from earlyhelp.referrals.public_forms import (
    MAX_PEOPLE,
    PROFESSIONAL,
    REFERRER_TYPES,
    SELF,
    AddAnotherForm,
    AddressForm,
    AgreementForm,
    ConcernForm,
    DraftForm,
    PersonForm,
    ReferrerForm,
    WhoForm,
    first_missing_step,
    to_referral_input,
)
from earlyhelp.referrals.services import create_referral

# The session holds the draft's random id while the form is filled in, and the referral's
# reference after it is sent (for the confirmation page); never an answer.
DRAFT_ID_KEY: Final = "public_referral_draft"
REFERENCE_KEY: Final = "public_referral_reference"
_ON_REQUEST: Final = "_earlyhelp_public_draft"
# Named to tempt form-filling bots; people never see it (see _honeypot.html).
HONEYPOT: Final = "website"

STEP_URLS: Final = {
    "who": "referrals:public_who",
    "referrer": "referrals:public_referrer",
    "people": "referrals:public_person_add",
    "address": "referrals:public_address",
    "concern": "referrals:public_concern",
    "agreement": "referrals:public_agreement",
    "check": "referrals:public_check",
}

ViewFunc = Callable[..., HttpResponse]


def public(methods: list[str]) -> Callable[[ViewFunc], ViewFunc]:
    """Every page here is open to anyone, and none may be cached (answers are personal)."""

    def decorate(view: ViewFunc) -> ViewFunc:
        return login_not_required(never_cache(require_http_methods(methods)(view)))

    return decorate


# --- The draft ------------------------------------------------------------------------------


@dataclass
class _Loaded:
    row: PublicReferralDraft | None
    answers: dict[str, Any]


def _loaded(request: HttpRequest) -> _Loaded:
    """This request's draft, read (and decrypted) once however often a view asks."""
    loaded: _Loaded | None = getattr(request, _ON_REQUEST, None)
    if loaded is None:
        row = public_drafts.open_draft(request.session.get(DRAFT_ID_KEY))
        loaded = _Loaded(row, public_drafts.answers_of(row))
        setattr(request, _ON_REQUEST, loaded)
    return loaded


def _draft(request: HttpRequest) -> dict[str, Any]:
    return _loaded(request).answers


def _save(request: HttpRequest, draft: dict[str, Any]) -> None:
    loaded = _loaded(request)
    loaded.answers = draft
    loaded.row = public_drafts.save_draft(loaded.row, draft)
    request.session[DRAFT_ID_KEY] = str(loaded.row.pk)


def _people(draft: dict[str, Any]) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = draft.get("people") or []
    return people


def _next(draft: dict[str, Any], step: str) -> HttpResponse:
    """Go on to ``step``; once every question is answered (a change), back to the check page."""
    return redirect(STEP_URLS["check" if first_missing_step(draft) is None else step])


def _step_url(step: str, index: int | None) -> str:
    if step == "person":
        if index is None:
            return reverse("referrals:public_person_add")
        return reverse("referrals:public_person", kwargs={"number": index + 1})
    return reverse(STEP_URLS[step])


def _late_error_target(field: str | None, draft: dict[str, Any]) -> tuple[str, int | None, str]:
    """Where a service's error path (``people.0.nhs_number``) is answered: step, person, field."""
    parts = (field or "").split(".")
    head = parts[0]
    if head == "people" and len(parts) == 3 and parts[1].isdigit():
        return "person", int(parts[1]), parts[2]
    if head == "people":
        return "person", None, ""
    if head == "referrer":
        return "referrer", None, "referrer_name" if parts[-1] == "name" else parts[-1]
    if head == "source":
        professional = draft.get("who", {}).get("referrer_type") == PROFESSIONAL
        return ("referrer", None, "organisation_type") if professional else ("who", None, "")
    if head == "address":
        return "address", None, f"address_{parts[-1]}"
    if head in ("reasons", "summary"):
        return "concern", None, head
    if head in ("family_aware", "family_consents"):
        return "agreement", None, head
    return "check", None, ""


def _late_error(request: HttpRequest, step: str, index: int | None = None) -> dict[str, Any] | None:
    """The service's refusal waiting to be shown on this page, taken from the draft."""
    row = _loaded(request).row
    pending: dict[str, Any] | None = row.pending_error if row else None
    if row and pending and pending["step"] == step and pending.get("index") == index:
        row.pending_error = None
        row.save(update_fields=["pending_error"])
        return pending
    return None


def _form_for(
    request: HttpRequest,
    form_class: type[DraftForm],
    stored: dict[str, Any],
    *,
    step: str,
    index: int | None = None,
    **kwargs: Any,
) -> DraftForm:
    """The page's form on GET: the answers so far, plus any error the service found later."""
    pending = _late_error(request, step, index)
    if pending is None:
        return form_class(initial=form_class.initial_from(stored), **kwargs)
    form = form_class.bound_from(stored, **kwargs)
    form.is_valid()
    field = pending["field"] if pending["field"] in form.fields else None
    # Re-checking the stored answers may already find the problem (a code list changed);
    # one message per field is enough.
    if not form.has_error(field or "__all__"):
        form.add_error(field, pending["message"])
    return form


def _honeypot_filled(request: HttpRequest) -> bool:
    return bool(request.POST.get(HONEYPOT, "").strip())


def _rejected(request: HttpRequest) -> HttpResponse:
    # Nothing from the request is echoed back, and nothing was stored.
    return render(
        request,
        "referrals/public/rejected.html",
        {"title": "Sorry, we could not accept this form"},
        status=400,
    )


def _page(
    request: HttpRequest, template: str, title: str, form: Any = None, **context: Any
) -> HttpResponse:
    return render(
        request,
        f"referrals/public/{template}",
        {
            "title": title,
            "form": form,
            "error_title": bool(form is not None and form.errors),
            "honeypot": HONEYPOT,
            **context,
        },
    )


def _question(
    request: HttpRequest,
    *,
    step: str,
    form_class: type[DraftForm],
    template: str,
    title: str,
    next_step: str,
    back: str,
    **form_kwargs: Any,
) -> HttpResponse:
    """One question page: show it with the answers so far, or save valid answers and go on."""
    draft = _draft(request)
    form: DraftForm
    if request.method == "POST":
        if _honeypot_filled(request):
            return _rejected(request)
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            draft[step] = form.to_draft()
            _save(request, draft)
            return _next(draft, next_step)
    else:
        form = _form_for(request, form_class, draft.get(step) or {}, step=step, **form_kwargs)
    return _page(request, template, title, form, back=reverse(back))


def _referrer_type(draft: dict[str, Any]) -> str | None:
    who: dict[str, str] = draft.get("who") or {}
    return who.get("referrer_type")


# --- Pages ---------------------------------------------------------------------------------


@login_not_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return _page(request, "start.html", "Ask for Early Help for a family")


@public(["GET", "POST"])
def who(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    previous = _referrer_type(draft)
    if request.method == "POST" and not _honeypot_filled(request):
        chosen = request.POST.get("referrer_type")
        if previous and chosen in dict(REFERRER_TYPES) and chosen != previous:
            # Different questions follow for each kind of referrer: ask them again.
            draft.pop("referrer", None)
            draft.pop("agreement", None)
            _save(request, draft)
    return _question(
        request,
        step="who",
        form_class=WhoForm,
        template="who.html",
        title="Who are you?",
        next_step="referrer",
        back="referrals:public_start",
    )


@public(["GET", "POST"])
def referrer(request: HttpRequest) -> HttpResponse:
    referrer_type = _referrer_type(_draft(request))
    if referrer_type is None:
        return redirect("referrals:public_who")
    return _question(
        request,
        step="referrer",
        form_class=ReferrerForm,
        template="referrer.html",
        title="Your details",
        next_step="people",
        back="referrals:public_who",
        referrer_type=referrer_type,
    )


@public(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    """The people added so far, and whether to add another (the "add to a list" pattern)."""
    draft = _draft(request)
    named = _people(draft)
    if not named:
        return redirect("referrals:public_person_add")
    form = AddAnotherForm(request.POST or None) if len(named) < MAX_PEOPLE else None
    if request.method == "POST":
        if _honeypot_filled(request):
            return _rejected(request)
        if form is None:
            return _next(draft, "address")
        if form.is_valid():
            if form.cleaned_data["add_another"] == "yes":
                return redirect("referrals:public_person_add")
            return _next(draft, "address")
    title = "You have added 1 person" if len(named) == 1 else f"You have added {len(named)} people"
    return _page(
        request,
        "people.html",
        title,
        form,
        people=named,
        max_people=MAX_PEOPLE,
        back=reverse("referrals:public_referrer"),
    )


def _person_page(request: HttpRequest, index: int | None) -> HttpResponse:
    draft = _draft(request)
    named = _people(draft)
    form: DraftForm
    if request.method == "POST":
        if _honeypot_filled(request):
            return _rejected(request)
        form = PersonForm(request.POST)
        if form.is_valid():
            if index is None:
                named.append(form.to_draft())
            else:
                named[index] = form.to_draft()
            draft["people"] = named
            _save(request, draft)
            return redirect("referrals:public_people")
    else:
        stored = named[index] if index is not None else {}
        form = _form_for(request, PersonForm, stored, step="person", index=index)
    number = (index if index is not None else len(named)) + 1
    return _page(
        request,
        "person.html",
        "Who is the referral about?" if number == 1 else f"Person {number}",
        form,
        number=number,
        back=reverse("referrals:public_people" if named else "referrals:public_referrer"),
    )


@public(["GET", "POST"])
def person_add(request: HttpRequest) -> HttpResponse:
    if len(_people(_draft(request))) >= MAX_PEOPLE:
        return redirect("referrals:public_people")
    return _person_page(request, None)


def _index(request: HttpRequest, number: int) -> int:
    if not 1 <= number <= len(_people(_draft(request))):
        raise Http404
    return number - 1


@public(["GET", "POST"])
def person(request: HttpRequest, number: int) -> HttpResponse:
    return _person_page(request, _index(request, number))


@public(["GET", "POST"])
def person_remove(request: HttpRequest, number: int) -> HttpResponse:
    index = _index(request, number)
    draft = _draft(request)
    if request.method == "POST":
        if _honeypot_filled(request):
            return _rejected(request)
        del draft["people"][index]
        _save(request, draft)
        return redirect("referrals:public_people")
    return _page(
        request,
        "person_remove.html",
        f"Are you sure you want to remove person {number}?",
        person=draft["people"][index],
        number=number,
        back=reverse("referrals:public_people"),
    )


@public(["GET", "POST"])
def address(request: HttpRequest) -> HttpResponse:
    return _question(
        request,
        step="address",
        form_class=AddressForm,
        template="address.html",
        title="What is the family's address?",
        next_step="concern",
        back="referrals:public_people",
    )


@public(["GET", "POST"])
def concern(request: HttpRequest) -> HttpResponse:
    return _question(
        request,
        step="concern",
        form_class=ConcernForm,
        template="concern.html",
        title="What is your concern?",
        next_step="agreement",
        back="referrals:public_address",
    )


@public(["GET", "POST"])
def agreement(request: HttpRequest) -> HttpResponse:
    referrer_type = _referrer_type(_draft(request))
    if referrer_type is None:
        return redirect("referrals:public_who")
    return _question(
        request,
        step="agreement",
        form_class=AgreementForm,
        template="agreement.html",
        title="Your family's agreement" if referrer_type == SELF else "The family's agreement",
        next_step="check",
        back="referrals:public_concern",
        referrer_type=referrer_type,
    )


def _notice_summary(body: str) -> list[str]:
    """The notice's opening paragraphs (before its first heading), as plain text."""
    paragraphs: list[str] = []
    for block in body.split("\n\n"):
        text = " ".join(line.strip() for line in block.splitlines() if line.strip())
        if text.startswith("## "):
            break
        if text:
            paragraphs.append(text)
    return paragraphs


@public(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _submit(request)
    draft = _draft(request)
    missing = first_missing_step(draft)
    if missing is not None:
        return redirect(STEP_URLS[missing])
    notice = notices.current_notice()
    # The version shown here is the one recorded with the referral, even if a newer one is
    # published before the referrer presses submit.
    loaded = _loaded(request)
    if loaded.row is not None:
        loaded.row.notice_version = notice.version
        loaded.row = public_drafts.save_draft(loaded.row)
    pending = _late_error(request, "check")
    referrer_type = _referrer_type(draft)
    return _page(
        request,
        "check.html",
        "Check your answers before sending your referral",
        None,
        error_message=pending["message"] if pending else None,
        error_title=bool(pending),
        draft=draft,
        people=[
            {**person, "date_of_birth": DraftForm.parse_date(person.get("date_of_birth"))}
            for person in _people(draft)
        ],
        referrer_type=referrer_type,
        referrer_type_label=dict(REFERRER_TYPES).get(referrer_type or "", ""),
        source_labels=codelists.labels("referral_sources"),
        reason_labels=codelists.labels("referral_reasons"),
        sex_labels=dict(Sex.choices),
        role_labels=dict(FamilyRole.choices),
        notice=notice,
        notice_summary=_notice_summary(notice.body),
        PROFESSIONAL=PROFESSIONAL,
        SELF=SELF,
        back=reverse("referrals:public_agreement"),
    )


def _submit(request: HttpRequest) -> HttpResponse:
    # Every attempt counts, bots' included; over the limit nothing is looked at or stored.
    if not ratelimit.hit(request):
        return render(
            request,
            "referrals/public/rate_limited.html",
            {"title": "Sorry, there have been too many referrals from your connection"},
            status=429,
        )
    if _honeypot_filled(request):
        return _rejected(request)
    loaded = _loaded(request)
    draft = loaded.answers
    missing = first_missing_step(draft)
    if missing is not None or loaded.row is None:
        return redirect(STEP_URLS[missing or "who"])
    if loaded.row.notice_version is None:
        return redirect("referrals:public_check")
    try:
        notice = notices.notice_version(loaded.row.notice_version)
    except NotFound:
        return redirect("referrals:public_check")
    try:
        with transaction.atomic():
            referral = create_referral(
                actor=None,
                data=to_referral_input(draft, received_at=timezone.now()),
                privacy_notice=notice,
            )
            # Sent: the answers now live in the referral only.
            public_drafts.discard_draft(loaded.row)
    except InvalidInput as exc:
        step, index, field = _late_error_target(exc.field, draft)
        loaded.row.pending_error = {
            "step": step,
            "index": index,
            "field": field,
            "message": exc.message,
        }
        loaded.row.save(update_fields=["pending_error"])
        return redirect(_step_url(step, index))
    request.session.pop(DRAFT_ID_KEY, None)
    # Only the reference stays, so the confirmation page can show it; never in the URL.
    request.session[REFERENCE_KEY] = referral.reference
    return redirect("referrals:public_done")


@public(["GET"])
def done(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(REFERENCE_KEY)
    if not reference:
        return redirect("referrals:public_start")
    return _page(request, "done.html", "Referral sent", reference=reference)
