"""campaigns/kinds.py is the only home of what a channel kind or an action kind means: everything else derives from it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.template import Context, Template

from campaigns import kinds, models
from campaigns.api import osdi
from campaigns.api.serializers import ActionCreateSerializer
from campaigns.channels import channel_normalise
from campaigns.selectors import ways
from campaigns.services import actions

CAMPAIGNS = Path(kinds.__file__).parent
CHANNEL_VALUES = set(kinds.ChannelKind.values)
ACTION_VALUES = set(kinds.ActionKind.values)


def test_every_kind_has_one_spec():
    assert set(kinds.CHANNELS) == set(kinds.ChannelKind)
    assert set(kinds.ACTIONS) == set(kinds.ActionKind)
    assert all(spec.action in kinds.ActionKind for spec in kinds.CHANNELS.values())


def test_models_forms_services_and_the_api_read_the_registry():
    assert models.Channel.Kind is kinds.ChannelKind
    assert models.Action.Kind is kinds.ActionKind
    assert models.Channel._meta.get_field("kind").choices == kinds.ChannelKind.choices
    assert models.Action._meta.get_field("kind").choices == kinds.ActionKind.choices
    assert models.Channel.NUMBER_KINDS is kinds.NUMBER_KINDS
    assert actions.KIND_FOR_CHANNEL is kinds.KIND_FOR_CHANNEL and actions.SENDABLE_WAYS is kinds.SENDABLE_WAYS
    assert osdi.OUTREACH_TYPES is kinds.OUTREACH_TYPES and osdi.KINDS_FROM_TYPE is kinds.KINDS_FROM_TYPE
    assert set(ActionCreateSerializer().fields["kind"].choices) == ACTION_VALUES


def test_the_pages_ways_agree_with_the_registry():
    """selectors/ways.py lists the ways the pages offer (send, print, call ...); what they need is the registry's."""
    for way in ways.WAYS.values():
        if way.channel:
            assert way.action_kind == kinds.KIND_FOR_CHANNEL[way.channel], way
            if way.sends:
                assert way.channel in kinds.SENDABLE_WAYS, way


def test_the_database_constraints_follow_the_number_kinds():
    constraints = {c.name: str(c.condition) for c in models.Channel._meta.constraints}
    for name in ("channel_e164_only_for_numbers", "channel_number_has_e164"):
        assert str(list(kinds.NUMBER_KINDS)) in constraints[name] or all(k in constraints[name] for k in kinds.NUMBER_KINDS)


def test_derived_tables_say_what_the_specs_say():
    assert kinds.NUMBER_KINDS == (kinds.ChannelKind.FAX, kinds.ChannelKind.PHONE)
    assert kinds.KIND_FOR_CHANNEL["phone"] == "call" and kinds.KIND_FOR_CHANNEL["postal"] == "letter"
    assert kinds.SENDABLE_WAYS == ("email", "fax")
    assert kinds.OUTREACH_TYPES == {
        "email": "email",
        "call": "phone",
        "letter": "postal mail",
        "meeting": "in-person",
        "rally": "in-person",
    }
    # Each OSDI type reads back as one kind: a rally and a meeting are both "in-person", which reads as a meeting.
    assert kinds.KINDS_FROM_TYPE == {
        "email": "email",
        "phone": "call",
        "postal mail": "letter",
        "postal": "letter",
        "in-person": "meeting",
    }
    for kind, osdi_type in kinds.OUTREACH_TYPES.items():
        assert kinds.KINDS_FROM_TYPE[osdi_type] in kinds.ActionKind
        if kinds.ACTIONS[kinds.ActionKind(kind)].from_osdi:
            assert kinds.KINDS_FROM_TYPE[osdi_type] == kind


@pytest.mark.parametrize("kind", list(kinds.ChannelKind))
def test_the_channel_template_makes_the_link_the_registry_says(kind):
    value = {"email": "a@example.org", "web": "https://example.org/form"}.get(kind, "+44 20 7946 0001")
    channel = models.Channel(kind=kind, value=value, e164="+442079460001" if kinds.channel_is_number(kind) else "")
    html = Template('{% include "campaigns/_channel.html" %}').render(Context({"channel": channel}))
    href, external = kinds.channel_link(kind=kind, value=value, e164=channel.e164)
    if kinds.CHANNELS[kind].link == "copy":
        assert "data-copy" in html and "+442079460001" in html and "href" not in html
    elif href:
        assert f'href="{href}"' in html
        assert ('rel="nofollow noopener"' in html) is external
    else:
        assert "href" not in html and value in html
    if kinds.CHANNELS[kind].link != "copy":
        assert ("(+442079460001)" in html) is kinds.channel_is_number(kind)
    masked = models.Channel(kind=kind, value="", masked=True)
    assert "address not yet known" in Template('{% include "campaigns/_channel.html" %}').render(Context({"channel": masked}))


