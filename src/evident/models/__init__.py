"""Model backends behind one protocol, chosen by a spec string (see registry)."""

from evident.models.base import Backend, Generation, GenerationRequest, Message
from evident.models.fallback import FallbackBackend
from evident.models.hf import HFBackend
from evident.models.offline import OfflineBackend
from evident.models.openai_compat import OpenAICompatibleBackend
from evident.models.registry import available_backends, load_backend, resolve_spec
from evident.models.settings import RetryPolicy

__all__ = [
    "Backend",
    "FallbackBackend",
    "Generation",
    "GenerationRequest",
    "HFBackend",
    "Message",
    "OfflineBackend",
    "OpenAICompatibleBackend",
    "RetryPolicy",
    "available_backends",
    "load_backend",
    "resolve_spec",
]
