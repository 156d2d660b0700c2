"""From tagged spans to records and canonical fields: the tables' and the prose's, merged.

`inference.tables` rebuilds the standard tables (2019/2021 national tables, old 附表) and says
which character ranges they cover; `inference.prose` reads every other COUNT span. Merging:

- a field a printed table states is the table's value, whatever the prose says (spec rule 6);
- in the national templates a table group (applications, review, litigation, table 2 items) that
  the tables state is the tables' alone: prose summaries of it (`予以公开和部分公开53件`) are
  records without fields;
- otherwise prose decides among its own statements (`prose.prose_fields`: own section, exact, first).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from functools import cache

from inference.catalogue import SOLE_CHANNEL_TOTALS, combined_parts, get_field
from inference.lexicon import SENTENCE_BREAK
from inference.link import FieldGuess, FieldLinker, cue_clause, none_cues
from inference.metadata import ReportMeta, foreign_part_start, issuer_scope
from inference.prose import (
    alone_in_sentence,
    each_of_list,
    is_negation_record,
    load_prose_lexicon,
    names_its_family,
    only_count_of_its_family,
    prose_fields,
    prose_records,
    sentence_rules,
    sole_channel,
)
from inference.records import Check, Number, Record, Span
from inference.tables import extract_tables
from inference.values import parse_quantity

logger = logging.getLogger(__name__)


TABLE_GROUPS: tuple[str, ...] = ("applications", "review", "litigation")
"""Field groups a national table states in full; prose statements of them give way."""


@dataclass
class Assembly:
    """Records (offsets into the normalised text), the fields they state, and table layout checks."""

    records: list[Record] = field(default_factory=list)
    fields: dict[str, Number] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    template: str | None = None
    undecided: frozenset[str] = frozenset()
    """Fields a table prints but no reading decides (no value): identities with them are not checked."""


def field_group(field_id: str) -> str:
    """`applications.granted.total` → `applications`; `proactive.rules.made` → `proactive.rules`."""
    head = field_id.split(".", 1)[0]
    if head in TABLE_GROUPS:
        return head
    return field_id.rsplit(".", 1)[0]


def is_table_only(field_id: str) -> bool:
    """A field the catalogue knows only from the national tables (not `any`, not `pre2019`).

    `applications.denied_total.total` is a table row; `litigation.total` is a prose/old-template total.
    """
    parts = field_id.split("+")[0]
    entry = get_field(parts)
    if entry is None:
        return False
    generations = set(entry.generation.split("|"))
    return not generations & {"any", "pre2019"}


def in_template(field_id: str, template: str | None) -> bool:
    """Whether a report of `template` (2019, 2021, pre2019; None: unknown) can state `field_id`:
    every part of a combined id is catalogued for that generation (or `any`), or the prose lexicon
    reads it there (`applications.new.total` is a 2019+ table row and every generation's requests).

    >>> in_template("proactive.normative.made", "pre2019"), in_template("applications.new.total", "pre2019")
    (False, True)
    """
    return all(_part_in_template(part, template) for part in combined_parts(field_id))


@cache
def _part_in_template(field_id: str, template: str | None) -> bool:
    field = get_field(field_id)
    if field is None:
        return False
    generations = field.generation.split("|")
    if template is None or "any" in generations or template in generations:
        return True
    rows = load_prose_lexicon()
    return any(
        r.field == field_id and r.kind in ("field", "negation") and r.applies_to(template) for r in rows
    )


def unit_fits(field_id: str, unit: str) -> bool:
    """Whether a count in `unit` ("" for a bare number) can be `field_id`'s value: every part of a
    combined id accepts it in some prose-lexicon row that lists units (a field no row constrains
    accepts any). `培训工作人员200余人次` is no staff count: staff are counted in 人/名/位.

    >>> unit_fits("staff.full_time", "人次"), unit_fits("training.participants", "人次")
    (False, True)
    """
    return all(_part_unit_fits(part, unit) for part in combined_parts(field_id))


@cache
def _part_unit_fits(field_id: str, unit: str) -> bool:
    rows = [r for r in load_prose_lexicon() if r.kind == "field" and r.field == field_id]
    if not rows or any(r.units is None for r in rows):
        return True
    return any(unit in r.units for r in rows)


def merge_fields(
    table_fields: dict[str, Number],
    prose: dict[str, Number],
    *,
    template: str | None,
    cut_groups: set[str] | frozenset[str] = frozenset(),
    undecided: set[str] | frozenset[str] = frozenset(),
) -> tuple[dict[str, Number], set[str]]:
    """Table values win; in national templates prose gives way in whole groups the tables state
    (not in `cut_groups`, groups of a table the text ends inside: there it fills the rows not printed),
    and prose never fills a field of a printed row the table reader could not decide (`undecided`):
    the table states it, and a count found elsewhere is another figure or the same one, unknown.

    Returns the merged fields (catalogue-independent order: tables first) and the prose ids dropped.
    """
    merged = dict(table_fields)
    national = template in ("2019", "2021")
    table_groups = {field_group(k) for k in table_fields} - set(cut_groups) if national else set()
    dropped = set()
    for key, value in prose.items():
        if key in merged or key in undecided or (field_group(key) in table_groups and is_table_only(key)):
            if key not in merged or merged[key] != value:
                dropped.add(key)
            continue
        merged[key] = value
    return merged, dropped


def _unclaimed(
    spans: list[Span], covered: list[tuple[int, int]], table_records: list[Record]
) -> list[Record]:
    """Field-less records for COUNT spans in a table that no cell claimed: every count is kept."""
    claimed = [(r.start, r.end) for r in table_records]
    out = []
    for span in spans:
        if span.label != "COUNT" or not any(a <= span.start < b for a, b in covered):
            continue
        if any(a < span.end and span.start < b for a, b in claimed):
            continue
        quantity = parse_quantity(span.text, cell=True)
        if quantity is None:
            continue
        out.append(
            Record(
                "",
                (),
                quantity.value,
                quantity.unit,
                quantity.approx,
                None,
                span.start,
                span.end,
                span.text,
                span.score,
            )
        )
    return out


LINKING_MODES: tuple[str, ...] = ("fallback", "feature", "pure")
"""How the learned linker and the hand-written lexicons share the prose counts:
`fallback` (default) the linker decides where it is confident, the lexicons elsewhere;
`feature` the linker decides every count, seeing the lexicons' reading as a feature;
`pure` the linker decides every count from the text alone (no lexicon at all)."""


def relink(linker: FieldLinker, text: str, records: list[Record], template: str | None, *, mode: str):
    """Prose records with the learned linker's field where it decides (see `LINKING_MODES`).

    In `fallback` mode filling a gap or choosing another field needs the linker's `threshold`,
    taking a field away its stricter `clear_threshold`; in the other modes a count the linker is
    not confident about (below `threshold`) gets no field. Collapsed table rows (a digit run of 8+
    digits without a unit) are the table reader's and keep no field; so do counts the lexicons'
    context rules exclude (`Record.excluded`: a plan, another year, a running total), except in
    `pure` mode, which uses no hand-written knowledge. Where one reads a sole channel and the other
    its total (`SOLE_CHANNEL_TOTALS`), the count keeps both fields.
    """
    counts = [r for r in records if not is_negation_record(r) and not _digit_run(r)]
    if mode != "pure":  # plans, other years' and running totals stay without a field
        counts = [r for r in counts if r.excluded is None]
    spans = [Span(r.start, r.end, "COUNT", r.text) for r in counts]
    hints = None if mode == "pure" else [r.field or "" for r in counts]
    decided, both = {}, []
    for record, guess in zip(counts, linker.link(text, spans, template, hints), strict=True):
        if guess.field and not (in_template(guess.field, template) and unit_fits(guess.field, record.unit)):
            guess = FieldGuess("", 0.0)  # another template generation's field, or a unit it is not counted in
        if mode != "fallback":
            decided[id(record)] = guess.field or None if guess.prob >= linker.threshold else None
        elif _sole_channel_pair(record.field, guess.field) and guess.prob >= linker.threshold:
            both.append(replace(record, field=guess.field))
        elif _overrides(linker, record.field or "", guess):
            decided[id(record)] = guess.field or None
    if mode == "fallback":
        _keep_moved_fields(counts, decided)
    kept = [r for r in records if mode == "fallback" or not is_negation_record(r)]
    out = [_decide(r, decided[id(r)]) if id(r) in decided else r for r in kept]
    if mode != "pure":  # a total read amid its own parts is none, whoever read it
        out = sentence_rules(text, out, template)
    if mode == "fallback":
        both += _sole_channel_twins(text, [r for r in out if not is_negation_record(r)], both)
    return out + both


def _keep_moved_fields(counts: list[Record], decided: dict[int, str | None]) -> None:
    """Where the linker takes a field away from one count and gives it to another, it contradicts
    the lexicons on where the field is stated (`全年共发布169条` cleared, `印发公文类政府信息共510条`
    filled): the lexicons' reading stays, and `prose_fields` prefers it to the linker's."""
    given = {decided[id(r)] for r in counts if id(r) in decided and decided[id(r)]}
    for record in counts:
        if id(record) in decided and decided[id(record)] is None and record.field in given:
            del decided[id(record)]


def _decide(record: Record, field_id: str | None) -> Record:
    """`record` with the linker's field, marked `linked_by` where it differs from the lexicons'."""
    if field_id == record.field:
        return record
    return replace(record, field=field_id, linked_by="linker" if field_id else None)


def _sole_channel_twins(text: str, records: list[Record], twins: list[Record]) -> list[Record]:
    """A total whose clause names one channel as its only carrier (`全年通过区政府网站共公开信息314条`)
    states that channel's count too (`SOLE_CHANNEL_TOTALS`), unless a twin already says so."""
    done = {(r.start, r.field) for r in twins}
    out = []
    for record in records:
        channel = sole_channel(text, record.start) if record.field else None
        if channel is not None and SOLE_CHANNEL_TOTALS.get(channel) == record.field:
            if (record.start, channel) not in done:
                out.append(replace(record, field=channel))
        elif (
            channel in SOLE_CHANNEL_TOTALS
            and channel == record.field
            and only_count_of_its_family(record, records)
            and alone_in_sentence(text, record, records)
        ):
            total = SOLE_CHANNEL_TOTALS[channel]  # `我区在政府网站平台主动公开政府信息1136条`, nothing else
            if (record.start, total) not in done:
                out.append(replace(record, field=total))
    return out


def _sole_channel_pair(lexicon_field: str | None, linker_field: str) -> bool:
    """The lexicons read a sole channel and the linker its total, or the other way round: the
    count states both (`SOLE_CHANNEL_TOTALS`), and both readings are kept."""
    pair = {lexicon_field, linker_field}
    return any(pair == {channel, total} for channel, total in SOLE_CHANNEL_TOTALS.items())


def _digit_run(record: Record) -> bool:
    return not record.unit and sum(c.isdigit() for c in record.text) >= 8


def _overrides(linker: FieldLinker, lexicon_field: str, guess: FieldGuess) -> bool:
    """Whether the linker's guess replaces the lexicons' reading: filling a gap needs `threshold`,
    choosing another field `switch_threshold`, taking a field away (a count the lexicons link, the
    linker not) `clear_threshold`: a dropped value is a lost value."""
    if guess.field == lexicon_field:
        return False
    if "+" in lexicon_field and guess.field in combined_parts(lexicon_field):
        return False  # `微博微信公开信息2148条`: the lexicons read both names joined, the linker one of them
    if lexicon_field and not guess.field:
        return guess.prob >= linker.clear_threshold
    if lexicon_field:
        return guess.prob >= linker.switch_threshold
    return guess.prob >= linker.threshold


def learned_zeros(
    linker: FieldLinker,
    text: str,
    covered: list[tuple[int, int]],
    template: str | None,
    *,
    lexicon: bool = True,
) -> list[Record]:
    """Zero records (convention 4) for the statements of none the linker's `none` head reads; with
    `lexicon`, only where the cue's clause or the rest of its sentence names what the field counts
    (`无专项经费` is no statement about fees collected: `prose.names_its_family`)."""
    cues = none_cues(text, tuple(covered))
    out = []
    for cue, guesses in zip(cues, linker.zeros(text, cues, template), strict=True):
        sentence_end = SENTENCE_BREAK.search(text, cue.end)
        named = text[cue_clause(text, cue.start, cue.end)[0] : sentence_end.start() if sentence_end else None]
        for guess in guesses:
            if not in_template(guess.field, template):
                continue
            if lexicon and not names_its_family(guess.field, named):
                continue
            out.append(Record("", (), 0, "", False, guess.field, cue.start, cue.end, cue.text, guess.prob))
    return out


def assemble(
    text: str,
    spans: list[Span],
    meta: ReportMeta,
    *,
    offsets: tuple[int, ...] | None = None,
    linker: FieldLinker | None = None,
    linking: str = "fallback",
) -> Assembly:
    """Link COUNT spans to METRIC/CATEGORY spans and map them to catalogue fields.

    `offsets` (the normaliser's map to the input) lets the table parser see blank cells that
    whitespace normalisation squeezed out of one-line tables. `linker` (the learned field linker)
    decides the fields of prose counts with the lexicons as `linking` says (`LINKING_MODES`).
    """
    # another year's report or an appendix of other bodies' figures after the report: not read
    foreign = foreign_part_start(text, meta)
    own_text = text if foreign is None else text[:foreign]
    tables = extract_tables(own_text, spans, template=meta.template, offsets=offsets, year=meta.year)
    table_records, table_fields = list(tables.records), dict(tables.fields)
    table_checks, covered = list(tables.checks), list(tables.covered)
    if foreign is not None:
        covered.append((foreign, len(text)))
    prose = prose_records(
        text,
        spans,
        template=meta.template,
        year=meta.year,
        covered=covered,
        lexicon=linking != "pure",
        scope=issuer_scope(meta),
    )
    if linker is not None:
        prose = relink(linker, text, prose, meta.template, mode=linking)
        prose += learned_zeros(linker, text, covered, meta.template, lexicon=linking != "pure")
    if linking != "pure":  # `行政复议、行政诉讼各1件`: the count of each thing listed
        prose = each_of_list(text, prose, meta.template)
    fields, dropped = merge_fields(
        table_fields,
        prose_fields(prose, text),
        template=meta.template,
        cut_groups=tables.cut_groups,
        undecided=tables.undecided,
    )
    if dropped:
        logger.debug("prose fields given way to tables: %s", sorted(dropped))
    # a prose record whose field the tables state keeps its reading but not its claim
    prose = [replace(r, field=None) if r.field in dropped else r for r in prose]
    records = sorted(
        table_records + prose + _unclaimed(spans, covered, table_records), key=lambda r: (r.start, r.end)
    )
    undecided = frozenset(f for f in tables.undecided if f not in fields)
    return Assembly(
        records=records, fields=fields, checks=table_checks, template=meta.template, undecided=undecided
    )
