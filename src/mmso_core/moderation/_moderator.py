"""The moderator: applies a policy to every message, keeps the held queue and sanctions.

`Moderator.submit` gives each message a `Decision` (publish, mask-and-publish, hold or
block, with the reasons in English and Russian and any sanction applied). Moderators and
chat experts then approve, deny or remove messages and sanction authors; an exhibitor
representative may do so in their own stand's chat only. Everyone else gets
`PermissionDenied`. State lives behind the `ModerationStore` protocol
(`InMemoryModerationStore` by default, thread-safe), and every submission and every
moderator action leaves exactly one entry in an append-only audit log.

>>> from mmso_core import ManualClock
>>> from mmso_core.moderation import ChatMessage, Moderator, Policy
>>> clock = ManualClock(at="2020-04-29T14:25Z")
>>> moderator = Moderator(Policy.default(), clock=clock)
>>> def say(id, text, author="v1", role="visitor"):
...     return ChatMessage(
...         id=id, chat="samara", author=author, role=role, text=text, sent_at=clock.now()
...     )
>>> moderator.submit(say("m1", "Когда будет запись?")).action.value
'hold'
>>> moderator.approve("m1", by="e1", role="chat-expert").state.value
'published'
>>> decision = moderator.submit(say("m2", "Ну это п0хуй", author="s1", role="speaker"))
>>> decision.action.value, decision.reasons[0].code, decision.sanction.kind.value
('block', 'obscene', 'warn')
>>> print(decision.reasons[0].message("ru"))
слово «похуй» здесь недопустимо
>>> [entry.action for entry in moderator.audit()]
['submit', 'approve', 'submit']
"""

import datetime as _dt
import enum
import threading
from collections.abc import Iterable, Mapping
from typing import Final, Protocol, final, runtime_checkable

import attrs

from mmso_core._report import Locale, check_locale
from mmso_core._time import Clock, Instant, to_instant
from mmso_core.errors import InvalidValueError, PermissionDenied, UnknownIdError
from mmso_core.moderation._lexicon import Scan
from mmso_core.moderation._message import ChatMessage, Role
from mmso_core.moderation._policy import (
    Action,
    Context,
    Hit,
    Mode,
    Policy,
    Post,
    Rule,
    SanctionKind,
    Step,
    _enum_value,
    duration,
)

__all__ = [
    "MAX_MESSAGE_CHARS",
    "AuditEntry",
    "Decision",
    "InMemoryModerationStore",
    "MessageState",
    "ModerationStore",
    "Moderator",
    "Reason",
    "Record",
    "Sanction",
]

MAX_MESSAGE_CHARS: Final = 5_000
"""Longer messages are blocked unread, whatever the policy: no chat needs more, and a
decision must come fast whatever arrives (a 1 MB message gets one in microseconds)."""
_SYSTEM: Final = "system"


class MessageState(enum.StrEnum):
    """Where a message is. Every submitted message is in exactly one of these."""

    PUBLISHED = "published"
    HELD = "held"
    BLOCKED = "blocked"
    DENIED = "denied"
    EXPIRED = "expired"
    REMOVED = "removed"


_PLANS_LIMIT: Final = 4096  # (role, chat) pairs remembered
_STRENGTH: Final = {SanctionKind.WARN: 0, SanctionKind.TIMEOUT: 1, SanctionKind.BAN: 2}
_OUTCOME: Final = {action: action.value for action in Action}
_RANK: Final = {action: action.rank for action in Action}.__getitem__
_STATE_OF: Final = {
    Action.PUBLISH: MessageState.PUBLISHED,
    Action.MASK: MessageState.PUBLISHED,
    Action.HOLD: MessageState.HELD,
    Action.BLOCK: MessageState.BLOCKED,
}


@final
@attrs.frozen(kw_only=True)
class Reason:
    """Why a message got its decision.

    Attributes:
        rule: Id of the rule (``"moderator"`` for pre-moderation and sanctions).
        code: A stable code: ``obscene``, ``flood``, ``pre-moderation``, ``timed-out``...
        span: Where in the text, if the reason has a place.
        matched: The text found there, if any.
        en: An explanation for the author, in English.
        ru: The same in Russian.
    """

    rule: str
    code: str
    span: tuple[int, int] | None
    matched: str | None
    en: str
    ru: str

    def message(self, locale: Locale = "en") -> str:
        """The explanation in ``"en"`` or ``"ru"``."""
        return self.ru if check_locale(locale) == "ru" else self.en


