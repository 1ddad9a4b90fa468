"""The Q&A queue: viewers' questions, moderated, voted on, and passed to the speakers.

A question goes through the `Moderator` first (a blocked question never enters the
queue). It then waits as *pending* until a moderator or chat expert publishes it;
published questions collect upvotes (one per person) and are ordered by votes, then
by time; `QuestionQueue.next_for_air` gives the moderator the top one. A question
ends *answered* or *archived*; a hidden one can be restored with its votes. A new
question that repeats a pending or published one (nearly the same words) is merged
into it. Every moderator's action goes to the moderator's audit log.

>>> from mmso_core import ManualClock
>>> from mmso_core.moderation import ChatMessage, Moderator, Policy, QuestionQueue
>>> clock = ManualClock(at="2020-04-29T14:30Z")
>>> queue = QuestionQueue(Moderator(Policy.default(), clock=clock))
>>> def ask(id, text, author):
...     message = ChatMessage(id=id, chat="samara", author=author, role="visitor",
...                           text=text, sent_at=clock.now(), kind="question")
...     return queue.ask(message)[1]
>>> q1 = ask("q1", "Как оценивать дистанционные уроки?", "v1")
>>> q2 = ask("q2", "Будет ли запись круглого стола?", "v2")
>>> ask("q3", "как оценивать дистанционные уроки", "v3").id  # merged into q1
'q1'
>>> for q in (q1, q2):
...     _ = queue.publish(q.id, by="e1", role="chat-expert")
>>> queue.upvote("q2", voter="v7"), queue.upvote("q2", voter="v7")
(True, False)
>>> queue.next_for_air("samara").text
'Будет ли запись круглого стола?'
"""

import enum
import threading
from typing import Final, final

import attrs

from mmso_core._time import Instant, to_instant
from mmso_core.errors import InvalidValueError, UnknownIdError
from mmso_core.moderation._lexicon import Scan
from mmso_core.moderation._message import ChatMessage, MessageKind, Role
from mmso_core.moderation._moderator import Decision, MessageState, Moderator
from mmso_core.moderation._policy import Action

__all__ = ["Question", "QuestionQueue", "QuestionState"]


class QuestionState(enum.StrEnum):
    """Where a question is."""

    PENDING = "pending"
    PUBLISHED = "published"
    ANSWERED = "answered"
    ARCHIVED = "archived"
    HIDDEN = "hidden"


@final
@attrs.frozen(kw_only=True)
class Question:
    """A question in the queue.

    Attributes:
        id: The id of the chat message that asked it.
        chat: The session's chat.
        author: Who asked (kept for moderation even when anonymous).
        text: The text as shown (masked if moderation masked it).
        asked_at: When it was asked.
        state: Where it is.
        voters: Who upvoted it.
        merged: Ids of the repeats merged into it.
        anonymous: Shown without the author's name.
        hidden_from: The state a hidden question returns to.
    """

    id: str
    chat: str
    author: str
    text: str
    asked_at: Instant
    state: QuestionState = QuestionState.PENDING
    voters: frozenset[str] = frozenset()
    merged: tuple[str, ...] = ()
    anonymous: bool = False
    hidden_from: QuestionState | None = None

    @property
    def votes(self) -> int:
        """The number of upvotes."""
        return len(self.voters)

    @property
    def shown_author(self) -> str | None:
        """The author as the audience sees it (``None`` when anonymous)."""
        return None if self.anonymous else self.author


