"""FHIR records in, a synthetic table in the middle, FHIR records out.

:func:`patient_table` derives one row per patient from FHIR R4 bundles: gender, age band,
yes/no flags for common conditions and medications, and the latest value of common
observations, all declared in ``resources/fhir_table.yaml`` (public domains, never read
from the records). :func:`table_spec` is that table's column spec; :func:`to_bundle`
writes one synthetic row back as a FHIR R4B collection Bundle (Patient, Condition,
MedicationStatement, Observation), validated with ``fhir.resources``.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evident.errors import ConfigError, InputError
from evident.synthetic.spec import TableSpec

__all__ = ["columns", "load_bundles", "patient_table", "table_spec", "to_bundle"]

MAX_BUNDLES = 100_000
MAX_BUNDLE_BYTES = 50 * 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Coded(_Strict):
    system: str
    code: str
    display: str
    terms: tuple[str, ...] = Field(min_length=1)


class _Observed(_Strict):
    code: str
    display: str
    unit: str
    lower: float
    upper: float
    bins: int = Field(ge=1, le=100)


class _TableData(_Strict):
    version: str
    age_bands: tuple[str, ...]
    genders: tuple[str, ...]
    conditions: dict[str, _Coded]
    medications: dict[str, _Coded]
    observations: dict[str, _Observed]


@cache
def _data() -> _TableData:
    path = resources.files("evident.synthetic").joinpath("resources", "fhir_table.yaml")
    try:
        return _TableData.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"cannot load synthetic/resources/fhir_table.yaml: {exc}") from None


def load_bundles(folder: Path) -> list[dict[str, Any]]:
    """The FHIR bundles (``*.json``) of a folder, checked for size and shape.

    Raises:
        InputError: No bundles, one over the size limit, not JSON or not a Bundle.
    """
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not paths:
        raise InputError(f"no FHIR bundles (*.json) in '{folder.name}'")
    if len(paths) > MAX_BUNDLES:
        raise InputError(f"over {MAX_BUNDLES} bundles in '{folder.name}'")
    out = []
    for p in paths:
        if p.stat().st_size > MAX_BUNDLE_BYTES:
            raise InputError(f"'{p.name}' is over {MAX_BUNDLE_BYTES} bytes")
        try:
            data = json.loads(p.read_bytes())
        except (ValueError, RecursionError):
            raise InputError(f"'{p.name}' is not JSON") from None
        if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
            raise InputError(f"'{p.name}' is not a FHIR Bundle")
        _check_entries(data, p.name)
        out.append(data)
    return out


def _check_entries(bundle: dict[str, Any], name: str) -> None:
    from evident.sources.fhir import bundle_entries

    for i, entry in enumerate(bundle_entries(bundle, name)):
        if not isinstance(entry.get("resource", {}), dict):
            raise InputError(f"'{name}': Bundle.entry[{i}].resource is not an object")


def _text(resource: dict[str, Any], key: str) -> str:
    concept = resource.get(key) or {}
    parts = [str(concept.get("text", ""))]
    parts += [str(c.get("display", "")) for c in concept.get("coding", [])]
    return " ".join(parts).lower()


def _active(resource: dict[str, Any]) -> bool:
    if resource["resourceType"] == "Condition":
        codes = [c.get("code") for c in (resource.get("clinicalStatus") or {}).get("coding", [])]
        return not codes or "active" in codes or "recurrence" in codes
    return resource.get("status") in (None, "active", "completed", "intended")


def _age_band(birth: str, as_of: date) -> str:
    born = date.fromisoformat(birth[:10])
    age = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
    for band, (lo, hi) in zip(
        _data().age_bands, ((0, 17), (18, 39), (40, 64), (65, 79), (80, 200)), strict=True
    ):
        if lo <= age <= hi:
            return band
    return _data().age_bands[-1]


def _values(resource: dict[str, Any]) -> list[tuple[str, float]]:
    """(LOINC code, value) of an Observation and of its components."""
    out = []
    for part in [resource, *resource.get("component", [])]:
        qty = part.get("valueQuantity") or {}
        if isinstance(qty.get("value"), int | float):
            for coding in (part.get("code") or {}).get("coding", []):
                out.append((str(coding.get("code")), float(qty["value"])))
    return out


def _row(bundle: dict[str, Any], as_of: date) -> dict[str, str]:
    data = _data()
    res = [e.get("resource", {}) for e in bundle.get("entry", []) if isinstance(e, dict)]
    patient = next((r for r in res if r.get("resourceType") == "Patient"), None)
    if patient is None or "birthDate" not in patient:
        raise InputError("a bundle has no Patient with a birthDate")
    gender = patient.get("gender") if patient.get("gender") in data.genders else "unknown"
    row = {"gender": str(gender), "age_band": _age_band(str(patient["birthDate"]), as_of)}
    conds = [_text(r, "code") for r in res if r.get("resourceType") == "Condition" and _active(r)]
    meds = [
        _text(r, "medicationCodeableConcept")
        for r in res
        if r.get("resourceType") in ("MedicationRequest", "MedicationStatement") and _active(r)
    ]
    for name, c in data.conditions.items():
        row[f"condition_{name}"] = "yes" if any(t in x for x in conds for t in c.terms) else "no"
    for name, m in data.medications.items():
        row[f"medication_{name}"] = "yes" if any(t in x for x in meds for t in m.terms) else "no"
    latest: dict[str, tuple[str, float]] = {}
    for r in res:
        if r.get("resourceType") != "Observation":
            continue
        when = str(r.get("effectiveDateTime", ""))
        for code, value in _values(r):
            if code not in latest or when >= latest[code][0]:
                latest[code] = (when, value)
    for name, o in data.observations.items():
        row[f"obs_{name}"] = str(latest[o.code][1]) if o.code in latest else ""
    return row


def patient_table(bundles: list[dict[str, Any]], as_of: date | None = None) -> Any:
    """One row per bundle's patient (a pandas DataFrame of text cells)."""
    import pandas as pd

    day = as_of or date.today()
    rows = []
    for i, bundle in enumerate(bundles, start=1):
        try:
            rows.append(_row(bundle, day))
        except (AttributeError, TypeError, KeyError, ValueError):
            # The bundles are not validated as FHIR: a string where a CodeableConcept
            # belongs, or an impossible birth date, is bad input, named without its value.
            raise InputError(
                f"bundle {i} (in file-name order) has a resource of an unexpected shape "
                "or an impossible date"
            ) from None
    return pd.DataFrame(rows)


