"""Chat messages: values that refuse bad input."""

import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mmso_core import InvalidValueError, NaiveDatetimeError
from mmso_core.moderation import ChatMessage, MessageKind, Role

BASE: dict[str, object] = {
    "id": "m1",
    "chat": "chat-1",
    "author": "v1",
    "role": "visitor",
    "text": "Здравствуйте!",
    "sent_at": "2020-04-29T17:40+03:00",
}


def message(**changes: object) -> ChatMessage:
    return ChatMessage(**{**BASE, **changes})  # type: ignore[arg-type] # fields as a loose dict


def test_defaults_and_conversions() -> None:
    item = message()
    assert item.kind is MessageKind.COMMENT
    assert item.role is Role.VISITOR
    assert item.reply_to is None
    assert item.sent_at.isoformat() == "2020-04-29T14:40:00+00:00"
    answer = message(id="m2", role=Role.SPEAKER, kind="question", reply_to="m1")
    assert (answer.role, answer.kind, answer.reply_to) == (Role.SPEAKER, MessageKind.QUESTION, "m1")
    assert pickle.loads(pickle.dumps(answer)) == answer
    assert attrs.evolve(item, text="").text == ""


@pytest.mark.parametrize(
    ("changes", "error", "fragment"),
    [
        ({"id": ""}, InvalidValueError, "ChatMessage.id"),
        ({"role": "guest"}, InvalidValueError, "ChatMessage.role"),
        ({"kind": "shout"}, InvalidValueError, "ChatMessage.kind"),
        ({"text": None}, InvalidValueError, "ChatMessage.text"),
        ({"sent_at": "2020-04-29T17:40"}, NaiveDatetimeError, "ChatMessage.sent_at"),
        ({"reply_to": "m1"}, InvalidValueError, "cannot answer itself"),
        ({"reply_to": ""}, InvalidValueError, "ChatMessage.reply_to"),
    ],
)
def test_bad_input_is_refused(
    changes: dict[str, object], error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error) as caught:
        message(**changes)
    assert fragment in str(caught.value)


@given(st.text())
def test_any_text_is_kept_as_written(text: str) -> None:
    assert message(text=text).text == text
