"""Chat messages and the roles of their authors.

Every session's chat is moderated by an expert; viewers ask questions and leave
comments, and the moderator passes questions to the speakers on air. Exhibitors'
stands have chats too.

>>> message = ChatMessage(
...     id="m1",
...     chat="chat-samara-round-table",
...     author="v17",
...     role="visitor",
...     text="Как организовать дистанционное обучение в сельских школах?",
...     sent_at="2020-04-29T17:40+03:00",
...     kind="question",
... )
>>> message.kind.value, message.sent_at.isoformat()
('question', '2020-04-29T14:40:00+00:00')
"""

import datetime as _dt
import enum
from collections.abc import Mapping
from typing import Any, Final, final

import attrs

from mmso_core._checks import non_empty, optional_text
from mmso_core._time import Instant, to_instant
from mmso_core.errors import InvalidValueError, MmsoError, ModelError

__all__ = ["ChatMessage", "MessageKind", "Role"]


class Role(enum.StrEnum):
    """Who writes in a chat."""

    VISITOR = "visitor"
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    CHAT_EXPERT = "chat-expert"
    EXHIBITOR_REPRESENTATIVE = "exhibitor-representative"
    TECHNICIAN = "technician"


class MessageKind(enum.StrEnum):
    """A comment, or a question for the speakers."""

    COMMENT = "comment"
    QUESTION = "question"


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidValueError(
            field="ChatMessage.role",
            value=value,
            reason=f"must be one of {', '.join(r.value for r in Role)}",
        ) from None


def _kind(value: MessageKind | str) -> MessageKind:
    try:
        return MessageKind(value)
    except ValueError:
        raise InvalidValueError(
            field="ChatMessage.kind", value=value, reason="must be 'comment' or 'question'"
        ) from None


def _sent_at(value: _dt.datetime | str) -> Instant:
    return to_instant(value, field="ChatMessage.sent_at")


def _text(instance: object, attribute: object, value: str) -> None:
    if not isinstance(value, str):
        raise InvalidValueError(field="ChatMessage.text", value=value, reason="must be a string")


@final
@attrs.frozen(kw_only=True)
class ChatMessage:
    """One message in a session's or a stand's chat.

    Attributes:
        id: Unique id.
        chat: Id of the chat.
        author: Id of the author.
        role: The author's role in that chat.
        text: The text as written (any string: moderation decides what to do with it).
        sent_at: When it was sent.
        kind: A comment (default) or a question.
        reply_to: Id of the message it answers, if any.
    """

    id: str = attrs.field(validator=non_empty)
    chat: str = attrs.field(validator=non_empty)
    author: str = attrs.field(validator=non_empty)
    role: Role = attrs.field(converter=_role)
    text: str = attrs.field(validator=_text)
    sent_at: Instant = attrs.field(converter=_sent_at)
    kind: MessageKind = attrs.field(default=MessageKind.COMMENT, converter=_kind)
    reply_to: str | None = attrs.field(default=None, validator=optional_text)

    @reply_to.validator
    def _not_to_itself(self, _attribute: object, value: str | None) -> None:
        if value == self.id:
            raise InvalidValueError(
                field="ChatMessage.reply_to", value=value, reason="a message cannot answer itself"
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ChatMessage":
        """A message from plain data, as one line of a JSON Lines chat log holds it.

        ``sent_at`` is an ISO 8601 string with an offset (or a zone suffix such as
        ``[Europe/Moscow]``); ``kind`` and ``reply_to`` may be left out.

        >>> ChatMessage.from_dict(
        ...     {"id": "m1", "chat": "c1", "author": "v1", "role": "visitor",
        ...      "text": "Добрый вечер!", "sent_at": "2020-04-29T17:21:00+03:00"}
        ... ).role.value
        'visitor'

        Raises:
            ModelError: listing every missing, unknown or bad field.
        """
        if not isinstance(data, Mapping):
            raise ModelError(problems=[f"message: must be a mapping, not {type(data).__name__}"])
        problems = [f"{key}: unknown field" for key in data if key not in _FIELDS]
        problems += [f"{key}: missing" for key in _REQUIRED if key not in data]
        if problems:
            raise ModelError(problems=problems)
        try:
            return cls(**data)
        except InvalidValueError as exc:
            field = exc.field.removeprefix("ChatMessage.")
            raise ModelError(problems=[f"{field}: {exc.reason}, not {exc.value!r}"]) from exc
        except MmsoError as exc:  # a naive or otherwise bad time
            raise ModelError(problems=[str(exc)]) from exc

    def to_dict(self) -> dict[str, Any]:
        """Plain data that `from_dict` reads back into an equal message.

        >>> m = ChatMessage(id="m1", chat="c", author="a", role="speaker", text="Да",
        ...                 sent_at="2020-04-29T14:21Z")
        >>> ChatMessage.from_dict(m.to_dict()) == m
        True
        """
        data: dict[str, Any] = {
            "id": self.id,
            "chat": self.chat,
            "author": self.author,
            "role": self.role.value,
            "text": self.text,
            "sent_at": self.sent_at.isoformat(),
            "kind": self.kind.value,
        }
        if self.reply_to is not None:
            data["reply_to"] = self.reply_to
        return data


_FIELDS: Final = frozenset(a.name for a in attrs.fields(ChatMessage))
_REQUIRED: Final = ("id", "chat", "author", "role", "text", "sent_at")