def columns(kind: str) -> tuple[str, ...]:
    """The names a kind of column (``conditions``, ``medications``, ``observations``) has."""
    return tuple(getattr(_data(), kind))


def table_spec(keep: dict[str, tuple[str, ...]] | None = None) -> TableSpec:
    """The column spec of :func:`patient_table`, entirely from the public data file.

    Args:
        keep: For ``conditions``, ``medications`` and ``observations``, the names to
            synthesise (the rest are dropped); None keeps all.

    Raises:
        InputError: A name that the data file does not declare.
    """
    data = _data()
    keep = keep or {}
    for kind, names in keep.items():
        unknown = [n for n in names if n not in getattr(data, kind)]
        if unknown:
            raise InputError(f"unknown {kind[:-1]} column '{unknown[0]}'; declared: "
                             + ", ".join(getattr(data, kind)))  # fmt: skip
    cols: dict[str, Any] = {
        "gender": {"type": "categorical", "categories": list(data.genders)},
        "age_band": {"type": "categorical", "categories": list(data.age_bands)},
    }
    drop = {"type": "drop"}
    for name in data.conditions:
        flag = {"type": "categorical", "categories": ["no", "yes"]}
        cols[f"condition_{name}"] = flag if name in keep.get("conditions", (name,)) else drop
    for name in data.medications:
        flag = {"type": "categorical", "categories": ["no", "yes"]}
        cols[f"medication_{name}"] = flag if name in keep.get("medications", (name,)) else drop
    for name, o in data.observations.items():
        if name not in keep.get("observations", (name,)):
            cols[f"obs_{name}"] = drop
            continue
        cols[f"obs_{name}"] = {
            "type": "continuous",
            "lower": o.lower,
            "upper": o.upper,
            "bins": o.bins,
            "nullable": True,
        }
    return TableSpec.model_validate({"columns": cols})


_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
_BAND_AGE = {"0-17": 9, "18-39": 28, "40-64": 52, "65-79": 72, "80+": 85}


def _coding(c: _Coded) -> dict[str, Any]:
    return {
        "coding": [{"system": c.system, "code": c.code, "display": c.display}],
        "text": c.display,
    }


def _condition(pid: str, name: str, c: _Coded) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": f"{pid}-c-{name}".replace("_", "-"),
        "subject": {"reference": f"Patient/{pid}"},
        "code": _coding(c),
        "clinicalStatus": {"coding": [{"system": _CLINICAL, "code": "active"}]},
    }


def _medication(pid: str, name: str, m: _Coded) -> dict[str, Any]:
    return {
        "resourceType": "MedicationStatement",
        "id": f"{pid}-m-{name}".replace("_", "-"),
        "status": "active",
        "subject": {"reference": f"Patient/{pid}"},
        "medicationCodeableConcept": _coding(m),
    }


def _observation(pid: str, name: str, o: _Observed, value: float, day: date) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"{pid}-o-{name}".replace("_", "-"),
        "status": "final",
        "subject": {"reference": f"Patient/{pid}"},
        "code": {"coding": [{"system": "http://loinc.org", "code": o.code, "display": o.display}]},
        "effectiveDateTime": day.isoformat(),
        "valueQuantity": {
            "value": round(value, 1),
            "unit": o.unit,
            "system": "http://unitsofmeasure.org",
            "code": o.unit,
        },
    }


def to_bundle(row: dict[str, Any], index: int, as_of: date) -> dict[str, Any]:
    """A synthetic patient as a FHIR R4B collection Bundle, validated.

    Raises:
        ConfigError: ``fhir.resources`` is not installed (the ``fhir`` extra).
    """
    data = _data()
    pid = f"synthetic-{index:06d}"
    age = _BAND_AGE.get(str(row["age_band"]), 50)
    entries: list[dict[str, Any]] = [
        {
            "resourceType": "Patient",
            "id": pid,
            "gender": row["gender"],
            "birthDate": f"{as_of.year - age}-01-01",
        }
    ]
    for name, c in data.conditions.items():
        if row.get(f"condition_{name}") == "yes":
            entries.append(_condition(pid, name, c))
    for name, m in data.medications.items():
        if row.get(f"medication_{name}") == "yes":
            entries.append(_medication(pid, name, m))
    for name, o in data.observations.items():
        value = row.get(f"obs_{name}")
        if value is not None and value == value:  # NaN is missing
            entries.append(_observation(pid, name, o, float(value), as_of))
    bundle = {
        "resourceType": "Bundle",
        "id": pid,
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{e['id']}", "resource": e} for e in entries],
    }
    try:
        from fhir.resources.R4B.bundle import Bundle
    except ImportError:
        raise ConfigError("fhir.resources is not installed: pip install 'evident[fhir]'") from None
    Bundle.model_validate(bundle)
    return bundle
