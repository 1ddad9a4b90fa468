"""The Q&A queue: moderation first, publish, votes, order, merge, hide and restore."""

import pytest

from mmso_core import ManualClock, PermissionDenied, UnknownIdError
from mmso_core.errors import InvalidValueError
from mmso_core.moderation import (
    ChatMessage,
    Moderator,
    Policy,
    QuestionQueue,
    QuestionState,
)

T0 = "2020-04-29T14:30Z"


@pytest.fixture
def queue() -> QuestionQueue:
    return QuestionQueue(
        Moderator(Policy.default(), clock=ManualClock(at=T0), representatives={"stand": ["r1"]})
    )


def ask(queue: QuestionQueue, id: str, text: str, author: str = "v1", **kw: bool) -> object:
    message = ChatMessage(
        id=id, chat="c1", author=author, role="visitor", text=text, sent_at=T0, kind="question"
    )
    return queue.ask(message, **kw)[1]


def test_blocked_questions_never_enter() -> None:
    queue = QuestionQueue(Moderator(Policy.default(), clock=ManualClock(at=T0)))
    assert ask(queue, "q1", "какого хуя нет звука") is None
    with pytest.raises(UnknownIdError):
        queue.question("q1")


def test_lifecycle_and_order(queue: QuestionQueue) -> None:
    ask(queue, "q1", "Первый вопрос про оценки", "v1")
    ask(queue, "q2", "Второй вопрос про связь", "v2")
    ask(queue, "q3", "Третий вопрос про учебники", "v3")
    assert queue.questions("c1") == ()  # nothing shown before a moderator publishes
    with pytest.raises(InvalidValueError, match="only published"):
        queue.upvote("q1", voter="v9")
    for q in ("q1", "q2", "q3"):
        queue.publish(q, by="e1", role="chat-expert")
    assert queue.moderator.record("q1").state.value == "published"  # the held message too
    queue.upvote("q3", voter="a")
    queue.upvote("q3", voter="b")
    queue.upvote("q2", voter="a")
    assert [q.id for q in queue.questions("c1")] == ["q3", "q2", "q1"]
    assert queue.next_for_air("c1").id == "q3"  # type: ignore[union-attr]
    queue.answer("q3", by="e1", role="chat-expert")
    assert [q.id for q in queue.questions("c1", state="answered")] == ["q3"]
    assert queue.next_for_air("c1").id == "q2"  # type: ignore[union-attr]
    hidden = queue.hide("q2", by="mod", role="moderator")
    assert (hidden.state, hidden.votes) == (QuestionState.HIDDEN, 1)
    restored = queue.restore("q2", by="mod", role="moderator")
    assert (restored.state, restored.votes) == (QuestionState.PUBLISHED, 1)
    queue.archive("q1", by="mod", role="moderator")
    assert [q.id for q in queue.questions("c1")] == ["q2"]
    with pytest.raises(InvalidValueError, match="archived"):
        queue.answer("q1", by="mod", role="moderator")
    assert queue.next_for_air("other") is None


def test_near_duplicates_merge_and_votes_carry_over(queue: QuestionQueue) -> None:
    ask(queue, "q1", "Когда выложат запись?", "v1")
    repeat = ask(queue, "q2", "когда выложат запись", "v2")
    assert repeat.id == "q1"  # type: ignore[attr-defined]
    assert queue.question("q1").merged == ("q2",)
    q3 = ask(queue, "q3", "Будет ли запись доступна всем регионам бесплатно", "v3")
    assert q3.id == "q3"  # type: ignore[attr-defined]
    for q in ("q1", "q3"):
        queue.publish(q, by="e1", role="chat-expert")
    queue.upvote("q3", voter="a")
    queue.upvote("q1", voter="a")
    merged = queue.merge("q3", "q1", by="e1", role="chat-expert")
    assert (merged.voters, merged.merged) == (frozenset({"a"}), ("q2", "q3"))
    assert queue.question("q3").state is QuestionState.ARCHIVED
    with pytest.raises(InvalidValueError, match="same chat"):
        queue.merge("q3", "q1", by="e1", role="chat-expert")


def test_permissions_anonymity_and_audit(queue: QuestionQueue) -> None:
    q = ask(queue, "q1", "Анонимный вопрос", anonymous=True)
    assert q.shown_author is None  # type: ignore[attr-defined]
    assert q.author == "v1"  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        queue.publish("q1", by="v2", role="visitor")
    with pytest.raises(PermissionDenied):
        queue.publish("q1", by="r1", role="exhibitor-representative")  # not their stand
    queue.publish("q1", by="e1", role="chat-expert")
    actions = [(e.action, e.outcome) for e in queue.moderator.audit()]
    assert actions == [
        ("submit", "hold"),
        ("publish", "permission-denied"),
        ("publish", "permission-denied"),
        ("publish", "published"),  # one entry: the question and its held message
    ]
    strict = QuestionQueue(queue.moderator, allow_anonymous=False)
    with pytest.raises(InvalidValueError, match="anonymous"):
        ask(strict, "q9", "тайный вопрос", anonymous=True)


def test_bad_input(queue: QuestionQueue) -> None:
    comment = ChatMessage(id="c", chat="c1", author="v", role="visitor", text="x", sent_at=T0)
    with pytest.raises(InvalidValueError, match="question"):
        queue.ask(comment)
    with pytest.raises(InvalidValueError):
        QuestionQueue("moderator")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        QuestionQueue(queue.moderator, merge_threshold=0)
    ask(queue, "q1", "вопрос")
    queue.publish("q1", by="e1", role="chat-expert")
    with pytest.raises(InvalidValueError, match="person"):
        queue.upvote("q1", voter="")


def test_questions_follow_their_messages(queue: QuestionQueue) -> None:
    # Regression: a question was published after its message expired, and stayed on
    # show after a moderator removed its message.
    ask(queue, "q1", "первый вопрос", "v1")
    ask(queue, "q2", "второй вопрос про звук", "v2")
    queue.moderator.deny("q1", by="e1", role="chat-expert")
    with pytest.raises(InvalidValueError, match="its message is denied"):
        queue.publish("q1", by="e1", role="chat-expert")
    queue.publish("q2", by="e1", role="chat-expert")
    queue.moderator.remove("q2", by="e1", role="chat-expert")
    assert queue.questions("c1") == ()
    assert queue.next_for_air("c1") is None
    with pytest.raises(InvalidValueError, match="only published"):
        queue.upvote("q2", voter="v9")


def test_reading_questions_while_others_ask(queue: QuestionQueue) -> None:
    import threading  # noqa: PLC0415

    errors: list[BaseException] = []

    def asker() -> None:
        for i in range(300):
            try:
                ask(queue, f"t{i}", f"вопрос номер {i} про что-то своё {i * 7}", f"v{i}")
            except BaseException as exc:  # pragma: no cover - the failure under test
                errors.append(exc)

    thread = threading.Thread(target=asker)
    thread.start()
    while thread.is_alive():
        queue.questions("c1", state="pending")
    thread.join()
    assert errors == []
    assert len(queue.questions("c1", state="pending")) == 300
