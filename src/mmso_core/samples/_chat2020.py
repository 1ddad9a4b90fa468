"""The chat of the Samara round table, 29 April 2020: a deterministic sample.

Viewers from Samara and elsewhere ask questions and leave comments while the round
table is on air; the speakers and the chat expert answer some of them. A few people
misbehave the way real chats do: mat (plain and disguised), a flood, repeats,
shouting, advertising links and a wall of mentions.
"""

import datetime as _dt
import functools
import random
from typing import Final

from mmso_core.moderation import ChatMessage
from mmso_core.samples._mmso2020 import SAMARA_ROUND_TABLE_ID, mmso_2020

__all__ = ["SAMARA_CHAT_ID", "chat_2020"]

SAMARA_CHAT_ID: Final = f"chat-{SAMARA_ROUND_TABLE_ID}"
_SEED: Final = 20200429
_VIEWERS: Final = 60

_QUESTIONS: Final = (
    "Как организовать дистанционное обучение в сельских школах без хорошего интернета?",
    "Какие платформы министерство рекомендует для уроков в 5–9 классах?",
    "Будет ли запись круглого стола?",
    "Как оценивать работы учеников на расстоянии, чтобы это было честно?",
    "Что делать, если у семьи один компьютер на троих детей?",
    "Планируется ли обучение учителей работе с электронными ресурсами?",
    "Как будет проходить итоговая аттестация в 9 и 11 классах?",
    "Есть ли опыт дистанционной работы с детьми с ОВЗ в Самарской области?",
    "Как снизить нагрузку на родителей младших школьников?",
    "Сколько времени ученик должен проводить за экраном в день?",
    "Какие требования к продолжительности онлайн-урока?",
    "Будут ли методические рекомендации для колледжей?",
    "Как учитывать посещаемость при дистанционном обучении?",
    "Что делать с практическими занятиями в профессиональном образовании?",
    "Кто отвечает за техническую поддержку учителей в районах?",
)
_COMMENTS: Final = (
    "Добрый вечер из Тольятти!",
    "Здравствуйте, коллеги! Сызрань на связи.",
    "Спасибо за интересный доклад.",
    "У нас в районе та же проблема с интернетом.",
    "Очень полезный опыт, возьмём на заметку.",
    "Звук пропал на минуту, теперь всё хорошо.",
    "Приветствую всех из Новокуйбышевска.",
    "Согласна с предыдущим выступающим.",
    "Было бы здорово получить презентацию.",
    "Наша школа работает на платформе уже месяц, впечатления хорошие.",
    "Коллеги, а где можно скачать материалы?",
    "Спасибо организаторам ММСО!",
    "Отличная модерация, всё по делу.",
    "Родители тоже устали, это важно учитывать.",
    "Поддерживаю вопрос про аттестацию.",
)
_ANSWERS: Final = (
    "Да, запись будет доступна сразу после окончания.",
    "Рекомендации опубликуем на сайте министерства на этой неделе.",
    "Хороший вопрос, передаю спикеру.",
    "Презентации выложим в материалах мероприятия.",
)
_ABUSE: Final = (
    "да это всё хуйня, а не обучение",
    "какого х*я опять нет звука",
    "пиzдец, а не платформа",
    "б л я, опять всё зависло",
    "ну и нахуй такие уроки",
    "сука, третий раз переподключаюсь",
)
_SPAM: Final = (
    "Заработок без вложений! Пиши в личку или заходи на easy-money.xyz",
    "Лучшие курсы ЕГЭ со скидкой 90%: https://ege-super.example.com/promo",
)
_SHOUT: Final = "ПОЧЕМУ НИЧЕГО НЕ СЛЫШНО ВКЛЮЧИТЕ ЗВУК"
_FLOOD: Final = (
    "ау", "алло", "есть кто", "звук", "слышно", "ну что там", "эй", "проверка связи",
    "хелло", "раз два три", "люди", "отзовитесь",
)  # fmt: skip


@functools.cache
def chat_2020() -> tuple[ChatMessage, ...]:
    """The chat of the Samara round table, in the order the messages were sent.

    About 200 messages from 60 viewers, the speakers and the chat expert during
    the broadcast (17:20 to 18:55 Moscow time). It holds questions and comments,
    the expert's answers, six abusive messages (some disguised), two advertising
    links, a shouted message, a flood of twelve messages in 48 seconds, a repeated
    message and one with a dozen mentions.

    >>> chat = chat_2020()
    >>> len(chat), chat[0].chat
    (198, 'chat-samara-round-table')
    >>> sum(m.kind.value == "question" for m in chat)
    40
    """
    table = mmso_2020().session(SAMARA_ROUND_TABLE_ID)
    rng = random.Random(_SEED)
    viewers = [f"viewer-{n:03d}" for n in range(1, _VIEWERS + 1)]
    start = table.starts_at
    span = (table.ends_at - table.starts_at).total_seconds() + 5 * 60
    plan: list[tuple[float, str, str, str, str]] = []  # (second, author, role, text, kind)
    plan += [
        (rng.uniform(60, span), rng.choice(viewers), "visitor", rng.choice(_QUESTIONS), "question")
        for _ in range(40)
    ]
    plan += [
        (rng.uniform(0, span), rng.choice(viewers), "visitor", rng.choice(_COMMENTS), "comment")
        for _ in range(120)
    ]
    expert = table.chat_expert or "chat-expert"
    plan += [(rng.uniform(600, span), expert, "chat-expert", t, "comment") for t in _ANSWERS * 3]
    thanks = "Спасибо за вопросы, отвечу в эфире."
    plan += [(rng.uniform(900, span), s, "speaker", thanks, "comment") for s in table.speakers[:2]]
    plan += [(rng.uniform(300, span), rng.choice(viewers), "visitor", t, "comment") for t in _ABUSE]
    plan += [(rng.uniform(300, span), "viewer-spam", "visitor", t, "comment") for t in _SPAM]
    plan.append((1500.0, rng.choice(viewers), "visitor", _SHOUT, "comment"))
    flooder = "viewer-flood"
    plan.extend((2400.0 + 4 * i, flooder, "visitor", t, "comment") for i, t in enumerate(_FLOOD))
    repeat = "Коллеги, а где можно скачать материалы?"
    plan.extend((3000.0 + 8 * i, "viewer-007", "visitor", repeat, "comment") for i in range(2))
    mentions = " ".join(f"@{v}" for v in viewers[:12]) + " смотрите сюда"
    plan.append((3300.0, "viewer-mentions", "visitor", mentions, "comment"))
    plan.sort(key=lambda item: item[0])
    return tuple(
        ChatMessage(
            id=f"msg-{index:04d}",
            chat=SAMARA_CHAT_ID,
            author=author,
            role=role,
            text=text,
            sent_at=start + _dt.timedelta(seconds=round(second)),
            kind=kind,
        )
        for index, (second, author, role, text, kind) in enumerate(plan, start=1)
    )