_TOO_MANY_MASKS: Final = Hit(
    rule="moderator",
    code="too-many-masks",
    action=Action.HOLD,
    span=None,
    matched=None,
    en="the message has too many masked words to check; a moderator will read it",
    ru="в сообщении слишком много скрытых слов; его прочитает модератор",
    strike=False,
)
_PRE_MODERATION: Final = Reason(
    rule="moderator",
    code="pre-moderation",
    span=None,
    matched=None,
    en="your message will appear after a moderator checks it",
    ru="сообщение появится после проверки модератором",
)


@final
@attrs.frozen(kw_only=True)
class Sanction:
    """A warning, timeout or ban of a person in a chat.

    Attributes:
        kind: warn, timeout or ban.
        person: Who.
        chat: Where.
        at: When it was given.
        until: When it ends (``None``: a ban, or a warning that has no effect).
        by: Who gave it (``"system"`` for the ladder).
        rule: The rule whose strike led to it, if any.
    """

    kind: SanctionKind
    person: str
    chat: str
    at: Instant
    until: Instant | None
    by: str
    rule: str | None = None

    def active(self, now: _dt.datetime) -> bool:
        """Whether it stops the person writing at ``now``."""
        if self.kind is SanctionKind.WARN:
            return False
        return self.until is None or now < self.until


@final
@attrs.frozen(kw_only=True)
class Decision:
    """What happened to a message.

    Attributes:
        message: Id of the message.
        action: publish, mask-and-publish, hold or block.
        state: The state the message is now in.
        reasons: Why (empty for a plain publish).
        sanction: A sanction this message brought on its author, if any.
        text: The text as shown: masked for ``mask-and-publish``; ``None`` when
            the message is not shown.
        at: When the decision was made.
    """

    message: str
    action: Action
    state: MessageState
    reasons: tuple[Reason, ...]
    sanction: Sanction | None
    text: str | None
    at: Instant


@final
@attrs.frozen(kw_only=True)
class Record:
    """A stored message with its current state.

    Attributes:
        message: The message as submitted.
        state: Where it is now.
        decision: The decision ``submit`` gave it.
        updated_at: When its state last changed.
    """

    message: ChatMessage
    state: MessageState
    decision: Decision
    updated_at: Instant


@final
@attrs.frozen(kw_only=True)
class AuditEntry:
    """One line of the audit log: a submission or a moderator's action (allowed or not).

    Attributes:
        seq: Position in the log, from 0.
        at: When.
        actor: Who (the author for a submission; ``"system"`` for expiry).
        role: Their role.
        action: ``submit``, ``approve``, ``deny``, ``remove``, ``expire``, ``warn``,
            ``timeout``, ``ban`` or ``lift``.
        chat: The chat.
        message: The message concerned, if any.
        target: The person concerned, if any.
        outcome: ``ok``, the resulting state or decision, ``permission-denied``,
            or ``refused`` (the action did not fit the message's state).
        rules: Ids of the rules involved.
        codes: Their codes.
        matched: The texts they matched.
        detail: Free text (the refusal's reason, a moderator's note).
    """

    seq: int
    at: Instant
    actor: str
    role: Role | None
    action: str
    chat: str
    message: str | None
    target: str | None
    outcome: str
    rules: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()
    detail: str = ""


