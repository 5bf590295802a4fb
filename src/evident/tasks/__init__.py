"""Clinical tasks (scribe, evidence_qa, ...), each one module, registered as plugins."""

from evident.tasks.base import Task, available_tasks, load_task

__all__ = ["Task", "available_tasks", "load_task"]
