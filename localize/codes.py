"""The codes of the checks, their severities, and what a project does with their findings.

The light half of ``localize.checks``: the configuration names codes (``[check] ignore``
and ``warn``) and check reports findings kept from earlier runs without loading the
checks themselves (Markdown, Babel, the glossaries). ``localize.checks`` says what each
code means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from localize.model import ERROR, WARNING, Finding

CODES: dict[str, tuple[str, str]] = {
    "E001": (ERROR, "the PO file does not parse"),
    "E002": (ERROR, "duplicate message definition"),
    "E010": (ERROR, "Language header missing or disagrees with the folder"),
    "E011": (ERROR, "Plural-Forms wrong for the language"),
    "E012": (ERROR, "Plural-Forms unreadable or missing"),
    "E013": (ERROR, "charset not UTF-8"),
    "E014": (ERROR, "no header entry"),
    "E101": (ERROR, "translated below min_translated"),
    "E102": (ERROR, "out of date with the source"),
    "E103": (ERROR, "no source article (orphan)"),
    "E104": (ERROR, "source article cannot be read"),
    "E201": (ERROR, "link URL changed"),
    "E202": (ERROR, "image URL changed"),
    "E203": (ERROR, "inline code changed"),
    "E204": (ERROR, "emphasis differs"),
    "E205": (ERROR, "HTML tags differ"),
    "E206": (ERROR, "footnote references differ"),
    "E301": (ERROR, "placeholder missing"),
    "E302": (ERROR, "unknown placeholder"),
    "E303": (ERROR, "wrong number of plural forms"),
    "E304": (ERROR, "empty plural form"),
    "W101": (WARNING, "translation identical to the msgid"),
    "W102": (WARNING, "number missing"),
    "W201": (WARNING, "whitespace differs"),
    "W202": (WARNING, "final punctuation differs"),
    "W203": (WARNING, "doubled spaces"),
    "W204": (WARNING, "unusual quotation marks"),
    "W205": (WARNING, "length differs much"),
    "E401": (ERROR, "forbidden glossary translation"),
    "E402": (ERROR, "the glossary cannot be read"),
    "W401": (WARNING, "glossary term not translated as approved"),
}


@dataclass(frozen=True)
class CheckPolicy:
    """What a project does with the findings of some checks: ``ignore`` drops them, ``warn``
    reports an error as a warning (so that it fails only with --strict)."""

    ignore: frozenset[str] = frozenset()
    warn: frozenset[str] = frozenset()

    def then(self, override: CheckPolicy) -> CheckPolicy:
        """This policy with a language's on top: where both name a code, the language's says."""
        named = override.ignore | override.warn
        return CheckPolicy(ignore=(self.ignore - named) | override.ignore, warn=(self.warn - named) | override.warn)


def apply_policy(findings: Iterable[Finding], policy: CheckPolicy) -> tuple[list[Finding], list[Finding]]:
    """The findings kept (errors the policy downgrades turned into warnings), and those it ignores."""
    kept: list[Finding] = []
    ignored: list[Finding] = []
    for found in findings:
        if found.code in policy.ignore:
            ignored.append(found)
        elif found.code in policy.warn and found.severity == ERROR:
            kept.append(replace(found, severity=WARNING, downgraded=True))
        else:
            kept.append(found)
    return kept, ignored


def finding(code: str, message: str, path: Path, line: int | None = None) -> Finding:
    return Finding(code=code, severity=CODES[code][0], message=message, path=path, line=line)
