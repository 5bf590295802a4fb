"""FHIR R4/R4B Bundles as sources: one segment per resource, addressed ``ResourceType/id``.

Each segment's ``text`` is a readable rendering ("Condition: Essential hypertension;
clinical status active; onset 2010-03-01") and its ``meta`` holds the resource's typed facts
as strings (``resource_type``, ``display``, ``code``, ``status``, ``value``, ``unit``,
``date``, ``end``, ``interpretation``, ``ref_low``, ``ref_high``, ``dose``,
``instructions``, ...); :func:`resource_facts` reads them back as :class:`ResourceFacts`.
Every resource is validated with ``fhir.resources.R4B`` (the ``fhir`` extra); resource
types the library does not know are kept with a generic rendering.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date as Day
from datetime import datetime
from typing import Any

from evident.errors import InputError, missing_extra
from evident.sources.fhir_render import render_resource, resource_meta
from evident.types import Segment, Source

__all__ = [
    "FHIR_DEFAULT_MAX_BYTES",
    "ResourceFacts",
    "bundle_entries",
    "looks_like_fhir",
    "parse_fhir",
    "resource_facts",
]

# Bundles are verbose (a Synthea patient is 1-3 MB); the general input limit is for text.
FHIR_DEFAULT_MAX_BYTES = 50_000_000


@dataclass(frozen=True)
class ResourceFacts:
    """The typed facts of one resource segment.

    Attributes:
        ref: ``ResourceType/id``.
        resource_type: The FHIR resource type.
        display: What it is (code text or display).
        code: ``system|code`` of its primary code, or ``""``.
        status: Its status (clinical status for conditions and allergies).
        value: Observation value (a number as text, or a coded/string value).
        unit: Unit of a quantity value.
        date: Effective / onset / authored / occurrence / start date (ISO), or None.
        end: Abatement / end date, or None.
        interpretation: Interpretation code (``H``, ``L``, ``A``...), or ``""``.
        ref_low: Reference range low, or None.
        ref_high: Reference range high, or None.
        meta: Every fact as stored on the segment.
    """

    ref: str
    resource_type: str
    display: str
    code: str
    status: str
    value: str
    unit: str
    date: Day | None
    end: Day | None
    interpretation: str
    ref_low: float | None
    ref_high: float | None
    meta: dict[str, str]

    @property
    def number(self) -> float | None:
        """The value as a number, when it is one."""
        return _float(self.value)


def resource_facts(segment: Segment) -> ResourceFacts:
    """Read the typed facts of a resource segment."""
    meta = segment.meta
    return ResourceFacts(
        ref=segment.id,
        resource_type=meta.get("resource_type", segment.id.split("/", 1)[0]),
        display=meta.get("display", ""),
        code=meta.get("code", ""),
        status=meta.get("status", ""),
        value=meta.get("value", ""),
        unit=meta.get("unit", ""),
        date=_date(meta.get("date")),
        end=_date(meta.get("end")),
        interpretation=meta.get("interpretation", ""),
        ref_low=_float(meta.get("ref_low")),
        ref_high=_float(meta.get("ref_high")),
        meta=dict(meta),
    )


def looks_like_fhir(text: str) -> bool:
    """Whether decoded text is a JSON FHIR resource (it names a ``resourceType``)."""
    head = text.lstrip()[:4000]
    return head.startswith("{") and '"resourceType"' in head


def parse_fhir(text: str, name: str = "bundle", validate: bool = True) -> Source:
    """Parse a JSON FHIR Bundle (or a single resource) into a ``fhir`` Source.

    Args:
        text: The decoded JSON.
        name: Source id, used in error messages.
        validate: Validate each resource with ``fhir.resources.R4B``.

    Raises:
        InputError: Not JSON, not a Bundle or resource, or a resource fails validation
            (the message names ``ResourceType/id`` and the failing element).
        ConfigError: Validation was asked for and the ``fhir`` extra is not installed.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"'{name}' is not valid JSON (line {exc.lineno})") from None
    except RecursionError:
        raise InputError(f"'{name}' is JSON nested too deeply to read") from None
    resources, bundle_type = _resources(data, name)
    if validate:
        _validate(resources, name)
    return _build(resources, name, bundle_type)


def bundle_entries(bundle: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """A Bundle's ``entry``, checked to be a list of objects (absent: none).

    Raises:
        InputError: It is not; the message names the file and the entry, not its value.
    """
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise InputError(f"'{name}': Bundle.entry is not a list")
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise InputError(f"'{name}': Bundle.entry[{index}] is not an object")
    return entries


def _resources(data: Any, name: str) -> tuple[list[dict[str, Any]], str]:
    if not isinstance(data, dict) or "resourceType" not in data:
        raise InputError(f"'{name}' is not a FHIR resource (no resourceType)")
    if data["resourceType"] != "Bundle":
        return [data], "resource"
    resources = []
    for index, entry in enumerate(bundle_entries(data, name)):
        resource = entry.get("resource")
        if not isinstance(resource, dict) or not resource.get("resourceType"):
            raise InputError(f"'{name}': Bundle.entry[{index}] has no resource with a resourceType")
        if not resource.get("id"):
            raise InputError(f"'{name}': {resource['resourceType']} at entry[{index}] has no id")
        resources.append(resource)
    if not resources:
        raise InputError(f"'{name}' is a Bundle without resources")
    return resources, str(data.get("type", ""))


def _validate(resources: list[dict[str, Any]], name: str) -> None:
    try:
        from fhir.resources.R4B import get_fhir_model_class
    except ImportError:
        raise missing_extra("fhir.resources", "fhir") from None
    from pydantic import ValidationError

    for resource in resources:
        kind = str(resource["resourceType"])
        try:
            model = get_fhir_model_class(kind)
        except ValueError:
            continue  # not an R4B type: kept with the generic rendering
        try:
            model.model_validate(resource)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or kind
            ref = f"{kind}/{resource.get('id')}"
            raise InputError(
                f"'{name}': FHIR resource {ref} is invalid at {where} ({first['type']})"
            ) from None


def _build(resources: list[dict[str, Any]], name: str, bundle_type: str) -> Source:
    segments: list[Segment] = []
    parts: list[str] = []
    offset = 0
    seen: set[str] = set()
    for resource in resources:
        ref = f"{resource['resourceType']}/{resource['id']}"
        if ref in seen:
            raise InputError(f"'{name}': resource {ref} appears twice")
        seen.add(ref)
        text = render_resource(resource)
        meta = resource_meta(resource)
        segments.append(
            Segment(
                id=ref, text=text, start=offset, end=offset + len(text), kind="resource", meta=meta
            )
        )
        parts.append(text)
        offset += len(text) + 1
    meta = {"format": "fhir-json", "bundle_type": bundle_type, "resources": str(len(segments))}
    return Source(id=name, kind="fhir", text="\n".join(parts), segments=tuple(segments), meta=meta)


def fhir_max_bytes(max_bytes: int | None) -> int:
    """The size limit for a FHIR input: the given one, the environment's, or 50 MB."""
    if max_bytes is not None:
        return max_bytes
    from evident.sources.load import MAX_BYTES_ENV, max_input_bytes

    if os.environ.get(MAX_BYTES_ENV, "").strip():
        return max_input_bytes(None)
    return FHIR_DEFAULT_MAX_BYTES


def _date(value: str | None) -> Day | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:10]).date()
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except ValueError:
        return None
