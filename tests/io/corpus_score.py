"""How well column recognition does on the import corpus: used by test_recognition.py and the bench.

A column is right when it lands where the corpus expects: the field, IGNORE for "_ignore", or kept
as a custom field (unmapped) for "_custom". A column expected to hold data that ends as IGNORE, or
in a sheet whose header is not found, is "dropped": the import would lose it without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.build import Case

from chamberdesk.io.mappings import IGNORE, detect_header, detect_kind


@dataclass
class Score:
    columns: int = 0
    right: int = 0
    dropped: int = 0
    kinds_right: int = 0
    sheets: int = 0
    misses: list[str] = field(default_factory=list)  # "case column: expected → got (why)"

    @property
    def share(self) -> float:
        return self.right / self.columns if self.columns else 0.0

    def add(self, other: Score) -> None:
        self.columns += other.columns
        self.right += other.right
        self.dropped += other.dropped
        self.kinds_right += other.kinds_right
        self.sheets += other.sheets
        self.misses += other.misses


def score_case(case: Case) -> Score:
    """Recognise one corpus sheet (its rows as the office typed them) and compare with its answers."""
    out = Score(sheets=1)
    guess = detect_header(case.kind, case.rows, case.merged)
    kind, _conf = detect_kind(case.rows, case.sheet_name, case.merged)
    out.kinds_right = int(kind == case.kind)
    if kind != case.kind:
        out.misses.append(f"{case.name}: 表的种类 {case.kind} → {kind}")
    if guess is not None and [guess.first_row, guess.last_row] != [case.header_rows[0], case.header_rows[-1]]:
        out.misses.append(f"{case.name}: 表头行 {case.header_rows} → {[guess.first_row, guess.last_row]}")
    unmapped = set(guess.unmapped) if guess else set()
    for c, exp in enumerate(case.expected):
        accepted = exp if isinstance(exp, list) else [exp]
        out.columns += 1
        if guess is None:
            got, why = "（没找到表头）", ""
        elif c in guess.mapping:
            got, why = guess.mapping[c], guess.reasons.get(c, "")
        elif c in unmapped:
            got, why = "_custom", guess.reasons.get(c, "")
        else:
            got, why = "（空列）", ""
        if got in accepted:
            out.right += 1
            continue
        if any(a != IGNORE for a in accepted) and got not in ("_custom",) and (guess is None or got == IGNORE
                                                                             or got == "（空列）"):
            out.dropped += 1
        title = guess.titles[c] if guess and c < len(guess.titles) else ""
        out.misses.append(f"{case.name} 第{c + 1}列“{title}”: {'/'.join(accepted)} → {got}（{why}）")
    return out


def score_cases(cases: list[Case]) -> Score:
    total = Score()
    for case in cases:
        total.add(score_case(case))
    return total
