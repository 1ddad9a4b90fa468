"""Policies: loading with path-named errors, each rule kind, exemptions, regex via RE2 only."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmso_core import FixedClock, MissingExtraError, ModelError
from mmso_core.errors import InvalidValueError
from mmso_core.moderation import (
    RULE_KINDS,
    Action,
    CapsRule,
    ChatMessage,
    FloodRule,
    KeywordRule,
    LinkRule,
    MaxLengthRule,
    MentionRule,
    Mode,
    Moderator,
    Policy,
    PresetRule,
    RegexRule,
    Rule,
    SanctionKind,
    SlowModeRule,
    Step,
)

T0 = dt.datetime(2020, 4, 29, 14, 20, tzinfo=dt.UTC)


def message(text: str, *, role: str = "visitor", chat: str = "c1", id: str = "m1") -> ChatMessage:
    return ChatMessage(id=id, chat=chat, author="a1", role=role, text=text, sent_at=T0)


def decide(policy: Policy, text: str, **kwargs: str) -> tuple[Action, list[str]]:
    decision = Moderator(policy, clock=FixedClock(at=T0)).submit(message(text, **kwargs))
    return decision.action, [r.code for r in decision.reasons]


def post(*rules: object) -> Policy:
    return Policy(rules=rules, mode="post")  # type: ignore[arg-type] # rules checked by Policy


# -- loading -----------------------------------------------------------------------


def test_default_policy_round_trips_through_dict_json_and_toml() -> None:
    policy = Policy.default()
    assert Policy.from_dict(policy.to_dict()) == policy
    assert Policy.from_json(json.dumps(policy.to_dict())) == policy
    assert policy.mode is Mode.PRE
    assert {type(r).kind for r in policy.rules} >= {
        "preset", "flood", "duplicate", "slow-mode", "max-length", "caps", "mentions", "links"
    }  # fmt: skip


def test_toml_policy() -> None:
    policy = Policy.from_toml(
        """
        mode = "post"
        hold_expiry = "PT5M"
        ladder = ["warn", "timeout:30s", "ban"]
        [[rules]]
        id = "spam"
        kind = "keyword"
        terms = ["casino*"]
        exempt_roles = ["moderator"]
        [[rules]]
        id = "slow"
        kind = "slow-mode"
        interval = 10
        """
    )
    assert policy.hold_expiry == dt.timedelta(minutes=5)
    assert [s.label() for s in policy.ladder] == ["warn", "timeout:30s", "ban"]
    assert isinstance(policy.rules[1], SlowModeRule)
    assert policy.rules[1].interval == dt.timedelta(seconds=10)


def test_every_problem_is_reported_with_its_path() -> None:
    with pytest.raises(ModelError) as caught:
        Policy.from_dict(
            {
                "mode": "sometimes",
                "colour": "red",
                "rules": [
                    {"id": "f", "kind": "flood", "max_messages": 0, "window": "soon"},
                    {"id": "x", "kind": "telepathy"},
                    {"kind": "caps"},
                    {"id": "f", "kind": "caps", "max_ratio": 2},
                    {"id": "ok", "kind": "caps", "wat": 1},
                    "not a rule",
                ],
            }
        )
    problems = caught.value.problems
    expected = [
        "colour: unknown key",
        "rules[0].max_messages: must be an integer >= 1",
        "rules[0].window: must be a duration > 0",
        "rules[1].kind: must be one of",
        "rules[2].id: missing",
        "rules[3].max_ratio: must be in (0, 1]",
        "rules[4].wat: unknown key",
        "rules[5]: must be a mapping",
        "mode: must be one of",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


def test_duplicate_rule_ids_are_refused() -> None:
    with pytest.raises(ModelError, match=r"rules\[1\]\.id: 'a' is used by an earlier rule"):
        Policy.from_dict({"rules": [{"id": "a", "kind": "caps"}, {"id": "a", "kind": "flood"}]})
    with pytest.raises(InvalidValueError, match="unique"):
        Policy(rules=(CapsRule(id="a"), FloodRule(id="a")))


@pytest.mark.parametrize(
    ("loader", "text", "message"),
    [
        (Policy.from_json, "{", "not JSON"),
        (Policy.from_toml, "mode = ", "not TOML"),
        (Policy.from_json, "[1]", "must be a mapping"),
        (Policy.from_json, '{"rules": {"id": "x"}}', "rules: must be a list"),
        (Policy.from_json, '{"ladder": ["warn", "timeout:5"]}', "ladder"),
        (Policy.from_json, '{"ladder": ["timeout:5s"]}', "between"),
        (Policy.from_json, '{"premoderated": ["alien"]}', "premoderated"),
    ],
)
def test_bad_documents(loader: object, text: str, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        loader(text)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("warn", Step(kind=SanctionKind.WARN)),
        ("ban", Step(kind="ban")),
        ("timeout:10m", Step(kind="timeout", duration=dt.timedelta(minutes=10))),
        (
            {"kind": "timeout", "duration": 3600},
            Step(kind="timeout", duration=dt.timedelta(hours=1)),
        ),
    ],
)
def test_steps(value: object, expected: Step) -> None:
    assert Step.parse(value) == expected  # type: ignore[arg-type]
    assert Step.parse(expected.label()) == expected


@pytest.mark.parametrize(
    "value",
    [
        "timeout",
        "timeout:2d",
        "timeout:5s",
        "timeout:25h",
        "warn:1m",
        "flog",
        42,
        {"kind": "ban", "x": 1},
    ],
)
def test_bad_steps(value: object) -> None:
    with pytest.raises(InvalidValueError):
        Step.parse(value)  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(
    st.builds(
        FloodRule,
        id=st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
        max_messages=st.integers(1, 100),
        window=st.integers(1, 3600),
        exempt_roles=st.sets(st.sampled_from(["speaker", "moderator", "technician"])),
        exempt_chats=st.sets(st.sampled_from(["c1", "c2"])),
    ),
    st.sampled_from(["pre", "post"]),
)
def test_policies_round_trip(rule: FloodRule, mode: str) -> None:
    policy = Policy(rules=(rule, CapsRule(id="zz-caps", max_ratio=0.5)), mode=mode)
    assert Policy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy


def test_rule_kinds_are_all_loadable() -> None:
    assert set(RULE_KINDS) == {
        "keyword", "preset", "regex", "slow-mode", "flood", "duplicate", "max-length", "caps",
        "mentions", "links",
    }  # fmt: skip


# -- rules -------------------------------------------------------------------------


def test_keyword_rule_uses_discord_wildcards_and_allow_list() -> None:
    policy = post(KeywordRule(id="spam", terms=["casino*", "*coin"], allow=["casinoroyale"]))
    assert decide(policy, "Лучшее casinos и bitcoin тут") == (
        Action.BLOCK,
        ["blocked-term", "blocked-term"],
    )
    assert decide(policy, "casinoroyale is a film") == (Action.PUBLISH, [])


def test_preset_rule_masks_and_reports_spans_of_the_original() -> None:
    policy = post(PresetRule(id="mild", presets=["ru-obscene"], action="mask-and-publish"))
    decision = Moderator(policy, clock=FixedClock(at=T0)).submit(message("ну ты и с у к а!"))
    assert decision.action is Action.MASK
    assert decision.text == "ну ты и * * * *!"
    (reason,) = decision.reasons
    assert reason.span == (8, 15)
    assert reason.matched == "сука"
    assert "сука" in reason.message("ru")


def test_preset_min_severity() -> None:
    policy = post(PresetRule(id="worst", presets=["ru-obscene"], min_severity="ERROR"))
    assert decide(policy, "сука") == (Action.PUBLISH, [])
    assert decide(policy, "пиздец") == (Action.BLOCK, ["obscene"])
    with pytest.raises(InvalidValueError):
        PresetRule(id="p", presets=["de-schimpf"])


def test_regex_rule_runs_on_re2_and_survives_pathological_patterns() -> None:
    policy = post(RegexRule(id="phone", patterns=[r"\+7\d{10}", r"(a+)+$"], action="hold"))
    assert decide(policy, "звоните +79991234567") == (Action.HOLD, ["pattern"])
    action, _ = decide(policy, "a" * 4_900 + "!")  # catastrophic on backtracking engines
    assert action is Action.PUBLISH
    with pytest.raises(InvalidValueError, match="RE2"):
        RegexRule(id="bad", patterns=["(unclosed"])
    with pytest.raises(InvalidValueError, match="RE2"):
        RegexRule(id="backref", patterns=[r"(a)\1"])  # RE2 refuses back-references


def test_regex_rule_on_lone_surrogates() -> None:
    # Regression: RE2 reads UTF-8, and a lone surrogate made it raise UnicodeEncodeError.
    policy = post(RegexRule(id="r", patterns=["кто-то"]))
    moderator = Moderator(policy, clock=FixedClock(at=T0))
    decision = moderator.submit(message("одинокий \ud800 кто-то"))
    assert decision.action is Action.BLOCK
    assert decision.reasons[0].span == (11, 17)
    assert decision.reasons[0].matched == "кто-то"


def test_regex_rule_without_re2_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "re2", None)  # makes `import re2` fail
    with pytest.raises(MissingExtraError, match=r"mmso_core\[re2\]"):
        RegexRule(id="r", patterns=["x"])
    with pytest.raises(ModelError, match=r"rules\[0\]: .*mmso_core\[re2\]"):
        Policy.from_dict({"rules": [{"id": "r", "kind": "regex", "patterns": ["x"]}]})


def test_importing_mmso_core_does_not_import_re2() -> None:
    code = (
        "import sys, mmso_core, mmso_core.moderation, mmso_core.samples; "
        "mmso_core.moderation.Policy.default(); print('re2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_max_length_caps_and_mentions() -> None:
    policy = post(
        MaxLengthRule(id="len", max_chars=20),
        CapsRule(id="caps", max_ratio=0.7, min_letters=10),
        MentionRule(id="at", max_mentions=2),
    )
    assert decide(policy, "x" * 21) == (Action.BLOCK, ["too-long"])
    assert decide(policy, "ПОЧЕМУ НЕТ ЗВУКА") == (Action.BLOCK, ["caps"])
    assert decide(policy, "МГУ и ОК") == (Action.PUBLISH, [])  # too few letters to judge
    assert decide(policy, "@a @b @c") == (Action.BLOCK, ["mentions"])
    assert decide(policy, "@a, e@mail.ru") == (Action.PUBLISH, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("смотрите https://mmco-expo.ru/stream/ch01", (Action.PUBLISH, [])),
        ("смотрите live.mmco-expo.ru", (Action.PUBLISH, [])),
        ("дёшево на http://spam.example.com/x", (Action.BLOCK, ["link-not-allowed"])),
        ("заходи на casino.xyz", (Action.BLOCK, ["link-not-allowed"])),
        ("пишите на ivanov@school.ru", (Action.PUBLISH, [])),
        ("т.е. итоги, см. стр. 5", (Action.PUBLISH, [])),
    ],
)
def test_links(text: str, expected: tuple[Action, list[str]]) -> None:
    rule = LinkRule(id="links", allowed_domains=["mmco-expo.ru"], hold_newcomer_links=False)
    assert decide(post(rule), text) == expected


def test_a_newcomers_first_link_is_held() -> None:
    moderator = Moderator(
        post(LinkRule(id="links", allowed_domains=["mmco-expo.ru"])), clock=FixedClock(at=T0)
    )
    first = moderator.submit(message("см. https://mmco-expo.ru/a", id="m1"))
    assert (first.action, first.reasons[0].code) == (Action.HOLD, "newcomer-link")
    moderator.approve("m1", by="e1", role="chat-expert")
    assert moderator.submit(message("и https://mmco-expo.ru/b", id="m2")).action is Action.PUBLISH


def test_exemptions_by_role_and_chat() -> None:
    rule = CapsRule(id="caps", exempt_roles=["speaker"], exempt_chats=["stand-7"])
    text = "ВСЕМ ПРИВЕТ ИЗ САМАРЫ"
    assert decide(post(rule), text)[0] is Action.BLOCK
    assert decide(post(rule), text, role="speaker")[0] is Action.PUBLISH
    assert decide(post(rule), text, chat="stand-7")[0] is Action.PUBLISH


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (lambda: SlowModeRule(id="s", interval=1), "between"),
        (lambda: SlowModeRule(id="s", interval=121), "between"),
        (lambda: FloodRule(id="bad id!"), "letters"),
        (lambda: FloodRule(id="f", action="publish"), "mask, hold or block"),
        (lambda: FloodRule(id="f", exempt_roles="speaker"), "sequence of str, not one"),
        (lambda: FloodRule(id="f", exempt_chats=[""]), "non-empty strings"),
        (lambda: Rule(id="r"), "abstract"),  # type: ignore[abstract]
        (lambda: CapsRule(id="c", max_ratio=float("nan")), r"\(0, 1\]"),
        (lambda: KeywordRule(id="k", terms=["two words"]), "one word"),
        (lambda: LinkRule(id="l", hold_newcomer_links="yes"), "bool"),  # type: ignore[arg-type]
        (lambda: Policy(rules="caps"), "list of rules"),  # type: ignore[arg-type]
        (lambda: Policy(rules=["caps"]), "must be a Rule"),  # type: ignore[list-item]
    ],
)
def test_bad_rules(build: object, problem: str) -> None:
    with pytest.raises((InvalidValueError, TypeError), match=problem):
        build()  # type: ignore[operator]


def test_the_policy_reference_lists_every_rule_kind_and_field() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs/reference/moderation-policy.md").read_text(
        encoding="utf-8"
    )
    for kind, cls in RULE_KINDS.items():
        assert f"| `{kind}` | [`{cls.__name__}`]" in page, kind
        for field in attrs.fields(cls):
            if field.init:
                assert f"`{field.name.lstrip('_')}`" in page, (kind, field.name)
    for field in attrs.fields(Policy):
        assert f"| `{field.name}` |" in page, field.name


@pytest.mark.parametrize("text", ["www.site", "WWW.Example.de", "http://x.de", "a.RU", "b.рф"])
def test_every_link_form_reaches_the_link_pattern(text: str) -> None:
    # The quick test in front of the link pattern must never hide a link from it.
    rule = LinkRule(id="links", hold_newcomer_links=False)
    assert decide(post(rule), f"see {text}") == (Action.BLOCK, ["link-not-allowed"])


def test_a_backslash_ends_the_host_of_a_link() -> None:
    # Regression: "evil.com\\.mmco-expo.ru" passed for a subdomain of the allowed site.
    rule = LinkRule(id="links", allowed_domains=["mmco-expo.ru"], hold_newcomer_links=False)
    assert decide(post(rule), "https://evil.com\\.mmco-expo.ru/x") == (
        Action.BLOCK,
        ["link-not-allowed"],
    )