_OPEN: Final = frozenset({QuestionState.PENDING, QuestionState.PUBLISHED})


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@final
class QuestionQueue:
    """Questions of the salon's chats, on top of a `Moderator`.

    Args:
        moderator: Moderates the questions and checks who may act.
        allow_anonymous: Whether askers may hide their names.
        merge_threshold: Word overlap (Jaccard, 0..1) from which a new question is
            merged into an open one of the same chat; ``1.0`` merges exact repeats only.
    """

    def __init__(
        self, moderator: Moderator, *, allow_anonymous: bool = True, merge_threshold: float = 0.8
    ) -> None:
        if not isinstance(moderator, Moderator):
            raise InvalidValueError(
                field="moderator", value=moderator, reason="must be a Moderator"
            )
        if not isinstance(merge_threshold, int | float) or not 0 < merge_threshold <= 1:
            raise InvalidValueError(
                field="merge_threshold", value=merge_threshold, reason="must be in (0, 1]"
            )
        self.moderator = moderator
        self.allow_anonymous = allow_anonymous
        self.merge_threshold = float(merge_threshold)
        self._questions: dict[str, Question] = {}
        self._words: dict[str, frozenset[str]] = {}
        self._lock = threading.RLock()

    def ask(
        self, message: ChatMessage, *, anonymous: bool = False
    ) -> tuple[Decision, Question | None]:
        """Submit a question: moderation first, then the queue (or a merge).

        Returns:
            The moderator's decision, and the question it is in now (a repeat
            returns the question it was merged into), or ``None`` when blocked.

        Raises:
            InvalidValueError: ``message`` is not a question, or anonymity is off.
        """
        if not isinstance(message, ChatMessage) or message.kind is not MessageKind.QUESTION:
            raise InvalidValueError(
                field="message", value=message, reason="must be a ChatMessage of kind question"
            )
        if anonymous and not self.allow_anonymous:
            raise InvalidValueError(
                field="anonymous", value=anonymous, reason="anonymous questions are off here"
            )
        with self._lock:
            decision = self.moderator.submit(message)
            if decision.action is Action.BLOCK or decision.text is None:
                return decision, None
            words = frozenset(Scan.of(message.text).words)
            for other in self._questions.values():
                if (
                    other.chat == message.chat
                    and other.state in _OPEN
                    and _similarity(words, self._words[other.id]) >= self.merge_threshold
                ):
                    merged = attrs.evolve(other, merged=(*other.merged, message.id))
                    self._questions[other.id] = merged
                    return decision, merged
            question = Question(
                id=message.id,
                chat=message.chat,
                author=message.author,
                text=decision.text,
                asked_at=to_instant(decision.at),
                anonymous=anonymous,
            )
            self._questions[question.id] = question
            self._words[question.id] = words
            return decision, question

    def question(self, question_id: str) -> Question:
        """A question by id.

        Raises:
            UnknownIdError: No such question.
        """
        try:
            return self._questions[question_id]
        except KeyError:
            raise UnknownIdError(kind="question", id=question_id) from None

    # -- moderators' actions ---------------------------------------------------------

    def publish(self, question_id: str, *, by: str, role: Role | str) -> Question:
        """Show a pending question to the audience, approving its held message.

        One audit entry records it (``publish``, outcome ``published``).

        Raises:
            UnknownIdError: No such question.
            PermissionDenied: ``by`` may not moderate the question's chat.
            InvalidValueError: The question is not pending, or its message was denied,
                expired or removed meanwhile.
        """
        with self._lock:
            question = self._act(question_id, "publish", by, role, {QuestionState.PENDING})
            state = self.moderator.record(question_id).state
            if state is MessageState.HELD:  # the message's transition is the entry
                self.moderator._transition(
                    question_id, "publish", MessageState.PUBLISHED, by=by, role=role, note=""
                )
                published = attrs.evolve(question, state=QuestionState.PUBLISHED)
                self._questions[question_id] = published
                return published
            if state is not MessageState.PUBLISHED:
                detail = f"its message is {state.value}"
                self.moderator.log_action(
                    "publish", question.chat, "refused", by=by, role=role, message=question_id,
                    detail=detail,
                )  # fmt: skip
                raise InvalidValueError(field="question_id", value=question_id, reason=detail)
            return self._move(question, QuestionState.PUBLISHED, "publish", by, role)

    def answer(self, question_id: str, *, by: str, role: Role | str) -> Question:
        """Mark a published question answered (it moves to the answered archive)."""
        with self._lock:
            question = self._act(question_id, "answer", by, role, {QuestionState.PUBLISHED})
            return self._move(question, QuestionState.ANSWERED, "answer", by, role)

    def archive(self, question_id: str, *, by: str, role: Role | str) -> Question:
        """Archive a question without an answer."""
        allowed = {QuestionState.PENDING, QuestionState.PUBLISHED, QuestionState.ANSWERED}
        with self._lock:
            question = self._act(question_id, "archive", by, role, allowed)
            return self._move(question, QuestionState.ARCHIVED, "archive", by, role)

    def hide(self, question_id: str, *, by: str, role: Role | str) -> Question:
        """Hide a question; `restore` brings it back with its votes."""
        allowed = set(QuestionState) - {QuestionState.HIDDEN}
        with self._lock:
            question = self._act(question_id, "hide", by, role, allowed)
            hidden = attrs.evolve(question, hidden_from=question.state)
            return self._move(hidden, QuestionState.HIDDEN, "hide", by, role)

    def restore(self, question_id: str, *, by: str, role: Role | str) -> Question:
        """Bring a hidden question back to the state it was hidden from."""
        with self._lock:
            question = self._act(question_id, "restore", by, role, {QuestionState.HIDDEN})
            back = question.hidden_from or QuestionState.PENDING
            restored = attrs.evolve(question, hidden_from=None)
            return self._move(restored, back, "restore", by, role)

    def merge(self, source_id: str, into_id: str, *, by: str, role: Role | str) -> Question:
        """Merge a repeat into another question of the same chat; votes carry over."""
        with self._lock:
            into = self._act(into_id, "merge", by, role, set(_OPEN))
            source = self.question(source_id)
            if source.chat != into.chat or source.id == into.id or source.state not in _OPEN:
                detail = "only another open question of the same chat can be merged"
                self.moderator.log_action(
                    "merge", into.chat, "refused", by=by, role=role, message=source_id,
                    detail=detail,
                )  # fmt: skip
                raise InvalidValueError(field="source_id", value=source_id, reason=detail)
            merged = attrs.evolve(
                into,
                voters=into.voters | source.voters,
                merged=(*into.merged, source.id, *source.merged),
            )
            self._questions[source.id] = attrs.evolve(source, state=QuestionState.ARCHIVED)
            self._questions[into.id] = merged
            self.moderator.log_action(
                "merge", into.chat, "merged", by=by, role=role, message=source_id, target=into_id
            )
            return merged

    def _act(
        self, question_id: str, action: str, by: str, role: Role | str, allowed: set[QuestionState]
    ) -> Question:
        question = self.question(question_id)
        self.moderator.authorise(action, question.chat, by=by, role=role, message=question_id)
        if question.state not in allowed:
            detail = f"the question is {question.state.value}"
            self.moderator.log_action(
                action, question.chat, "refused", by=by, role=role, message=question_id,
                detail=detail,
            )  # fmt: skip
            raise InvalidValueError(field="question_id", value=question_id, reason=detail)
        return question

    def _move(
        self, question: Question, to: QuestionState, action: str, by: str, role: Role | str
    ) -> Question:
        moved = attrs.evolve(question, state=to)
        self._questions[question.id] = moved
        self.moderator.log_action(
            action, question.chat, to.value, by=by, role=role, message=question.id
        )
        return moved

    # -- the audience ----------------------------------------------------------------

    def upvote(self, question_id: str, *, voter: str) -> bool:
        """Upvote a published question; ``False`` if this person already did.

        Raises:
            UnknownIdError: No such question.
            InvalidValueError: The question is not published.
        """
        with self._lock:
            question = self.question(question_id)
            if question.state is not QuestionState.PUBLISHED or self._removed(question):
                raise InvalidValueError(
                    field="question_id",
                    value=question_id,
                    reason=f"only published questions take votes; this one is {question.state}",
                )
            if not isinstance(voter, str) or not voter:
                raise InvalidValueError(field="voter", value=voter, reason="must be a person id")
            if voter in question.voters:
                return False
            self._questions[question_id] = attrs.evolve(question, voters=question.voters | {voter})
            return True

    def questions(
        self, chat: str | None = None, *, state: QuestionState | str = QuestionState.PUBLISHED
    ) -> tuple[Question, ...]:
        """Questions in a state (published by default), most votes first, then oldest.

        A question whose chat message a moderator removed is left out.
        """
        wanted = QuestionState(state)
        with self._lock:
            found = [
                q
                for q in self._questions.values()
                if q.state is wanted and (chat is None or q.chat == chat) and not self._removed(q)
            ]
        return tuple(sorted(found, key=lambda q: (-q.votes, q.asked_at, q.id)))

    def _removed(self, question: Question) -> bool:
        return self.moderator.record(question.id).state is MessageState.REMOVED

    def next_for_air(self, chat: str) -> Question | None:
        """The published question the moderator should pass to the speakers next."""
        top = self.questions(chat)
        return top[0] if top else None
