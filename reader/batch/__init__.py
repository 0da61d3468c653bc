"""``reader batch``: group the articles of an inbox into events, align each event, write reports.

The job, one run::

    lock OUT ─ scan INBOX ─ read new/changed files ─ embed + names ─ group all articles
        ─ align the events whose members changed ─ write their reports ─ index

The wing, by what each module decides or does:

    job.py         BatchJob: the lock, the plan, a runner, each result recorded as it arrives
    manifest.py    what was done, typed rows in SQLite (files, articles, events)
    planner.py     what to (re)compute: files to read, events to align, event ids and signatures
    inbox.py       which inbox files are taken, and one look (stat, hash) at each
    stages.py      the work, as functions of serialisable inputs (file bytes, documents)
    local.py       the local runner: the stages in this process
    ray_runner.py  the Ray runner: the stages on a Ray cluster's workers, one model per worker
    files.py       the files batch owns in OUT: atomic writes, the lock, checks, cleaning
    index.py       OUT/index.json and OUT/index.md
    command.py     the ``reader batch`` subcommand

Layout of OUT::

    OUT/.reader-batch.lock        exclusive flock while a run (or a watch) holds OUT
    OUT/manifest.sqlite           what was processed: one row per file, article and event (+ -wal, -shm)
    OUT/.vectors/<hash>.npy       sentence vectors per article (float16, first 64 sentences), for grouping
    OUT/events/<event>.json|.md|.html  one report per event (reader.report formats)
    OUT/index.json, OUT/index.md  every event: articles, languages, dates, claims, discrepancies

Incremental: a file whose size and mtime match the manifest is not read again;
one whose bytes hash the same is not re-processed. All articles are re-grouped
on every run (cheap: vectors and names come from OUT), and only the events whose
*signature* (the sorted content hashes of their members, the embedding model and
the report version) differ from the manifest, or whose report files are missing,
are aligned again. So an article that joins an existing event re-aligns that
event and no other.

Safe: every file is written to a temporary file in the same folder and renamed
over the old one (``os.replace``), so a reader of OUT sees the old or the new
report, never half of one. The manifest is a SQLite database in WAL mode with
synchronous commits: each file read is one transaction (after its vectors are
written), each event aligned another (after its three reports are written), so
an interrupted run, even by kill -9, loses at most the event it was aligning
(embeddings and translations are cached per chunk in the Store), and the next
run re-aligns exactly what is missing. Two runs on one OUT: the second fails
fast with a one-line error naming the holder's pid (an ``fcntl.flock`` on the
lock file, released by the kernel when a process dies, so a killed run never
leaves a stale lock).

Hostile or damaged OUT: a manifest row or a vector file of the wrong shape counts as never
computed and is computed again (one line says so); a manifest that is no database of ours is
rebuilt, and the ``manifest.json`` of earlier versions removed (one line each); a killed run's
temporary files and the vectors of articles gone from the inbox are deleted, by the names batch
writes and no others. A file of the inbox that cannot be read is named in the summary and left
out of the manifest, so the next run tries it again; the rest goes on.

Document ids are those of ``reader align`` on the same files (``reader.docids``): each file's
articles keep the ids ingest gave them (stored in the manifest with a digest of their text), and
ids that files of the inbox share are told apart over the whole inbox, as one read of it would.
An event's signature holds its documents' ids, so a report is written again when one changes.

Event ids are stable: ``e-`` + the first 12 hex digits of the content hash of the
event's earliest article (by date, then hash), so a rerun overwrites the same
files, and an event that gains a later article keeps its id.

Engines: the local runner, or ``--engine ray`` (``reader.batch.ray_runner``) for a Ray cluster;
the manifest, reruns, atomic writes and the lock are the job's, the same for both, and so are
the reports, byte for byte.

Timings go to the summary only; reports and the index hold none, so two runs
over the same inbox write byte-identical files.
"""

from reader.batch.files import atomic_write, locked
from reader.batch.inbox import inbox_files
from reader.batch.index import index_markdown
from reader.batch.job import BatchJob, Summary
from reader.batch.planner import REPORT_VERSION
from reader.batch.stages import article_hash, figures_of, names_of

__all__ = [
           "REPORT_VERSION",
           "BatchJob",
           "Summary",
           "article_hash",
           "atomic_write",
           "figures_of",
           "inbox_files",
           "index_markdown",
           "locked",
           "names_of",
]