@pytest.mark.parametrize("kind", list(kinds.ChannelKind))
def test_numbers_are_normalised_exactly_for_the_number_kinds(kind):
    value = {"email": "a@example.org", "web": "https://example.org/form"}.get(kind, "+44 20 7946 0001")
    _, e164 = channel_normalise(kind=kind, value=value, masked=False)
    assert bool(e164) is kinds.channel_is_number(kind)


def _sources() -> list[Path]:
    return [p for p in CAMPAIGNS.rglob("*.py") if "migrations" not in p.parts and p.name != "kinds.py"]


def _kind_literals(node: ast.AST) -> set[str] | None:
    """The strings of a literal tuple/list/set/dict-keys made only of kind values, or None."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        elts = node.elts
    elif isinstance(node, ast.Dict):
        elts = [k for k in node.keys if k is not None]
    else:
        return None
    values = {e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    # Channel.Kind.FAX, m.Action.Kind.CALL, ChannelKind.PHONE ...
    values |= {
        e.attr.lower()
        for e in elts
        if isinstance(e, ast.Attribute)
        and (
            (isinstance(e.value, ast.Attribute) and e.value.attr == "Kind")
            or (isinstance(e.value, ast.Name) and e.value.id in ("Kind", "ChannelKind", "ActionKind"))
        )
    }
    if len(elts) >= 2 and len(values) == len(elts) and values <= CHANNEL_VALUES | ACTION_VALUES:
        return values
    return None


def test_no_module_retypes_kind_knowledge():
    """Which kinds are numbers, which way makes which action, the OSDI types: written only in kinds.py."""
    assert not _retyped(_sources()), "\n".join(_retyped(_sources()))


def _retyped(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            # `kind in ("phone", "fax")` and the like
            if (
                isinstance(node, ast.Compare)
                and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
                and any(_kind_literals(c) is not None for c in node.comparators)
            ):
                found.append(f"{path.relative_to(CAMPAIGNS)}:{node.lineno} tests membership in a literal list of kinds")
            # a mapping from kinds, e.g. {"email": "email", "call": "phone", ...}
            if isinstance(node, ast.Dict) and _kind_literals(node) is not None and len(node.keys) >= 3:
                found.append(f"{path.relative_to(CAMPAIGNS)}:{node.lineno} maps kinds by hand")
            # NUMBERS = ("fax", "phone")
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None and _kind_literals(node.value):
                found.append(f"{path.relative_to(CAMPAIGNS)}:{node.lineno} lists kinds by hand")
            # TextChoices of kinds declared again
            if isinstance(node, ast.ClassDef) and node.name == "Kind":
                members = {
                    t.value.value if isinstance(t.value, ast.Constant) else None
                    for t in node.body
                    if isinstance(t, ast.Assign) and isinstance(t.value, ast.Constant | ast.Tuple)
                }
                if len(members & {"fax", "phone", "postal"}) >= 2:
                    found.append(f"{path.relative_to(CAMPAIGNS)}:{node.lineno} declares channel kinds")
    return found


def test_the_check_finds_kind_knowledge_written_by_hand(tmp_path):
    (tmp_path / "x.py").write_text(
        'NUMBERS = ("fax", "phone")\nif kind in ("phone", "fax"):\n    pass\n'
        'TYPES = {"email": "email", "call": "phone", "letter": "postal mail"}\n'
        "WAYS = {Channel.Kind.EMAIL: Action.Kind.EMAIL, Channel.Kind.FAX: Action.Kind.FAX}\n"
        'class Kind:\n    FAX = "fax"\n    PHONE = "phone"\n'
    )
    global CAMPAIGNS
    saved, CAMPAIGNS = CAMPAIGNS, tmp_path
    try:
        assert {int(f.split(":")[1].split()[0]) for f in _retyped([tmp_path / "x.py"])} == {1, 2, 4, 5, 6}
    finally:
        CAMPAIGNS = saved


def test_no_template_spells_out_what_a_kind_links_to():
    pattern = re.compile(r'channel\.kind\s*==\s*"(?:phone|fax|email|web)"')
    found = [str(p.relative_to(CAMPAIGNS)) for p in (CAMPAIGNS / "templates").rglob("*.html") if pattern.search(p.read_text())]
    assert not found
