"""The evaluation harness: medical benchmarks, re-scoring, bias probes, conversations.

Everything runs from local files against any backend (see docs/evals.md):

- :func:`load_benchmark` reads MIRAGE (medqa, medmcqa, pubmedqa, bioasq, mmlu), PubMedQA
  with contexts (``pubmedqa-context``) and MEDEC (``medec``);
- :func:`run_benchmark` runs items with bounded concurrency, a resumable JSONL cache
  keyed by (model, prompt version, item) and a ``results.json``;
- :func:`rescore` re-scores recorded outputs under MIRAGE's published convention and a
  robust extractor (:func:`extract_choice`);
- :func:`run_bias` and :func:`run_conversations` run counterfactual bias probes and
  doctor-patient conversation tests; :func:`write_report` renders the HTML report.
"""

from evident.evals.bias import analyse_bias, make_variants, run_bias
from evident.evals.bias_rules import ATTRIBUTES, probe_status, rewrite
from evident.evals.conversation import converse, run_conversations, split_vignette
from evident.evals.extract import Extraction, extract_choice, mirage_choice
from evident.evals.items import EvalItem
from evident.evals.loaders import BENCHMARKS, MIRAGE_DATASETS, load_benchmark
from evident.evals.offline import offline_answer
from evident.evals.records import ItemRecord, RecordCache
from evident.evals.report import write_report
from evident.evals.rescore import RescoreResult, load_predictions, rescore
from evident.evals.runner import RunOutcome, evaluate_item, run_benchmark
from evident.evals.score import Scored, score_output
from evident.evals.stats import newcombe_diff, wilson

__all__ = [
    "ATTRIBUTES",
    "BENCHMARKS",
    "MIRAGE_DATASETS",
    "EvalItem",
    "Extraction",
    "ItemRecord",
    "RecordCache",
    "RescoreResult",
    "RunOutcome",
    "Scored",
    "analyse_bias",
    "converse",
    "evaluate_item",
    "extract_choice",
    "load_benchmark",
    "load_predictions",
    "make_variants",
    "mirage_choice",
    "newcombe_diff",
    "offline_answer",
    "probe_status",
    "rescore",
    "rewrite",
    "run_benchmark",
    "run_bias",
    "run_conversations",
    "score_output",
    "split_vignette",
    "wilson",
    "write_report",
]
