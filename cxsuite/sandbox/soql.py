"""A small, strict SOQL subset: what incremental connectors send, and nothing else.

``SELECT f[, f...] FROM Object [WHERE cond] [ORDER BY f [ASC|DESC][, ...]] [LIMIT n]`` where
``cond`` compares a field (``= != <> < <= > >=``, ``IN (...)``) with a datetime, date, string,
number, boolean or null literal, joined by AND/OR with parentheses. Mixing AND and OR without
parentheses is rejected, as Salesforce does. Anything else is a ``MALFORMED_QUERY`` in
Salesforce's own wording, so a connector that builds unsupported SOQL finds out here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cxsuite.sandbox.common import parse_time

_TOKEN = re.compile(
    r"""\s*(?:(?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))
    |(?P<date>\d{4}-\d{2}-\d{2})|(?P<number>-?\d+(?:\.\d+)?)|(?P<string>'(?:[^'\\]|\\.)*')
    |(?P<op><=|>=|!=|<>|=|<|>)|(?P<punct>[(),])|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))""",
    re.X,
)
_KEYWORDS = {
    "SELECT",
    "FROM",
    "WHERE",
    "AND",
    "OR",
    "ORDER",
    "BY",
    "ASC",
    "DESC",
    "LIMIT",
    "IN",
    "NULL",
    "TRUE",
    "FALSE",
}


class SoqlError(ValueError):
    """A query Salesforce rejects; ``code`` is its errorCode."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Comparison:
    """``field op value``."""

    field: str
    op: str
    value: Any


@dataclass
class Junction:
    """AND or OR of conditions."""

    op: str
    parts: list[Comparison | Junction]


@dataclass
class Query:
    """A parsed SELECT."""

    fields: list[str]
    sobject: str
    where: Comparison | Junction | None = None
    order: list[tuple[str, bool]] = field(default_factory=list)
    limit: int | None = None


@dataclass
class _Tok:
    kind: str
    text: str
    column: int


def _tokenize(text: str) -> list[_Tok]:
    tokens, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise _malformed(text, pos + 1, text[pos:].split()[0] if text[pos:].split() else "")
        kind = match.lastgroup or "word"
        tokens.append(_Tok(kind, match.group(kind), match.start(kind) + 1))
        pos = match.end()
    return tokens


def _malformed(query: str, column: int, token: str) -> SoqlError:
    caret = " " * (column - 1) + "^"
    return SoqlError(
        "MALFORMED_QUERY", f"\n{query}\n{caret}\nERROR at Row:1:Column:{column}\nunexpected token: {token}"
    )