@runtime_checkable
class ModerationStore(Protocol):
    """Where a `Moderator` keeps its state: messages, recent posts, strikes, sanctions, audit.

    A store serves one `Moderator`: the moderator's lock makes each submission or action
    (read, decide, write, log) one step, and it numbers the audit entries. Front ends
    that moderate one chat from several processes need a store that serialises those
    steps itself (a database transaction per call).
    """

    def record(self, message_id: str) -> Record | None:
        """The stored message with this id, if any."""

    def put(self, record: Record) -> None:
        """Store a message's record (new, or its new state)."""

    def held(self) -> tuple[Record, ...]:
        """Messages in the held state, oldest first."""

    def posts(self, chat: str, author: str) -> tuple[Post, ...]:
        """The author's recent posts in the chat, oldest first."""

    def add_post(self, chat: str, author: str, post: Post, *, keep: _dt.timedelta) -> None:
        """Remember a post; posts older than ``keep`` before it may be forgotten."""

    def known(self, chat: str, author: str) -> bool:
        """Whether the author ever had a message published in the chat."""

    def mark_known(self, chat: str, author: str) -> None:
        """Remember that the author had a message published in the chat."""

    def strikes(self, chat: str, person: str) -> tuple[Instant, ...]:
        """When the person was struck in the chat."""

    def add_strike(self, chat: str, person: str, at: Instant) -> None:
        """Record a strike."""

    def sanction(self, chat: str, person: str) -> Sanction | None:
        """The person's latest sanction in the chat."""

    def set_sanction(self, chat: str, person: str, sanction: Sanction | None) -> None:
        """Replace the person's sanction (``None`` lifts it)."""

    def append(self, entry: AuditEntry) -> None:
        """Add an entry at the end of the audit log (entries are never changed)."""

    def audit(self) -> tuple[AuditEntry, ...]:
        """The whole audit log, in order."""


@final
class InMemoryModerationStore:
    """The default store: dictionaries guarded by one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, Record] = {}
        self._held: dict[str, None] = {}  # ordered set
        self._posts: dict[tuple[str, str], list[Post]] = {}
        self._known: set[tuple[str, str]] = set()
        self._strikes: dict[tuple[str, str], list[Instant]] = {}
        self._sanctions: dict[tuple[str, str], Sanction] = {}
        self._audit: list[AuditEntry] = []

    def record(self, message_id: str) -> Record | None:
        """The stored message with this id, if any."""
        with self._lock:
            return self._records.get(message_id)

    def put(self, record: Record) -> None:
        """Store a message's record."""
        with self._lock:
            key = record.message.id
            self._records[key] = record
            if record.state is MessageState.HELD:
                self._held[key] = None
            else:
                self._held.pop(key, None)

    def held(self) -> tuple[Record, ...]:
        """Messages in the held state, oldest first."""
        with self._lock:
            return tuple(self._records[key] for key in self._held)

    def posts(self, chat: str, author: str) -> tuple[Post, ...]:
        """The author's recent posts in the chat."""
        with self._lock:
            return tuple(self._posts.get((chat, author), ()))

    def add_post(self, chat: str, author: str, post: Post, *, keep: _dt.timedelta) -> None:
        """Remember a post and forget those older than ``keep``."""
        with self._lock:
            posts = self._posts.setdefault((chat, author), [])
            posts.append(post)
            cutoff = post.at - keep.total_seconds()
            if posts[0].at <= cutoff:
                posts[:] = [p for p in posts if p.at > cutoff]

    def known(self, chat: str, author: str) -> bool:
        """Whether the author ever had a message published in the chat."""
        with self._lock:
            return (chat, author) in self._known

    def mark_known(self, chat: str, author: str) -> None:
        """Remember that the author had a message published in the chat."""
        with self._lock:
            self._known.add((chat, author))

    def strikes(self, chat: str, person: str) -> tuple[Instant, ...]:
        """When the person was struck in the chat."""
        with self._lock:
            return tuple(self._strikes.get((chat, person), ()))

    def add_strike(self, chat: str, person: str, at: Instant) -> None:
        """Record a strike."""
        with self._lock:
            self._strikes.setdefault((chat, person), []).append(at)

    def sanction(self, chat: str, person: str) -> Sanction | None:
        """The person's latest sanction in the chat."""
        with self._lock:
            return self._sanctions.get((chat, person))

    def set_sanction(self, chat: str, person: str, sanction: Sanction | None) -> None:
        """Replace (or with ``None`` lift) the person's sanction."""
        with self._lock:
            if sanction is None:
                self._sanctions.pop((chat, person), None)
            else:
                self._sanctions[(chat, person)] = sanction

    def append(self, entry: AuditEntry) -> None:
        """Add an audit entry at the end."""
        with self._lock:
            self._audit.append(entry)

    def audit(self) -> tuple[AuditEntry, ...]:
        """The whole audit log."""
        with self._lock:
            return tuple(self._audit)


