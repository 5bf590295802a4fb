"""Interface stage: the REST API, the clinician review page and the monitoring page.

``create_app(ServerSettings(...))`` builds the FastAPI app; ``evident serve`` runs it.
Tasks plug in through :func:`register_task_adapter` (or the ``evident.server_tasks``
entry-point group).
"""

from typing import Any

from evident.server.settings import ServerSettings, default_db_url
from evident.server.tasks import (
    DemoTranscript,
    TaskAdapter,
    TaskInput,
    demo_transcripts,
    register_task_adapter,
    task_adapters,
)
from evident.server.users import ROLES, Principal, UserStore

__all__ = [
    "ROLES",
    "DemoTranscript",
    "Principal",
    "ServerSettings",
    "TaskAdapter",
    "TaskInput",
    "UserStore",
    "create_app",
    "default_db_url",
    "demo_transcripts",
    "register_task_adapter",
    "task_adapters",
]


def create_app(settings: ServerSettings | None = None, state: Any = None) -> Any:
    """Build the FastAPI app (imports FastAPI lazily; see :mod:`evident.server.app`)."""
    from evident.server.app import create_app as _create

    return _create(settings, state)