class _Parser:
    def __init__(self, text: str) -> None:
        self.text, self.tokens, self.i = text, _tokenize(text), 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def fail(self) -> SoqlError:
        tok = self.peek()
        return _malformed(self.text, tok.column if tok else len(self.text) + 1, tok.text if tok else "<EOF>")

    def keyword(self, word: str, required: bool = True) -> bool:
        tok = self.peek()
        if tok and tok.kind == "word" and tok.text.upper() == word:
            self.i += 1
            return True
        if required:
            raise self.fail()
        return False

    def name(self) -> str:
        tok = self.peek()
        if not tok or tok.kind != "word" or tok.text.upper() in _KEYWORDS:
            raise self.fail()
        self.i += 1
        return tok.text

    def punct(self, char: str) -> bool:
        tok = self.peek()
        if tok and tok.kind == "punct" and tok.text == char:
            self.i += 1
            return True
        return False

    def query(self) -> Query:
        self.keyword("SELECT")
        fields = [self.name()]
        while self.punct(","):
            fields.append(self.name())
        self.keyword("FROM")
        query = Query(fields, self.name())
        if self.keyword("WHERE", required=False):
            query.where = self.condition()
        if self.keyword("ORDER", required=False):
            self.keyword("BY")
            query.order = self.ordering()
        if self.keyword("LIMIT", required=False):
            tok = self.peek()
            if not tok or tok.kind != "number" or "." in tok.text:
                raise self.fail()
            self.i, query.limit = self.i + 1, int(tok.text)
        if self.peek() is not None:
            raise self.fail()
        return query

    def ordering(self) -> list[tuple[str, bool]]:
        order = []
        while True:
            name = self.name()
            descending = self.keyword("DESC", required=False)
            if not descending:
                self.keyword("ASC", required=False)
            order.append((name, descending))
            if not self.punct(","):
                return order

    def condition(self) -> Comparison | Junction:
        parts, joiner = [self.operand()], None
        while (tok := self.peek()) and tok.kind == "word" and tok.text.upper() in ("AND", "OR"):
            if joiner and tok.text.upper() != joiner:
                raise self.fail()
            joiner = tok.text.upper()
            self.i += 1
            parts.append(self.operand())
        return parts[0] if joiner is None else Junction(joiner, parts)

    def operand(self) -> Comparison | Junction:
        if self.punct("("):
            inner = self.condition()
            if not self.punct(")"):
                raise self.fail()
            return inner
        name = self.name()
        if self.keyword("IN", required=False):
            return Comparison(name, "IN", self.value_list())
        tok = self.peek()
        if not tok or tok.kind != "op":
            raise self.fail()
        self.i += 1
        return Comparison(name, "!=" if tok.text == "<>" else tok.text, self.literal())

    def value_list(self) -> list[Any]:
        if not self.punct("("):
            raise self.fail()
        values = [self.literal()]
        while self.punct(","):
            values.append(self.literal())
        if not self.punct(")"):
            raise self.fail()
        return values

    def literal(self) -> Any:
        tok = self.peek()
        if tok is None:
            raise self.fail()
        self.i += 1
        if tok.kind == "datetime":
            return parse_time(tok.text)
        if tok.kind == "date":
            return date.fromisoformat(tok.text)
        if tok.kind == "number":
            return float(tok.text)
        if tok.kind == "string":
            return tok.text[1:-1].replace("\\'", "'")
        if tok.kind == "word" and tok.text.upper() in ("NULL", "TRUE", "FALSE"):
            return {"NULL": None, "TRUE": True, "FALSE": False}[tok.text.upper()]
        self.i -= 1
        raise self.fail()


def parse(text: str) -> Query:
    """Parse ``text`` or raise ``SoqlError`` (MALFORMED_QUERY)."""
    return _Parser(text.strip()).query()


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a is not None and a < b,
    "<=": lambda a, b: a is not None and a <= b,
    ">": lambda a, b: a is not None and a > b,
    ">=": lambda a, b: a is not None and a >= b,
    "IN": lambda a, b: a in b,
}


def _coerce(raw: Any, like: Any) -> Any:
    """A record's wire value in the literal's type (datetimes and dates arrive as text)."""
    if raw is None or like is None:
        return raw
    if isinstance(like, datetime):
        return parse_time(raw)
    if isinstance(like, date):
        return date.fromisoformat(str(raw)[:10])
    if isinstance(like, float) and not isinstance(raw, bool):
        return float(raw)
    return raw


def matches(cond: Comparison | Junction | None, record: dict[str, Any]) -> bool:
    """Evaluate a WHERE clause against a record keyed by canonical field names."""
    if cond is None:
        return True
    if isinstance(cond, Junction):
        results = (matches(part, record) for part in cond.parts)
        return all(results) if cond.op == "AND" else any(results)
    sample = cond.value[0] if isinstance(cond.value, list) and cond.value else cond.value
    try:
        return _COMPARE[cond.op](_coerce(record.get(cond.field), sample), cond.value)
    except (TypeError, ValueError) as exc:
        raise SoqlError("INVALID_QUERY_FILTER_OPERATOR", f"invalid comparison on {cond.field}") from exc


def fields_in(cond: Comparison | Junction | None) -> list[str]:
    """Every field a WHERE clause names (for INVALID_FIELD checks)."""
    if cond is None:
        return []
    if isinstance(cond, Comparison):
        return [cond.field]
    return [name for part in cond.parts for name in fields_in(part)]
