"""Model backends behind one protocol, chosen by a spec string (see registry)."""

from evident.models.base import Backend, Generation, GenerationRequest, Message
from evident.models.offline import OfflineBackend
from evident.models.registry import available_backends, load_backend, resolve_spec

__all__ = [
    "Backend",
    "Generation",
    "GenerationRequest",
    "Message",
    "OfflineBackend",
    "available_backends",
    "load_backend",
    "resolve_spec",
]
