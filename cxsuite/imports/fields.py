"""What each kind of import file may hold: its fields, their types and the header names that
name them in English, Lithuanian, Latvian, Russian and Persian.

This table is the only copy: detection reads it, the preview reports against it, and the
synonyms table of ``docs/file-import.md`` is generated from it (a test keeps the page in step).
Synonyms are compared after :func:`normal_header`, so case, accents, punctuation and the
Arabic/Persian letter variants do not matter ("E-mail", "e_mail" and "EMAIL" are one name).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

FieldType = Literal["text", "datetime", "number", "integer", "bool", "list"]
FileKind = Literal["customers", "deals", "tickets", "interactions", "feedback"]

RECORD_KIND: dict[str, str] = {"customers": "customer", "deals": "deal", "tickets": "ticket",
                               "interactions": "interaction", "feedback": "feedback"}
"""File kind (the stream name) to canonical record kind. Orders are imported as deals."""

LANGUAGES = ("en", "lt", "lv", "ru", "fa")


@dataclass(frozen=True)
class FieldSpec:
    """One field a column can fill: its type, its longest stored value and its header names."""

    name: str
    type: FieldType = "text"
    max_chars: int = 255
    synonyms: tuple[str, ...] = ()
    required: bool = False
    description: str = ""


def _f(name: str, type_: FieldType = "text", max_chars: int = 255, *synonyms: str, required: bool = False,
       description: str = "") -> FieldSpec:
    return FieldSpec(name, type_, max_chars, synonyms, required, description)


ID = ("id", "external id", "record id", "identifier", "nr", "no", "numeris", "id numurs", "номер",
      "идентификатор", "شناسه", "کد")
CUSTOMER_REF = ("customer id", "contact id", "client id", "customer", "customer email", "contact email",
                "client", "kliento id", "klientas", "kliento el pastas", "klienta id", "klients",
                "klienta e pasts", "id клиента", "клиент", "email клиента", "شناسه مشتری", "مشتری",
                "ایمیل مشتری")
OWNER = ("owner", "owner id", "assignee", "assigned to", "agent", "sales rep", "account owner",
         "contact owner", "deal owner", "ticket owner", "atsakingas", "vadybininkas", "atbildīgais",
         "menedžeris", "ответственный", "менеджер", "владелец", "исполнитель", "مسئول", "کارشناس",
         "مالک")
CREATED = ("created at", "created", "create date", "created date", "creation date", "date created",
           "sukurta", "sukurimo data", "izveidots", "izveides datums", "дата создания", "создан",
           "создано", "تاریخ ایجاد", "ایجاد شده")
UPDATED = ("updated at", "last modified", "last modified date", "modified", "updated",
           "last updated", "atnaujinta", "pakeista", "atjaunināts", "mainīts", "изменено",
           "дата изменения", "обновлено", "آخرین تغییر", "تاریخ به روزرسانی")
CHANNEL = ("channel", "source channel", "medium", "kanalas", "kanāls", "канал", "کانال")
STAGE = ("journey stage", "stage of journey", "kelionės etapas", "ceļojuma posms", "этап пути",
         "مرحله سفر")

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "customers": (
        _f("external_id", "text", 255, "customer id", "contact id", "client id", "record id", *ID,
           "kliento id", "klienta id", "id клиента", "شناسه مشتری", description="the customer's id in the "
           "exporting system; re-imports update by it"),
        _f("email", "text", 320, "email", "e-mail", "email address", "e-mail address", "mail",
           "el. paštas", "el paštas", "elektroninis paštas", "e-pasts", "epasts", "e-pasta adrese",
           "эл. почта", "электронная почта", "email адрес", "почта", "ایمیل", "پست الکترونیک",
           "نشانی ایمیل"),
        _f("phone", "text", 64, "phone", "phone number", "telephone", "mobile", "mobile phone",
           "telefonas", "tel", "tel. nr", "mobilusis", "tālrunis", "telefons", "tālr", "телефон",
           "номер телефона", "мобильный", "تلفن", "شماره تلفن", "موبایل", "تلفن همراه"),
        _f("name", "text", 300, "name", "full name", "customer name", "contact name", "client name",
           "vardas pavardė", "vardas", "pavadinimas", "vārds uzvārds", "vārds", "nosaukums", "имя",
           "фио", "полное имя", "имя клиента", "نام", "نام کامل", "نام مشتری"),
        _f("first_name", "text", 150, "first name", "given name", "firstname", "vardas", "vārds", "имя",
           "نام کوچک", description="joined with last_name into name when no full name is mapped"),
        _f("last_name", "text", 150, "last name", "surname", "family name", "lastname", "pavardė",
           "uzvārds", "фамилия", "نام خانوادگی"),
        _f("company_external_id", "text", 255, "company id", "account id", "company", "account",
           "organization", "organisation", "įmonė", "įmonės id", "uzņēmums", "uzņēmuma id", "компания",
           "id компании", "организация", "شرکت", "شناسه شرکت", "سازمان"),
        _f("lifecycle_stage", "text", 100, "lifecycle stage", "lifecycle", "customer status", "status",
           "lead status", "stage", "gyvavimo etapas", "būsena", "statusas", "dzīves cikla posms",
           "statuss", "стадия", "статус", "этап жизненного цикла", "مرحله", "وضعیت", "مرحله چرخه عمر"),
        _f("segment", "text", 100, "segment", "customer segment", "tier", "customer type", "segmentas",
           "tipas", "segments", "klienta tips", "сегмент", "тип клиента", "بخش", "سگمنت"),
        _f("segments", "list", 2000, "segments", "lists", "tags", "labels", "list memberships",
           "segmentai", "žymės", "sąrašai", "birkas", "saraksti", "сегменты", "теги", "метки", "списки",
           "برچسب ها", "برچسب‌ها", "لیست ها", description="several values separated by ; , or |"),
        _f("created_at", "datetime", 0, *CREATED, "customer since", "signup date", "registered",
           "registracijos data", "reģistrēts", "дата регистрации", "تاریخ ثبت نام"),
        _f("owner_id", "text", 255, *OWNER),
        _f("churned_at", "datetime", 0, "churned at", "churn date", "churned", "cancelled at",
           "cancellation date", "lost date", "date lost", "nutraukta", "atteikuma data",
           "pametimo data", "aizgāja", "дата ухода", "дата оттока", "ушел", "تاریخ ریزش",
           "تاریخ لغو"),
        _f("web_user_id", "text", 255, "ga4 user id", "ga user id", "google analytics user id",
           "analytics user id", "web user id", "client id (ga)", "ga client id",
           "naudotojo id (ga)", "lietotāja id (ga)", "id пользователя ga", "شناسه کاربر وب",
           description="the web analytics (GA4) user id the exporting system keeps for the customer; "
           "joins web behaviour to the customer in the one customer view"),
        _f("updated_at", "datetime", 0, *UPDATED),
    ),
    "deals": (
        _f("external_id", "text", 255, "deal id", "order id", "opportunity id", "order number",
           "order no", "order", "deal", *ID, "užsakymo nr", "užsakymo numeris", "sandorio id",
           "pasūtījuma nr", "pasūtījuma numurs", "darījuma id", "номер заказа", "id сделки",
           "заказ", "شماره سفارش", "شناسه معامله"),
        _f("name", "text", 300, "deal name", "opportunity name", "name", "title", "sandorio pavadinimas",
           "pavadinimas", "darījuma nosaukums", "nosaukums", "название сделки", "название",
           "نام معامله", "عنوان"),
        _f("pipeline", "text", 100, "pipeline", "sales pipeline", "piltuvas", "pārdošanas piltuve",
           "воронка", "پایپ لاین", "قیف فروش"),
        _f("stage", "text", 100, "deal stage", "stage", "status", "order status", "opportunity stage",
           "etapas", "būsena", "statusas", "posms", "statuss", "стадия", "этап", "статус",
           "статус заказа", "مرحله", "وضعیت", "وضعیت سفارش"),
        _f("amount", "number", 0, "amount", "total", "order total", "value", "deal value", "revenue",
           "price", "grand total", "suma", "vertė", "kaina", "summa", "vērtība", "cena", "сумма",
           "стоимость", "итого", "مبلغ", "جمع کل", "ارزش"),
        _f("currency", "text", 8, "currency", "currency code", "valiuta", "valūta", "валюта", "ارز",
           "واحد پول"),
        _f("created_at", "datetime", 0, *CREATED, "order date", "date", "užsakymo data", "data",
           "pasūtījuma datums", "datums", "дата заказа", "дата", "تاریخ سفارش", "تاریخ"),
        _f("closed_at", "datetime", 0, "close date", "closed at", "closed date", "won date",
           "completed at", "paid at", "payment date", "uždarymo data", "apmokėjimo data", "apmaksas datums",
           "дата оплаты", "تاریخ پرداخت", "uzdaryta", "slēgšanas datums", "дата закрытия",
           "закрыто", "تاریخ بستن", "تاریخ بسته شدن"),
        _f("won", "bool", 0, "won", "is won", "closed won", "outcome", "result", "laimėta", "rezultatas",
           "uzvarēts", "rezultāts", "выиграна", "результат", "برنده", "نتیجه",
           description="yes/no; when unmapped, read from the stage (won, paid, completed … / lost, "
           "cancelled, refunded …)"),
        _f("customer_external_id", "text", 255, *CUSTOMER_REF),
        _f("company_external_id", "text", 255, "company id", "account id", "company", "account",
           "įmonė", "uzņēmums", "компания", "شرکت"),
        _f("owner_id", "text", 255, *OWNER),
        _f("updated_at", "datetime", 0, *UPDATED),
    ),
    "tickets": (
        _f("external_id", "text", 255, "ticket id", "case id", "case number", "ticket number", "ticket",
           "request id", *ID, "užklausos nr", "bilieto id", "pieteikuma nr", "pieteikuma id",
           "номер заявки", "номер тикета", "id обращения", "شماره تیکت", "شناسه تیکت"),
        _f("subject", "text", 500, "subject", "title", "summary", "tema", "pavadinimas", "temats",
           "nosaukums", "тема", "заголовок", "موضوع", "عنوان"),
        _f("channel", "text", 40, *CHANNEL, "via", "origin", "case origin", "source"),
        _f("status", "text", 60, "status", "state", "ticket status", "būsena", "statusas", "statuss",
           "stāvoklis", "статус", "состояние", "وضعیت"),
        _f("priority", "text", 40, "priority", "urgency", "prioritetas", "prioritāte", "приоритет",
           "اولویت"),
        _f("created_at", "datetime", 0, *CREATED, "opened", "opened at", "date opened",
           "requested", "sukūrimo laikas", "atidaryta", "atvērts", "открыто", "تاریخ باز شدن"),
        _f("first_response_at", "datetime", 0, "first response at", "first response", "first reply at",
           "first replied at", "first response time", "pirmas atsakymas", "pirmā atbilde",
           "первый ответ", "время первого ответа", "اولین پاسخ", "زمان اولین پاسخ"),
        _f("resolved_at", "datetime", 0, "resolved at", "resolved", "solved at", "closed at", "closed",
           "resolution date", "date closed", "išspręsta", "uždaryta", "atrisināts", "slēgts",
           "решено", "закрыто", "дата решения", "حل شده", "تاریخ حل", "بسته شده"),
        _f("reopened", "bool", 0, "reopened", "was reopened", "reopens", "atidaryta iš naujo",
           "atkārtoti atvērts", "переоткрыто", "بازگشایی مجدد"),
        _f("satisfaction", "number", 0, "satisfaction", "satisfaction score", "csat", "rating",
           "satisfaction rating", "pasitenkinimas", "įvertinimas", "apmierinātība", "vērtējums",
           "удовлетворенность", "оценка", "رضایت", "امتیاز رضایت"),
        _f("satisfaction_scale", "integer", 0, "satisfaction scale", "rating scale", "scale", "skalė",
           "skala", "шкала", "مقیاس"),
        _f("customer_external_id", "text", 255, *CUSTOMER_REF, "requester", "requester email",
           "requester id", "užsakovas", "pieprasītājs", "заявитель", "درخواست کننده"),
        _f("owner_id", "text", 255, *OWNER),
        _f("assigned_at", "datetime", 0, "assigned at", "assigned", "assignment date", "priskirta",
           "piešķirts", "назначено", "дата назначения", "تاریخ تخصیص"),
        _f("auto_assigned", "bool", 0, "auto assigned", "auto-assigned", "assigned by rule",
           "automatic assignment", "automatiškai priskirta", "automātiski piešķirts", "автоназначение",
           "назначено автоматически", "تخصیص خودکار"),
        _f("updated_at", "datetime", 0, *UPDATED),
    ),
    "interactions": (
        _f("external_id", "text", 255, "activity id", "interaction id", "engagement id", "event id",
           *ID, "veiklos id", "aktivitātes id", "id активности", "id события", "شناسه فعالیت"),
        _f("type", "text", 40, "type", "activity type", "interaction type", "engagement type", "event",
           "tipas", "veiklos tipas", "tips", "veids", "тип", "тип активности", "نوع", "نوع فعالیت",
           required=True, description="call, email, meeting, task, chat, visit …; a default can "
           "stand in for a missing column"),
        _f("channel", "text", 40, *CHANNEL),
        _f("journey_stage", "text", 40, *STAGE, "stage", "etapas", "posms", "этап", "مرحله"),
        _f("direction", "text", 20, "direction", "inbound/outbound", "kryptis", "virziens",
           "направление", "جهت"),
        _f("automated", "bool", 0, "automated", "automatic", "workflow", "is automated", "sent by workflow",
           "automatinis", "automātisks", "автоматически", "автоматическое", "خودکار"),
        _f("occurred_at", "datetime", 0, "occurred at", "date", "timestamp", "activity date", "time",
           "datetime", "when", "data", "laikas", "datums", "laiks", "дата", "время", "дата активности",
           "تاریخ", "زمان"),
        _f("customer_external_id", "text", 255, *CUSTOMER_REF),
        _f("owner_id", "text", 255, *OWNER),
    ),
    "feedback": (
        _f("external_id", "text", 255, "response id", "respondent id", "responseid", "submission id",
           "record id", "token", "#", *ID, "atsakymo id", "atbildes id", "id ответа", "شناسه پاسخ",
           description="the survey tool's response id: answers are counted once per source and "
           "response id"),
        _f("score", "number", 0, "score", "rating", "nps", "nps score", "csat", "csat score", "ces",
           "ces score", "answer", "value", "likelihood to recommend", "net promoter score",
           "customer effort score", "satisfaction", "overall rating", "įvertinimas", "balas",
           "vērtējums", "punkti", "оценка", "балл", "рейтинг", "امتیاز", "نمره", required=True),
        _f("metric", "text", 10, "metric", "survey type", "question type", "metrika", "metrika",
           "метрика", "نوع نظرسنجی", description="nps, csat or ces; a default stands in for a "
           "missing column"),
        _f("scale_min", "integer", 0, "scale min", "min", "minimum"),
        _f("scale_max", "integer", 0, "scale max", "max", "maximum"),
        _f("question", "text", 2000, "question", "question text", "klausimas", "jautājums", "вопрос",
           "سوال"),
        _f("comment", "text", 10000, "comment", "comments", "feedback", "reason", "why", "verbatim",
           "komentaras", "komentārs", "atsauksme", "комментарий", "отзыв", "نظر", "توضیحات"),
        _f("touchpoint", "text", 100, "touchpoint", "survey", "survey name", "kontaktinis taškas",
           "saskares punkts", "точка контакта", "نقطه تماس"),
        _f("channel", "text", 40, *CHANNEL),
        _f("journey_stage", "text", 40, *STAGE, "stage"),
        _f("submitted_at", "datetime", 0, "submitted at", "submit date", "submit date (utc)",
           "date submitted", "end date", "recorded date", "recordeddate", "completed at", "timestamp",
           "response date", "date", "pateikta", "data", "iesniegts", "datums", "дата ответа", "дата",
           "отправлено", "تاریخ پاسخ", "تاریخ"),
        _f("customer_external_id", "text", 255, *CUSTOMER_REF, "email", "email address", "respondent email",
           "el. paštas", "e-pasts", "эл. почта", "ایمیل"),
        _f("ticket_external_id", "text", 255, "ticket id", "case id", "ticket", "užklausos nr",
           "pieteikuma nr", "номер заявки", "شماره تیکت"),
    ),
}

PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ك": "ک", "\u200c": " ", "ة": "ه"})
_PUNCTUATION = re.compile(r"[\s._:;*/\\|()\[\]{}'\"`\-–—]+")


def normal_header(text: str) -> str:
    """A header as compared: lower case, accents and punctuation gone, one space between words."""
    text = unicodedata.normalize("NFKD", text.translate(PERSIAN_LETTERS).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _PUNCTUATION.sub(" ", text).strip()


def field_spec(kind: str, name: str) -> FieldSpec:
    """One field of a kind (``KeyError`` for an unknown one)."""
    return next(spec for spec in FIELDS[kind] if spec.name == name)


def field_names(kind: str) -> list[str]:
    """The fields a column of this kind of file may fill, in table order."""
    return [spec.name for spec in FIELDS[kind]]


def synonyms_markdown() -> str:
    """The header synonyms table of ``docs/file-import.md`` (a test keeps the page in step)."""
    lines = ["| file | field | type | header names (en, lt, lv, ru, fa) |", "|---|---|---|---|"]
    for kind, specs in FIELDS.items():
        for spec in specs:
            names = ", ".join(dict.fromkeys(spec.synonyms))
            note = f" *{spec.description}*" if spec.description else ""
            required = " (required)" if spec.required else ""
            lines.append(f"| {kind} | `{spec.name}`{required} | {spec.type} | {names}{note} |")
    return "\n".join(lines)