_MODERATORS: Final = frozenset({Role.MODERATOR, Role.CHAT_EXPERT})


@attrs.frozen
class _Act:
    """Who does what, where and when: the fields every audit entry shares."""

    at: Instant
    actor: str
    role: Role | None
    action: str
    chat: str
    message: str | None = None
    target: str | None = None


def _role(value: Role | str, field: str) -> Role:
    role: Role = _enum_value(Role, value, field)
    return role


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for index in range(start, end):
            if not chars[index].isspace():
                chars[index] = "*"
    return "".join(chars)


@final
class Moderator:
    """Applies a `Policy` to a salon's chats and keeps their moderation state.

    Args:
        policy: The rules.
        clock: When things happen (a message's ``sent_at`` is the author's claim;
            rates, expiry and sanctions go by this clock).
        store: Where state is kept (an `InMemoryModerationStore` by default).
        representatives: For stand chats: chat id -> ids of the exhibitor's
            representatives, who may moderate that chat (and no other).
    """

    def __init__(
        self,
        policy: Policy,
        *,
        clock: Clock,
        store: ModerationStore | None = None,
        representatives: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        if not isinstance(policy, Policy):
            raise InvalidValueError(field="policy", value=policy, reason="must be a Policy")
        if not callable(getattr(clock, "now", None)):
            raise InvalidValueError(field="clock", value=clock, reason="must have a now() method")
        self.policy = policy
        self.clock = clock
        self.store: ModerationStore = store if store is not None else InMemoryModerationStore()
        self.representatives = {
            chat: frozenset(people) for chat, people in (representatives or {}).items()
        }
        self._lock = threading.RLock()
        self._plans: dict[tuple[Role, str], tuple[tuple[Rule, ...], bool]] = {}
        self._seq = len(self.store.audit())
        self._keep = max(
            [_dt.timedelta(minutes=1)]
            + [
                value
                for rule in policy.rules
                for name in ("window", "interval")
                if isinstance(value := getattr(rule, name, None), _dt.timedelta)
            ]
        )

    # -- submissions -----------------------------------------------------------------

    def submit(self, message: ChatMessage) -> Decision:
        """Decide what happens to a new message, store it and log it.

        Raises:
            InvalidValueError: ``message`` is not a `ChatMessage`, or its id was
                submitted before (the first one stays as it was; the attempt is logged).
        """
        if not isinstance(message, ChatMessage):
            raise InvalidValueError(field="message", value=message, reason="must be a ChatMessage")
        with self._lock:
            now = to_instant(self.clock.now(), field="clock.now()")
            if self.store.record(message.id) is not None:
                act = _Act(now, message.author, message.role, "submit", message.chat, message.id)
                self._log(act, "refused", detail="a message with this id was submitted before")
                raise InvalidValueError(
                    field="message.id", value=message.id, reason="was submitted before"
                )
            seconds = now.timestamp()
            hits, key = self._evaluate(message, now, seconds)
            decision = self._decide(message, hits, now)
            state = decision.state
            self.store.put(Record(message=message, state=state, decision=decision, updated_at=now))
            post = Post(at=seconds, key=key, accepted=state is not MessageState.BLOCKED)
            self.store.add_post(message.chat, message.author, post, keep=self._keep)
            if state is MessageState.PUBLISHED:
                self.store.mark_known(message.chat, message.author)
            reasons = decision.reasons
            self._log(
                _Act(now, message.author, message.role, "submit", message.chat, message.id),
                _OUTCOME[decision.action],
                rules=tuple([r.rule for r in reasons]),
                codes=tuple([r.code for r in reasons]),
                matched=tuple([r.matched for r in reasons if r.matched]),
            )  # fmt: skip
            return decision

    def _evaluate(
        self, message: ChatMessage, now: Instant, seconds: float
    ) -> tuple[list[Hit], str]:
        """The hits of the rules (or of the hard limit, or of a sanction) and the text key."""
        sanction = self.store.sanction(message.chat, message.author)
        if sanction is not None and sanction.active(now):
            code = "banned" if sanction.kind is SanctionKind.BAN else "timed-out"
            until = "" if sanction.until is None else f" until {sanction.until.isoformat()}"
            until_ru = "" if sanction.until is None else f" до {sanction.until.isoformat()}"
            hit = Hit(
                rule="moderator", code=code, action=Action.BLOCK, span=None, matched=None,
                en=f"you may not write in this chat{until}",
                ru=f"вы не можете писать в этом чате{until_ru}", strike=False,
            )  # fmt: skip
            return [hit], ""
        if len(message.text) > MAX_MESSAGE_CHARS:
            hit = Hit(
                rule="moderator", code="too-long", action=Action.BLOCK, span=None, matched=None,
                en=f"the message is longer than {MAX_MESSAGE_CHARS} characters",
                ru=f"сообщение длиннее {MAX_MESSAGE_CHARS} символов", strike=False,
            )  # fmt: skip
            return [hit], ""
        scan = Scan.of(message.text)
        context = Context(
            message=message,
            scan=scan,
            now=seconds,
            history=self.store.posts(message.chat, message.author),
            newcomer=not self.store.known(message.chat, message.author),
        )
        hits: list[Hit] = []
        for rule in self._plan(message.role, message.chat)[0]:
            hits.extend(rule.check(context))
        if scan.unguessed:  # too many masked words to guess them all: a person reads it
            hits.append(_TOO_MANY_MASKS)
        return hits, scan.text

    def _plan(self, role: Role, chat: str) -> tuple[tuple[Rule, ...], bool]:
        """The rules that apply to a role in a chat, and whether the role is held first.

        Worked out once per (role, chat) and remembered: the policy never changes.
        """
        key = (role, chat)
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= _PLANS_LIMIT:
                self._plans.clear()
            rules = tuple(rule for rule in self.policy.rules if rule.applies_to(role, chat))
            held = self.policy.mode is Mode.PRE and role in self.policy.premoderated
            plan = self._plans[key] = (rules, held)
        return plan

    def _decide(self, message: ChatMessage, hits: list[Hit], now: Instant) -> Decision:
        if hits:
            action = max((hit.action for hit in hits), key=_RANK)
            reasons = [
                Reason(rule=h.rule, code=h.code, span=h.span, matched=h.matched, en=h.en, ru=h.ru)
                for h in hits
                if h.action is action or action is not Action.BLOCK
            ]
        else:
            action, reasons = Action.PUBLISH, []
        if action.rank < Action.HOLD.rank and self._plan(message.role, message.chat)[1]:
            action = Action.HOLD
            reasons.append(_PRE_MODERATION)
        sanction = None
        struck = [h for h in hits if h.strike and h.action is Action.BLOCK]
        if action is Action.BLOCK and struck:
            sanction = self._strike(message.chat, message.author, struck[0].rule, now)
        if action is Action.BLOCK:
            text = None
        elif any(h.action is Action.MASK and h.span for h in hits):
            text = _mask(message.text, (h.span for h in hits if h.action is Action.MASK and h.span))
        else:
            text = message.text
        return Decision(
            message=message.id,
            action=action,
            state=_STATE_OF[action],
            reasons=tuple(reasons),
            sanction=sanction,
            text=text,
            at=now,
        )

    def _strike(self, chat: str, person: str, rule: str, now: Instant) -> Sanction | None:
        ladder = self.policy.ladder
        self.store.add_strike(chat, person, now)
        if not ladder:
            return None
        since = now - self.policy.strike_memory
        count = sum(1 for at in self.store.strikes(chat, person) if at > since)
        step = ladder[min(count, len(ladder)) - 1]
        sanction = self._sanction(step, person, chat, now, by=_SYSTEM, rule=rule)
        self.store.set_sanction(chat, person, sanction)
        return sanction

    @staticmethod
    def _sanction(
        step: Step, person: str, chat: str, now: Instant, *, by: str, rule: str | None
    ) -> Sanction:
        until = now + step.duration if step.duration is not None else None
        return Sanction(
            kind=step.kind, person=person, chat=chat, at=now, until=until, by=by, rule=rule
        )

    # -- moderators' actions ---------------------------------------------------------

    def approve(self, message_id: str, *, by: str, role: Role | str, note: str = "") -> Record:
        """Publish a held message.

        Raises:
            UnknownIdError: No such message.
            PermissionDenied: ``by`` may not moderate the message's chat.
            InvalidValueError: The message is not held.
        """
        return self._transition(
            message_id, "approve", MessageState.PUBLISHED, by=by, role=role, note=note
        )

    def deny(self, message_id: str, *, by: str, role: Role | str, note: str = "") -> Record:
        """Refuse a held message for good (same errors as `approve`)."""
        return self._transition(
            message_id, "deny", MessageState.DENIED, by=by, role=role, note=note
        )

    def remove(self, message_id: str, *, by: str, role: Role | str, note: str = "") -> Record:
        """Take a published message down (post-moderation).

        Raises:
            UnknownIdError: No such message.
            PermissionDenied: ``by`` may not moderate the message's chat.
            InvalidValueError: The message is not published.
        """
        return self._transition(
            message_id, "remove", MessageState.REMOVED, by=by, role=role, note=note
        )

    def expire_held(self) -> tuple[Record, ...]:
        """Expire the messages held longer than the policy's ``hold_expiry``.

        Returns:
            The records of the messages expired now (each logged by ``system``).
        """
        with self._lock:
            now = to_instant(self.clock.now(), field="clock.now()")
            expired = []
            for record in self.store.held():
                if now - record.updated_at >= self.policy.hold_expiry:
                    updated = attrs.evolve(record, state=MessageState.EXPIRED, updated_at=now)
                    self.store.put(updated)
                    act = _Act(now, _SYSTEM, None, "expire", record.message.chat, record.message.id)
                    self._log(act, MessageState.EXPIRED.value)
                    expired.append(updated)
            return tuple(expired)

    def _transition(
        self,
        message_id: str,
        action: str,
        to: MessageState,
        *,
        by: str,
        role: Role | str,
        note: str,
    ) -> Record:
        actor_role = _role(role, "role")
        with self._lock:
            now = to_instant(self.clock.now(), field="clock.now()")
            record = self.store.record(message_id)
            if record is None:
                self._log(
                    _Act(now, by, actor_role, action, "", message_id),
                    "refused",
                    detail="unknown message",
                )
                raise UnknownIdError(kind="message", id=message_id)
            chat, author = record.message.chat, record.message.author
            act = _Act(now, by, actor_role, action, chat, message_id, author)
            self._authorise(act)
            needed = MessageState.PUBLISHED if to is MessageState.REMOVED else MessageState.HELD
            if record.state is not needed:
                detail = f"the message is {record.state.value}, not {needed.value}"
                self._log(act, "refused", detail=detail)
                raise InvalidValueError(field="message", value=message_id, reason=detail)
            updated = attrs.evolve(record, state=to, updated_at=now)
            self.store.put(updated)
            if to is MessageState.PUBLISHED:  # rates counted it when it was submitted
                self.store.mark_known(chat, author)
            self._log(act, to.value, detail=note)
            return updated

    def warn(
        self, person: str, chat: str, *, by: str, role: Role | str, note: str = ""
    ) -> Sanction:
        """Warn a person in a chat (recorded; they can still write)."""
        return self._sanction_by_hand(
            Step(kind=SanctionKind.WARN), person, chat, by=by, role=role, note=note
        )

    def timeout(
        self,
        person: str,
        chat: str,
        length: _dt.timedelta | float | str,
        *,
        by: str,
        role: Role | str,
        note: str = "",
    ) -> Sanction:
        """Stop a person writing in a chat for ``length`` (10 s to 24 h)."""
        step = Step(kind=SanctionKind.TIMEOUT, duration=duration(length, "length"))
        return self._sanction_by_hand(step, person, chat, by=by, role=role, note=note)

    def ban(self, person: str, chat: str, *, by: str, role: Role | str, note: str = "") -> Sanction:
        """Stop a person writing in a chat until the ban is lifted."""
        return self._sanction_by_hand(
            Step(kind=SanctionKind.BAN), person, chat, by=by, role=role, note=note
        )

    def lift(self, person: str, chat: str, *, by: str, role: Role | str, note: str = "") -> None:
        """Lift a person's timeout or ban in a chat (and forget their strikes' sanction)."""
        actor_role = _role(role, "role")
        with self._lock:
            now = to_instant(self.clock.now(), field="clock.now()")
            act = _Act(now, by, actor_role, "lift", chat, None, person)
            self._authorise(act)
            self.store.set_sanction(chat, person, None)
            self._log(act, "ok", detail=note)

    def _sanction_by_hand(
        self, step: Step, person: str, chat: str, *, by: str, role: Role | str, note: str
    ) -> Sanction:
        actor_role = _role(role, "role")
        with self._lock:
            now = to_instant(self.clock.now(), field="clock.now()")
            act = _Act(now, by, actor_role, step.kind.value, chat, None, person)
            self._authorise(act)
            sanction = self._sanction(step, person, chat, now, by=by, rule=None)
            current = self.store.sanction(chat, person)
            active = current is not None and current.active(now)
            stronger = (
                active and current is not None and _STRENGTH[current.kind] > _STRENGTH[step.kind]
            )
            if not stronger and (step.kind is not SanctionKind.WARN or current is None):
                self.store.set_sanction(chat, person, sanction)
            self._log(
                act,
                "ok" if not stronger else "kept",
                detail=note
                or (f"an active {current.kind.value} stays" if stronger and current else ""),
            )
            return sanction

    def authorise(
        self,
        action: str,
        chat: str,
        *,
        by: str,
        role: Role | str,
        message: str | None = None,
        target: str | None = None,
    ) -> None:
        """Check that ``by`` may do ``action`` in ``chat``; log and raise if not.

        For services built on the moderator (the Q&A queue): they check here, then
        record what they did with `log_action`.

        Raises:
            PermissionDenied: ``by`` may not moderate ``chat`` (the attempt is logged).
        """
        with self._lock:
            now = to_instant(self.clock.now(), field="clock.now()")
            self._authorise(_Act(now, by, _role(role, "role"), action, chat, message, target))

    def log_action(
        self,
        action: str,
        chat: str,
        outcome: str,
        *,
        by: str,
        role: Role | str,
        message: str | None = None,
        target: str | None = None,
        detail: str = "",
    ) -> None:
        """Add one entry for a moderator's action to the audit log."""
        with self._lock:
            now = to_instant(self.clock.now(), field="clock.now()")
            act = _Act(now, by, _role(role, "role"), action, chat, message, target)
            self._log(act, outcome, detail=detail)

    def _authorise(self, act: _Act) -> None:
        """Let moderators, chat experts and the stand's own representatives through."""
        if act.role in _MODERATORS:
            return
        if act.role is Role.EXHIBITOR_REPRESENTATIVE:
            if act.actor in self.representatives.get(act.chat, ()):
                return
            reason = (
                f"an exhibitor representative moderates only their stand's chat, not {act.chat}"
            )
        else:
            reason = "only moderators and chat experts act on others' messages"
        self._log(act, "permission-denied", detail=reason)
        raise PermissionDenied(
            actor=act.actor,
            role=act.role.value if act.role else "",
            action=act.action,
            target=act.message or act.target or act.chat,
            reason=reason,
        )

    def _log(
        self,
        act: _Act,
        outcome: str,
        *,
        rules: tuple[str, ...] = (),
        codes: tuple[str, ...] = (),
        matched: tuple[str, ...] = (),
        detail: str = "",
    ) -> None:
        self.store.append(
            AuditEntry(
                seq=self._next_seq(),
                at=act.at,
                actor=act.actor,
                role=act.role,
                action=act.action,
                chat=act.chat,
                message=act.message,
                target=act.target,
                outcome=outcome,
                rules=rules,
                codes=codes,
                matched=matched,
                detail=detail,
            )
        )

    def _next_seq(self) -> int:
        seq = self._seq
        self._seq = seq + 1
        return seq

    # -- queries ---------------------------------------------------------------------

    def record(self, message_id: str) -> Record:
        """The stored record of a message.

        Raises:
            UnknownIdError: No such message.
        """
        record = self.store.record(message_id)
        if record is None:
            raise UnknownIdError(kind="message", id=message_id)
        return record

    def held(self, chat: str | None = None) -> tuple[Record, ...]:
        """Held messages (of one chat, or all), oldest first."""
        return tuple(r for r in self.store.held() if chat is None or r.message.chat == chat)

    def audit(self) -> tuple[AuditEntry, ...]:
        """The audit log, in order."""
        return self.store.audit()
