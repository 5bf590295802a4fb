"""The ``chart`` task: a chart summary of a FHIR record whose every statement cites resources.

With a language model the task sends a versioned prompt (``resources/prompt_v1.txt``) and
validates the model's JSON (:class:`ChartOutput`); with the ``offline`` backend it writes
the summary deterministically from the resources' facts (:mod:`evident.tasks.chart.engine`).
Its ``check`` compares each statement's status, values and dates with the resources it
cites (:mod:`evident.tasks.chart.check`). Register:
``[project.entry-points."evident.tasks"] chart = "evident.tasks.chart:create"``.
"""

from evident.tasks.chart.check import check_facts, statement_mismatch
from evident.tasks.chart.engine import SECTIONS, write_chart
from evident.tasks.chart.record import ChartRecord, abnormal, chart_record
from evident.tasks.chart.schema import ChartOutput, ChartStatement
from evident.tasks.chart.task import ChartTask, create

__all__ = [
    "SECTIONS",
    "ChartOutput",
    "ChartRecord",
    "ChartStatement",
    "ChartTask",
    "abnormal",
    "chart_record",
    "check_facts",
    "create",
    "statement_mismatch",
    "write_chart",
]
