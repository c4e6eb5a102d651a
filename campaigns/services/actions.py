"""Writes about actions: what supporters and organisations did in answer to a campaign."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from ..kinds import KIND_FOR_CHANNEL, SENDABLE_WAYS
from ..languages import language_normalise
from ..letters import email_body, fax_cover
from ..models import Action, Campaign, Channel, Delivery, Organisation, Signatory, Supporter, Target
from ..rules import FUTURE_ACTION, date_is_future
from ..selectors.campaigns import channels_known
from .delivery import delivery_queue
from .fax import fax_address, fax_enabled
from .sql import insert_unless_conflict
from .supporters import SupporterDetails, supporter_consent_request, supporter_create, supporter_details_clean
from .tallies import action_tally_add


def action_dedupe_key(
    *,
    campaign: Campaign,
    kind: str,
    targets: Sequence[Target],
    email: str = "",
    submission: str = "",
    date: dt.date | None = None,
) -> str | None:
    """What makes two actions the same one, or None when nothing identifies the supporter.

    A supporter known by email acting on the same target(s) the same way counts once. Without
    targets (a rally, a donation) the day is part of it: two pickets on two days are two actions.
    Without an email, a form's one-off submission id still makes a double-click count once.
    """
    target_ids = ",".join(str(pk) for pk in sorted({t.pk for t in targets}))
    if email:
        parts = ["supporter", str(campaign.pk), email.strip().lower(), kind, target_ids]
        if not target_ids:
            parts.append((date or timezone.localdate()).isoformat())
    elif submission:
        parts = ["submission", str(campaign.pk), submission, kind, target_ids]
    else:
        return None
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def action_errors(
    *,
    campaign: Campaign,
    kind: str,
    targets: Sequence[Target] = (),
    channel: Channel | None = None,
    date: dt.date,
    represents: int = 1,
    outcome: str = "",
) -> dict[str, str]:
    """What makes an action impossible, by field: action_record refuses it, and forms ask before they call it."""
    errors: dict[str, str] = {}
    if kind not in Action.Kind.values:
        errors["kind"] = gettext("%(kind)s is not a kind of action: use one of %(choices)s.") % {
            "kind": repr(kind),
            "choices": ", ".join(Action.Kind.values),
        }
    foreign = [t.name for t in targets if t.campaign_id != campaign.pk]
    if foreign:
        errors["targets"] = gettext("Not targets of this campaign: %(names)s.") % {"names": ", ".join(foreign)}
    if channel is not None and channel.target_id not in {t.pk for t in targets}:
        errors["channel"] = gettext("The channel must belong to one of the chosen targets.")
    if channel is not None and channel.masked:
        errors["channel"] = gettext("That address is not known yet, so nothing can have been sent to it.")
    if date_is_future(date):
        errors["date"] = str(FUTURE_ACTION)
    if not isinstance(represents, int) or represents < 1:
        errors["represents"] = gettext("An action speaks for at least one person.")
    if outcome and (outcome not in Action.Outcome.values or kind != Action.Kind.CALL):
        errors["outcome"] = gettext("Only a phone call has an outcome: answered, voicemail, no_answer or refused.")
    return errors


def action_record(
    *,
    campaign: Campaign,
    kind: str,
    targets: Sequence[Target] = (),
    supporter: Supporter | None = None,
    supporter_details: SupporterDetails | None = None,
    organisations: Sequence[Organisation] = (),
    channel: Channel | None = None,
    date: dt.date | None = None,
    text: str = "",
    text_public: bool = False,
    subject: str = "",
    reference: str = "",
    salutation: str = "",
    represents: int = 1,
    copies_sent: bool = False,
    country: str = "",
    language: str = "",
    signatories: Sequence[dict[str, str]] = (),
    via: str = Action.Via.RECORDED,
    dedupe: bool = True,
    submission: str = "",
    outcome: str = "",
    source: str = "",
) -> Action:
    """Record an action, refusing what cannot be true; errors are keyed by field.

    Who acted is either a stored `supporter` (organisers' imports) or the `supporter_details` someone
    submitted: those make a new Supporter row with the action and never touch a stored one, and
    consent to news is asked for by e-mail (double opt-in), repeat or not.
    The same supporter (by email) acting on the same target(s) the same way counts once: the action
    already recorded is returned with `repeat` set, and nothing is written. `submission` is a form's
    one-off id, so resubmitting it counts once too. `dedupe=False` records every call.
    The campaign's totals (ActionTally) are counted in the same transaction. `language` is the one the
    supporter acted in (their new Supporter row gets it too, unless their details name another).
    """
    date = date or timezone.localdate()
    language = language_normalise(language)
    if supporter_details is not None and not supporter_details.language and language:
        supporter_details = replace(supporter_details, language=language)
    errors = action_errors(
        campaign=campaign, kind=kind, targets=targets, channel=channel, date=date, represents=represents, outcome=outcome
    )
    if errors:
        raise ValidationError(errors)
    dedupe_key = None
    email = supporter_details.email if supporter_details else (supporter.email if supporter else "")
    if dedupe:
        dedupe_key = action_dedupe_key(
            campaign=campaign, kind=kind, targets=targets, email=email, submission=submission, date=date
        )
    # Checked above, before the transaction: inside a caller's, it is theirs (no savepoint), and an error
    # from here on (the database's, not the input's) rolls all of it back.
    with transaction.atomic(savepoint=False):
        # No read first and no savepoint: the unique key (campaign, dedupe_key) finds a repeat, in the insert itself.
        created_supporter = supporter_create(details=supporter_details) if supporter_details is not None else None
        action = Action(
            campaign=campaign,
            kind=kind,
            supporter=created_supporter or supporter,
            channel=channel,
            date=date,
            text=text,
            text_public=text_public,
            subject=subject,
            reference=reference,
            salutation=salutation,
            represents=represents,
            copies_sent=copies_sent,
            country=country,
            language=language,
            via=via,
            dedupe_key=dedupe_key,
            outcome=outcome,
            source=source_clean(source),
        )
        if not insert_unless_conflict(action):
            # Counted already (perhaps by a twin request this insert waited for). The row made for this
            # submission's supporter goes again: nothing of theirs is kept for an action not recorded.
            if created_supporter is not None:
                Supporter.objects.filter(pk=created_supporter.pk).delete()
            existing = Action.objects.filter(campaign=campaign, dedupe_key=dedupe_key).select_related("supporter").first()
            if existing is None:  # the twin was deleted in between: too rare to try again here
                raise IntegrityError(f"action {dedupe_key} conflicted, then vanished")
            return _repeat(existing, campaign=campaign, details=supporter_details)
        supporter = action.supporter
        # A new action has no links yet: insert them, without the reads that .set() makes to compare.
        Action.targets.through.objects.bulk_create(
            Action.targets.through(action=action, target_id=pk) for pk in sorted({t.pk for t in targets})
        )
        Action.organisations.through.objects.bulk_create(
            Action.organisations.through(action=action, organisation_id=pk) for pk in sorted({o.pk for o in organisations})
        )
        signed = Signatory.objects.bulk_create(
            Signatory(action=action, position=i, name=s["name"], title=s.get("title", ""), organisation=s.get("organisation", ""))
            for i, s in enumerate(signatories)
        )
        _links_known(action, targets=targets, organisations=organisations, signatories=signed)
        action_tally_add(action=action, targets=targets, channel=channel)
        if supporter is not None and supporter_details is not None and supporter_details.consent_updates:
            supporter_consent_request(supporter=supporter, campaign=campaign)
    return action


def _links_known(
    action: Action, *, targets: Sequence[Target], organisations: Sequence[Organisation], signatories: Sequence[Signatory]
) -> None:
    """Give the new action its links as if prefetched, so whoever answers with it reads nothing back."""
    cache: dict[str, Any] = {}
    for name, model, objs in (
        ("targets", Target, list({t.pk: t for t in targets}.values())),
        ("organisations", Organisation, list({o.pk: o for o in organisations}.values())),
        ("signatories", Signatory, list(signatories)),
    ):
        queryset: Any = model._default_manager.filter(pk__in=[o.pk for o in objs])
        queryset._result_cache, queryset._prefetch_done = objs, True  # what prefetch_related() leaves
        cache[name] = queryset
    action._prefetched_objects_cache = cache  # type: ignore[attr-defined]


def source_clean(value: str) -> str:
    """A referral code as counted: lower-case letters, digits, '-' and '_', at most 32; anything else is dropped."""
    value = (value or "").strip().lower()
    return value if value and len(value) <= 32 and all(c.isascii() and (c.isalnum() or c in "-_") for c in value) else ""


def _repeat(existing: Action, *, campaign: Campaign, details: SupporterDetails | None) -> Action:
    """An action already counted. The stored supporter is left as it is; only its mailbox may confirm consent."""
    existing.repeat = True
    stored = existing.supporter
    if details is not None and details.consent_updates and stored is not None and stored.email.lower() == details.email.lower():
        supporter_consent_request(supporter=stored, campaign=campaign)
    return existing


@dataclass(frozen=True)
class ActionTaken:
    """What a supporter's submission did. `repeat` is for the caller's logic only: told to the supporter only
    when the form's own one-off id made it (a double click), never because of an e-mail address's history."""

    action: Action
    repeat: bool
    delivery: Delivery | None
    repeat_shown: bool = False
    consent_asked: bool = False
    deliveries: tuple[Delivery, ...] = ()  # this submission's messages (one per fax number)


@transaction.atomic
def action_take(
    *,
    campaign: Campaign,
    kind: str,
    targets: Sequence[Target] = (),
    channel: Channel | None = None,
    send: bool = False,
    subject: str = "",
    text: str = "",
    name: str = "",
    email: str = "",
    organisation: str = "",
    country: str = "",
    consent_updates: bool = False,
    text_public: bool = False,
    date: dt.date | None = None,
    submission: str = "",
    way: str = Channel.Kind.EMAIL,
    outcome: str = "",
    source: str = "",
    language: str = "",
    letter_language: str = "",
) -> ActionTaken:
    """A supporter acts from the public pages: who they are, what they did, and the email if the platform sends it.

    With `send`, the message goes from the platform to every chosen target whose address of that `way`
    is known: by email (Reply-To the supporter when they give an email, copies to the campaign's copy-to
    recipients), or by fax (one letter PDF per number, through the fax gateway); the worker sends it
    after commit. A supporter acting from the public pages speaks for one person. An e-mail address that
    already acted this way counts once but is sent again, so that the answer is the same whatever the
    address did before; the form's one-off id (a double click) sends nothing twice.
    `language` is the one the supporter acted in; `letter_language` the targets' (their letter is in it): the
    e-mail's footer, the fax's cover and its letter's date and labels are written in that one.
    """
    to: list[str] = []
    cc: list[str] = []
    faxes: list[tuple[Target, Channel]] = []
    if send:
        if way not in SENDABLE_WAYS or (way == Channel.Kind.FAX and not fax_enabled()):
            raise ValidationError({"way": gettext("This site cannot send that for you: print the letter or send it yourself.")})
        reached = channels_known(targets=targets, kind=way)
        if not text.strip():
            raise ValidationError({"text": gettext("Write the message to send.")})
        if not reached:
            names = ", ".join(t.name for t in targets) or gettext("the chosen target")
            if way == Channel.Kind.EMAIL:
                message = gettext("No email address is known yet for %(names)s: print a letter or choose another way.")
            else:
                message = gettext("No fax number is known yet for %(names)s: print a letter or choose another way.")
            raise ValidationError({"targets": message % {"names": names}})
        targets = list({t.pk: t for t, _ in reached}.values())  # only those the message reaches
        channel, kind = reached[0][1], KIND_FOR_CHANNEL[way]
        faxes = list({c.e164: (t, c) for t, c in reached}.values()) if way == Channel.Kind.FAX else []
        to = list(dict.fromkeys(c.value for _, c in reached))
        cc = (
            list(
                Channel.objects.filter(
                    target__campaign=campaign, target__role=Target.Role.COPY_TO, kind=Channel.Kind.EMAIL, masked=False
                ).values_list("value", flat=True)
            )
            if way == Channel.Kind.EMAIL
            else []
        )
    details = supporter_details_clean(
        name=name, email=email, organisation=organisation, country=country, consent_updates=consent_updates
    )
    action = action_record(
        campaign=campaign,
        kind=kind,
        targets=targets,
        supporter_details=details,
        channel=channel,
        date=date,
        subject=subject.strip(),
        text=text.strip(),
        text_public=text_public,
        represents=1,
        copies_sent=bool(cc),
        country=country,
        language=language,
        via=Action.Via.PLATFORM if send else Action.Via.RECORDED,
        submission=submission,
        outcome=outcome,
        source=source,
    )
    email = details.email if details else ""
    with translation.override(letter_language or None):
        if letter_language:
            campaign.set_current_language(letter_language)
        queued = _queue_messages(
            campaign=campaign,
            action=action,
            faxes=faxes,
            send=send,
            to=to,
            cc=cc,
            channel=channel,
            subject=subject,
            text=text,
            name=name,
            email=email,
            organisation=organisation,
            country=country,
            submission=submission,
            letter_language=letter_language,
        )
    return ActionTaken(
        action=action,
        repeat=action.repeat,
        delivery=queued[0] if queued else None,
        deliveries=tuple(queued),
        repeat_shown=action.repeat and not email,
        consent_asked=bool(details and details.consent_updates),
    )


def _queue_messages(
    *,
    campaign: Campaign,
    action: Action,
    faxes: list[tuple[Target, Channel]],
    send: bool,
    to: list[str],
    cc: list[str],
    channel: Channel | None,
    subject: str,
    text: str,
    name: str,
    email: str,
    organisation: str,
    country: str,
    submission: str,
    letter_language: str,
) -> list[Delivery]:
    queued: list[Delivery] = []
    if faxes:
        letter = {
            "subject": subject.strip(),
            "text": text.strip(),
            "name": name,
            "organisation": organisation,
            "country": country,
            "date": action.date.isoformat(),
            "language": letter_language,
        }
        for target, number in faxes:
            fax = delivery_queue(
                kind=Delivery.Kind.FAX,
                to=[fax_address(e164=number.e164)],
                subject=subject.strip() or campaign.message_subject or campaign.title,
                body=fax_cover(campaign=campaign, target=target, number=number),
                letter={**letter, "targets": [target.pk]},
                action=action,
                campaign=campaign,
                channel=number,
                dedupe_key=_submission_key(campaign=campaign, submission=submission, part=str(number.pk)),
            )
            queued.append(fax)
    elif send:
        reply_to = [email] if email else []
        mail = delivery_queue(
            to=to,
            cc=cc,
            reply_to=reply_to,
            subject=subject.strip() or campaign.message_subject or campaign.title,
            body=email_body(
                campaign=campaign, text=text, name=name, organisation=organisation, country=country, reply_to=bool(reply_to)
            ),
            action=action,
            campaign=campaign,
            channel=channel,
            dedupe_key=_submission_key(campaign=campaign, submission=submission),
        )
        queued.append(mail)
    return queued


def _submission_key(*, campaign: Campaign, submission: str, part: str = "") -> str | None:
    """One message (per fax number) per rendered form, so a double click sends once."""
    if not submission:
        return None
    return "submission:" + hashlib.sha256(f"{campaign.pk}\x1f{submission}\x1f{part}".encode()).hexdigest()
