"""Clinical tasks (scribe, evidence_qa, ...), each one module, registered as plugins."""

from evident.tasks.base import CheckingTask, Task, available_tasks, load_task

__all__ = ["CheckingTask", "Task", "available_tasks", "load_task"]
