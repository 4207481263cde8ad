"""The curation file: an analyst's corrections to names, labels, places and speakers, as data.

A YAML file (`--curation FILE`, TEXTLAKE_CURATION, default `<data dir>/curation.yaml`) with up to five
sections, each optional:

    merge:              # a name → the canonical name it is (entities.canonical, quotes.speaker_canonical)
      Van der Bellen: Alexander Van der Bellen
    label:              # a canonical name → its label everywhere (PER, LOC, ORG or MISC; a speaker's too)
      Irmgard Griss: PER
    drop:               # names that name nothing: their mentions are taken out
      - Men von
    place:              # a place name → its GeoNames id, one textlake's place lookup has
      Wien: 2761369
    speaker:            # a speaker name → who spoke (null: nobody)
      STANDARD: null

Every run applies it to its new rows before they are written (`curate_tables`, `pinned_places`), and
`textlake curate apply` to the rows in the warehouse (textlake.warehouse.curation); both record each value
changed in `curation_log`. The rules apply in the order above, each to the values the one before left
("merge: A → B" then "label: B → PER" labels A's mentions too). A rule never reached (a label for a name
merged away) is an error, as is anything else the file cannot mean: it is said in one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from textlake.lake.contracts import schema
from textlake.nlp.places import Place, place_of, places_by_id

LABELS = ("PER", "LOC", "ORG", "MISC")
SPEAKER_LABELS = ("PER", "ORG", "LOC")  # quotes.speaker_label: a MISC label leaves a speaker's as it is
SECTIONS = ("merge", "label", "drop", "place", "speaker")
NOBODY = "nobody"  # how a rule's log writes a speaker set to NULL


class CurationError(ValueError):
    """A curation file that cannot be read or means nothing clear: one line saying where and why."""


Fail = Callable[[str, str], CurationError]  # (section, message) → the error to raise


@dataclass(frozen=True)
class Curation:
    merges: Mapping[str, str] = field(default_factory=dict)  # alias → name, chains followed to their end
    labels: Mapping[str, str] = field(default_factory=dict)
    drops: frozenset[str] = frozenset()
    places: Mapping[str, Place] = field(default_factory=dict)  # place name → the place it is pinned to
    speakers: Mapping[str, str | None] = field(default_factory=dict)  # speaker name → who spoke, None: nobody
    file: str = ""  # where it was read, as given
    sha256: str = ""

    @property
    def empty(self) -> bool:
        return not (self.merges or self.labels or self.drops or self.places or self.speakers)

    @property
    def rules(self) -> int:
        return len(self.merges) + len(self.labels) + len(self.drops) + len(self.places) + len(self.speakers)

    def names(self) -> set[str]:
        """Every name a rule reads or writes: the rows a rule may change have one of them."""
        speakers = {name for pair in self.speakers.items() for name in pair if name is not None}
        return {*self.merges, *self.merges.values(), *self.labels, *self.drops, *self.places, *speakers}

    def place_names(self) -> set[str]:
        """The names whose `places` row a rule may change: whether a place mention uses them, or which place."""
        return {*self.merges, *self.merges.values(), *self.labels, *self.drops, *self.places}


NO_CURATION = Curation()


def read_curation(path: Path, required: bool = False) -> Curation:
    """The curation file at `path`; none (no rules) when it does not exist and is not `required` (the default
    file of a data dir is optional, one given by name is not). Raises CurationError."""
    if not path.is_file():
        if required or path.exists():
            raise CurationError(f"curation file {path}: no such file")
        return NO_CURATION
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CurationError(f"curation file {path}: not UTF-8 text") from None
    return parse_curation(text, str(path), hashlib.sha256(raw).hexdigest())


def parse_curation(text: str, file: str, sha256: str = "") -> Curation:
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise CurationError(f"curation file {file}: not YAML: {where}{problem}") from None
    spec = {} if spec is None else spec
    if not isinstance(spec, dict):
        raise CurationError(f"curation file {file}: expected sections ({', '.join(SECTIONS)}), found a {_kind(spec)}")
    unknown = [str(key) for key in spec if key not in SECTIONS]
    if unknown:
        raise CurationError(f"curation file {file}: unknown section {unknown[0]!r} (sections: {', '.join(SECTIONS)})")

    def fail(section: str, message: str) -> CurationError:
        return CurationError(f"curation file {file}: {section}: {message}")

    merges = _followed(_names_to_names(spec.get("merge"), "merge", fail), fail)
    labels = _names_to_names(spec.get("label"), "label", fail)
    for name, label in labels.items():
        if label not in LABELS:
            raise fail("label", f"{name!r}: {label!r} is not one of {', '.join(LABELS)}")
    drops = frozenset(_names(spec.get("drop"), fail))
    pins = _pins(spec.get("place"), fail)
    speakers = _speakers(spec.get("speaker"), fail)
    _unreached(merges, labels, drops, pins, speakers, fail)
    known = places_by_id(pins.values())
    for name, geonames_id in pins.items():
        if geonames_id not in known:
            raise fail("place", f"{name!r}: {geonames_id} is no GeoNames id of textlake's place lookup")
    places = {name: known[geonames_id] for name, geonames_id in pins.items()}
    return Curation(merges, labels, drops, places, speakers, file, sha256)


def _kind(value: object) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "yes/no"}.get(type(value), "value")


def _name(value: object, section: str, fail: Fail) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(section, f"{value!r} is no name: write names as text (quote them: 'Null', '2022')")
    return value.strip()


def _names_to_names(value: object, section: str, fail: Fail) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail(section, f"expected NAME: VALUE lines, found a {_kind(value)}")
    return {_name(key, section, fail): _name(target, section, fail) for key, target in value.items()}


def _names(value: object, fail: Fail) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail("drop", f"expected a list of names ('- NAME' lines), found a {_kind(value)}")
    return [_name(item, "drop", fail) for item in value]


def _pins(value: object, fail: Fail) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail("place", f"expected NAME: GEONAMES ID lines, found a {_kind(value)}")
    pins = {}
    for key, geonames_id in value.items():
        if isinstance(geonames_id, bool) or not isinstance(geonames_id, int) or geonames_id < 1:
            raise fail("place", f"{key!r}: {geonames_id!r} is no GeoNames id (a whole number, e.g. 2761369)")
        pins[_name(key, "place", fail)] = geonames_id
    return pins


def _speakers(value: object, fail: Fail) -> dict[str, str | None]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail("speaker", f"expected NAME: WHO SPOKE lines (null: nobody), found a {_kind(value)}")
    return {
        _name(key, "speaker", fail): None if target is None else _name(target, "speaker", fail)
        for key, target in value.items()
    }


def _followed(merges: dict[str, str], fail: Fail) -> dict[str, str]:
    """Each alias → the end of its chain ("A: B", "B: C" merge A into C); a name merged into itself, or a
    cycle, is an error."""
    followed = {}
    for alias in merges:
        seen, name = [alias], merges[alias]
        while name in merges:
            if name in seen:
                raise fail("merge", f"a cycle: {' → '.join([*seen, name])}")
            seen.append(name)
            name = merges[name]
        if name == alias:
            raise fail("merge", f"{alias!r} is merged into itself")
        followed[alias] = name
    return followed


def _unreached(
    merges: dict[str, str],
    labels: dict[str, str],
    drops: frozenset[str],
    pins: dict[str, int],
    speakers: dict[str, str | None],
    fail: Fail,
) -> None:
    """Rules that an earlier one keeps from ever applying: the file would not do what it says."""
    for name in drops:
        if name in merges or name in merges.values():
            raise fail("drop", f"{name!r} is merged too: drop it or merge it")
    for section, names in (("label", labels), ("place", pins), ("speaker", speakers)):
        for name in names:
            if name in drops:
                raise fail(section, f"{name!r} is dropped: no mention keeps that name")
            if name in merges:
                raise fail(section, f"{name!r} is merged into {merges[name]!r}: write the rule for {merges[name]!r}")
    for alias, spoke in speakers.items():  # a speaker's new name is written after the merges and drops
        if spoke == alias:
            raise fail("speaker", f"{alias!r} → {spoke!r} changes nothing (a label rule sets a speaker's label)")
        if spoke in merges:
            raise fail("speaker", f"{alias!r} → {spoke!r}, which is merged into {merges[spoke]!r}: name that")
        if spoke in drops:
            raise fail("speaker", f"{alias!r} → {spoke!r}, which is dropped")


def rule_text(section: str, name: str, value: object = None) -> str:
    """How the log writes a rule: 'merge: A → B', 'drop: A', 'speaker: A → nobody'."""
    if section == "drop":
        return f"drop: {name}"
    shown = NOBODY if value is None else value.geonames_id if isinstance(value, Place) else value
    return f"{section}: {name} → {shown}"


@dataclass(frozen=True)
class Application:
    """One application of a curation file: a run to its new rows, or `curate apply` to the warehouse."""

    curation: Curation
    application_id: str
    applied_at: dt.datetime
    log: list[dict[str, Any]] = field(default_factory=list)

    def record(self, rule: str, table: str, key: str, column: str, change: str, old: object, new: object) -> None:
        self.log.append({
            "application_id": self.application_id, "applied_at": self.applied_at, "rule": rule,
            "table_name": table, "row_key": key, "column_name": column, "change": change,
            "old_value": None if old is None else str(old), "new_value": None if new is None else str(new),
            "curation_file": self.curation.file, "curation_sha256": self.curation.sha256,
        })  # fmt: skip

    def log_table(self) -> pa.Table:
        return pa.Table.from_pylist(self.log, schema=schema("curation_log"))


@dataclass(frozen=True)
class Curated:
    entities: pa.Table
    quotes: pa.Table
    removed_per_document: Counter[str]  # entity mentions taken out, per doc_id


def curate_tables(application: Application, entities: pa.Table, quotes: pa.Table) -> Curated:
    """The entities and quotes rows with the curation applied, each change recorded in the application's log.
    Only rows a rule names are read; the rest pass as they are."""
    curation = application.curation
    if curation.empty:
        return Curated(entities, quotes, Counter())
    entities, removed_ids, removed = _curated_entities(application, entities)
    return Curated(entities, _curated_quotes(application, quotes, removed_ids), removed)


def _touched(table: pa.Table, column: str, names: Iterable[str]) -> list[int]:
    """Indices of the rows whose `column` is one of `names`."""
    mask = pc.is_in(table.column(column), value_set=pa.array(sorted(names), pa.string()))
    return [int(i) for i in pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()]


def _curated_entities(application: Application, entities: pa.Table) -> tuple[pa.Table, dict[str, str], Counter[str]]:
    """The rows with the rules applied; the mentions taken out (entity_id → the dropped name), per document."""
    curation = application.curation
    rows = _touched(entities, "canonical", curation.names())
    if not rows:
        return entities, {}, Counter()
    ids, docs = entities.column("entity_id").to_pylist(), entities.column("doc_id").to_pylist()
    canonical, labels = entities.column("canonical").to_pylist(), entities.column("label").to_pylist()
    keep = [True] * entities.num_rows
    removed_ids: dict[str, str] = {}
    removed: Counter[str] = Counter()
    for i in rows:
        name, label = canonical[i], labels[i]
        if name in curation.drops:
            application.record(rule_text("drop", name), "entities", ids[i], "canonical", "removed", name, None)
            keep[i] = False
            removed_ids[ids[i]] = name
            removed[docs[i]] += 1
            continue
        if name in curation.merges:
            merged = curation.merges[name]
            application.record(
                rule_text("merge", name, merged), "entities", ids[i], "canonical", "updated", name, merged
            )
            canonical[i] = name = merged
        if name in curation.labels and curation.labels[name] != label:
            labelled = curation.labels[name]
            application.record(
                rule_text("label", name, labelled), "entities", ids[i], "label", "updated", label, labelled
            )
            labels[i] = labelled
    entities = _with(entities, canonical=canonical, label=labels)
    return (entities.filter(pa.array(keep)) if removed_ids else entities), removed_ids, removed


def _curated_quotes(application: Application, quotes: pa.Table, removed_ids: dict[str, str]) -> pa.Table:
    curation = application.curation
    rows = sorted(set(_touched(quotes, "speaker_canonical", curation.names()))
                  | set(_touched(quotes, "speaker_entity_id", removed_ids)))  # fmt: skip
    if not rows:
        return quotes
    ids = quotes.column("quote_id").to_pylist()
    names, labels = quotes.column("speaker_canonical").to_pylist(), quotes.column("speaker_label").to_pylist()
    entities = quotes.column("speaker_entity_id").to_pylist()

    def record(rule: str, i: int, column: str, old: object, new: object) -> None:
        application.record(rule, "quotes", ids[i], column, "updated", old, new)

    for i in rows:
        name, label, entity = names[i], labels[i], entities[i]
        if entity in removed_ids:  # the mention it named was dropped
            record(rule_text("drop", removed_ids[entity]), i, "speaker_entity_id", entity, None)
            entity = None
        if name in curation.drops:
            record(rule_text("drop", name), i, "speaker_canonical", name, None)
            record(rule_text("drop", name), i, "speaker_label", label, None)
            name = label = None
        elif name in curation.merges:
            record(rule_text("merge", name, curation.merges[name]), i, "speaker_canonical", name, curation.merges[name])
            name = curation.merges[name]
        if name is not None and name in curation.speakers and curation.speakers[name] != name:
            rule, spoke = rule_text("speaker", name, curation.speakers[name]), curation.speakers[name]
            record(rule, i, "speaker_canonical", name, spoke)
            if entity is not None:  # the entity the text names is not who spoke
                record(rule, i, "speaker_entity_id", entity, None)
                entity = None
            if spoke is None:
                record(rule, i, "speaker_label", label, None)
                label = None
            name = spoke
        wanted = curation.labels.get(name) if name is not None else None
        if wanted in SPEAKER_LABELS and wanted != label:
            record(rule_text("label", str(name), wanted), i, "speaker_label", label, wanted)
            label = wanted
        names[i], labels[i], entities[i] = name, label, entity
    return _with(quotes, speaker_canonical=names, speaker_label=labels, speaker_entity_id=entities)


def _with(table: pa.Table, **columns: list[Any]) -> pa.Table:
    for name, values in columns.items():
        index = table.schema.get_field_index(name)
        table = table.set_column(index, table.schema.field(index), pa.array(values, table.schema.field(index).type))
    return table


def with_entity_counts(documents: pa.Table, removed_per_document: Counter[str]) -> pa.Table:
    """documents with n_entities lowered by the mentions curation took out of each."""
    if not removed_per_document:
        return documents
    counts = [
        n - removed_per_document.get(doc_id, 0)
        for doc_id, n in zip(documents.column("doc_id").to_pylist(), documents.column("n_entities").to_pylist(),
                             strict=True)
    ]  # fmt: skip
    return _with(documents, n_entities=counts)


def pinned_places(application: Application, names: Iterable[str], looked_up: Mapping[str, Place]) -> dict[str, Place]:
    """The places the lookup found for `names`, with the file's pins instead where it has one (recorded when
    the pin changes what the lookup gave)."""
    places = dict(looked_up)
    for name in sorted(set(names) & set(application.curation.places)):
        pinned, found = application.curation.places[name], place_of(name, places)
        if found is None or found.geonames_id != pinned.geonames_id:
            old = found.geonames_id if found else None
            application.record(rule_text("place", name, pinned), "places", name, "geonames_id", "updated", old,
                               pinned.geonames_id)  # fmt: skip
        places[name] = pinned
    return places
