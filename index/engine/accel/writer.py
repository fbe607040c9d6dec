"""Whoosh's segment writers with a posting pool that groups postings by term as they arrive.

Whoosh collects every posting of a segment as a ``(field, term, docnum, weight, value)`` tuple in one
list, sorts the list at commit, and when the list outgrows its memory budget pickles sorted runs to
disk and merges them back. Documents arrive in docnum order, so postings grouped by ``(field, term)``
are already sorted within each group: ``TermGroupedPool`` keeps one list per term and sorts only the
terms at commit (a segment has far fewer terms than postings). Over its budget it writes a sorted
run like Whoosh's pool, and merges the runs the same way, so memory stays bounded.

``FastSegmentWriter`` and ``FastMpWriter`` are Whoosh's ``SegmentWriter`` and ``MpWriter`` (one
writer per indexing process) with this pool. The segments they write are ordinary Whoosh segments;
``tests/test_fast_writer.py`` checks them against Whoosh's own writer.
"""

from __future__ import annotations

import gc
import logging
import os
import queue
import signal
from array import array
from collections.abc import Callable

import whoosh.multiproc
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import PostingPool, SegmentWriter

from index import processes
from index.engine.accel.analysis import FastPositions
from index.engine.contract import IndexingFailed

LOGGER = logging.getLogger(__name__)

# Memory accounting of the pool (CPython sizes, approximately): per term and per posting.
TERM_OVERHEAD_BYTES = 600
POSTING_OVERHEAD_BYTES = 24
# Whoosh's separate spelling fields ("spell_title") are the only ones not added in docnum order.
SPELLING_PREFIX = "spell_"
# Seconds to wait for a finished indexing process's segment description.
RESULT_TIMEOUT = 10.0


class TermGroupedPool(PostingPool):
    """A ``PostingPool`` holding postings grouped by ``(field, term)``, in arrival (docnum) order.

    Each term keeps its docnums and weights in arrays and its encoded values in one byte string, a
    few dozen bytes per posting where Whoosh's tuples take about 200.
    """

    def __init__(self, tempstore, segment, limitmb: int = 128, **kwargs) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self._terms: dict[tuple, _TermPostings] = {}
        # The same postings by field and word as a str, for ``add_term_positions`` (no key to build per word).
        self._by_word: dict[str, dict[str, _TermPostings]] = {}
        self._bytes = 0
        self._budget = limitmb * 1024 * 1024

    def add(self, item) -> None:
        """Add one ``(fieldname, btext, docnum, weight, value)`` posting."""
        key = (item[0], item[1])
        postings = self._terms.get(key)
        if postings is None:
            postings = self._terms[key] = _TermPostings()
            self.fieldnames.add(item[0])
            self._bytes += TERM_OVERHEAD_BYTES + len(item[1])
        postings.docnums.append(item[2])
        postings.weights.append(item[3])
        value = item[4]
        if value is None:
            if postings.nones is None:
                postings.nones = set()
            postings.nones.add(len(postings.ends))
            value = b""
        postings.values += value
        postings.ends.append(len(postings.values))
        self._bytes += POSTING_OVERHEAD_BYTES + len(value)
        if self._bytes >= self._budget:
            self.save()

    def add_term_positions(
        self,
        fieldname: str,
        docnum: int,
        positions: dict[str, list[int]],
        boost: float,
        fieldboost: float,
        encode_positions: Callable[[list[int]], bytes],
    ) -> tuple[int, bytes | None]:
        """Add the postings of one document's field from ``{word: [positions]}`` directly (weights
        computed as Whoosh computes them, values by the format's ``encode_positions``); returns the
        token count and the last encoded value."""
        field_terms = self._by_word.get(fieldname)
        if field_terms is None:
            field_terms = self._by_word[fieldname] = {}
        terms = self._terms
        added = 0
        tokens = 0
        value = None
        for word, poslist in positions.items():
            count = len(poslist)
            tokens += count
            weight = count * boost
            weight *= fieldboost
            value = encode_positions(poslist)
            postings = field_terms.get(word)
            if postings is None:
                btext = word.encode("utf-8")
                postings = terms.get((fieldname, btext))
                if postings is None:
                    postings = terms[(fieldname, btext)] = _TermPostings()
                    self.fieldnames.add(fieldname)
                    added += TERM_OVERHEAD_BYTES + len(btext)
                field_terms[word] = postings
            postings.docnums.append(docnum)
            postings.weights.append(weight)
            postings.values += value
            postings.ends.append(len(postings.values))
            added += POSTING_OVERHEAD_BYTES + len(value)
        self._bytes += added
        if self._bytes >= self._budget:
            self.save()
        return tokens, value

    def _sorted(self):
        """The held postings as Whoosh's tuples in Whoosh's order: by field and term, then docnum."""
        terms = self._terms
        for key in sorted(terms):
            fieldname, btext = key
            postings = terms[key].tuples(fieldname, btext)
            if len(postings) > 1 and fieldname.startswith(SPELLING_PREFIX):
                postings.sort()  # spelling words all come as docnum 0: sort them as Whoosh does
            yield from postings

    def term_groups(self):
        """``(fieldname, btext, postings)`` for every held term, sorted as Whoosh sorts postings: the
        term's ``_TermPostings`` (in docnum order), or for spelling words a sorted list of tuples."""
        terms = self._terms
        for key in sorted(terms):
            fieldname, btext = key
            postings = terms[key]
            if fieldname.startswith(SPELLING_PREFIX):
                postings = sorted(postings.tuples(fieldname, btext))
            yield fieldname, btext, postings

    def save(self) -> None:
        """Write the held postings to a sorted run on disk and start again."""
        if self._terms:
            path, handle = self._new_run()
            self._write_run(handle, self._sorted())
            self._add_run(path)
            self._terms = {}
            self._by_word = {}
            self._bytes = 0

    def items(self, maxfiles: int = 128):
        """Every posting in sorted order (merged with the runs on disk, if any were written)."""
        if not self.runs:
            return self._sorted()
        self.save()
        return super().items(maxfiles)

    def iter_postings(self):
        """Whoosh's name for ``items()``."""
        return self.items()


class _TermPostings:
    """The postings of one term: docnums, weights and the concatenated encoded values."""

    __slots__ = ("docnums", "weights", "values", "ends", "nones")

    def __init__(self) -> None:
        self.docnums = array("I")
        self.weights = array("d")  # as given: Whoosh's writer compares them before storing float32
        self.values = bytearray()
        self.ends = array("I")
        self.nones: set[int] | None = None

    def tuples(self, fieldname: str, btext: bytes) -> list[tuple]:
        """The postings as ``(fieldname, btext, docnum, weight, value)`` tuples."""
        values = bytes(self.values)
        starts = [0, *self.ends[:-1]]
        out = [
            (fieldname, btext, docnum, weight, values[start:end])
            for docnum, weight, start, end in zip(self.docnums, self.weights, starts, self.ends, strict=True)
        ]
        for row in self.nones or ():
            out[row] = (*out[row][:4], None)  # type: ignore[assignment]
        return out


class FastSegmentWriter(SegmentWriter):
    """Whoosh's ``SegmentWriter`` with a ``TermGroupedPool``; text fields analysed by a
    ``TextAnalyzer`` go from its fused positions straight into the pool."""

    def __init__(self, ix, limitmb: int = 128, **kwargs) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermGroupedPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def _flush_segment(self) -> None:
        """Whoosh's ``_flush_segment``, handing the field writer whole terms when no run was spilled."""
        if self.pool.runs or not hasattr(self.fieldwriter, "add_term_groups"):
            super()._flush_segment()
            return
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        self.fieldwriter.add_term_groups(self.schema, lengths, self.pool.term_groups())
        self.fieldwriter.close()
        if lengths:
            lengths.close()

    def add_document(self, **fields) -> None:
        """Whoosh's ``SegmentWriter.add_document`` (same postings, stored values, lengths and columns),
        with the postings of fused text fields added without a tuple per posting."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        vbytes = None  # as in Whoosh, spelling postings carry the last posting value written
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    if isinstance(value, str) and isinstance(field.format, FastPositions) and _fused(field):
                        positions = field.analyzer.index_positions(value)
                        fmt = field.format
                        tokens, last = pool.add_term_positions(
                            fieldname, docnum, positions, fmt.field_boost, fieldboost, fmt.encode_list
                        )
                        if field.scorable:
                            length = tokens
                        vbytes = last if last is not None else vbytes
                    else:
                        scorable = field.scorable
                        for tbytes, freq, weight, vbytes in field.index(value):  # noqa: B007 - kept for spelling
                            weight *= fieldboost
                            if scorable:
                                length += freq
                            pool.add((fieldname, tbytes, docnum, weight, vbytes))
                if field.separate_spelling():
                    spellfield = field.spelling_fieldname(fieldname)
                    for word in field.spellable_words(value):
                        pool.add((spellfield, word.encode("utf-8"), 0, 1, vbytes))
                if field.vector:
                    vitems = field.vector.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vb) for text, _, weight, vb in vitems)
                    perdocwriter.add_vector_items(fieldname, field, vitems)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1


def _fused(field) -> bool:
    """True when the field's analyzer has the fused indexing path (``TextAnalyzer``)."""
    return hasattr(field.analyzer, "index_positions")


class IndexingProcessFailed(IndexingFailed):
    """An indexing process of a multi-process writer ended without handing back its segment."""


class _FastSubWriterTask(SubWriterTask):
    """An indexing process of ``FastMpWriter``: Whoosh's sub-writer task, writing with ``FastSegmentWriter``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()

    def run(self) -> None:
        # A child outliving its writer would wait on the job queue for ever: die with the parent.
        processes.die_with_parent(self.parent_pid)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the writer stops its children with SIGTERM
        # This runs in the child process only: the sub-writer Whoosh makes there is ours. Ctrl-C is
        # for the parent, which finishes or cancels the whole write; a child killed by it would lose
        # the documents already handed to it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        gc.enable()  # a fork inherits the parent's collector settings (see ``index.ingest.collection``)
        whoosh.multiproc.SegmentWriter = FastSegmentWriter
        super().run()


class FastMpWriter(MpWriter):
    """Whoosh's multi-process writer whose indexing processes use ``FastSegmentWriter``, and whose
    commit fails (and cancels) when a process did not hand back its segment, where Whoosh's would
    commit without that process's documents."""

    def _new_task(self):
        task = _FastSubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self) -> None:
        """Cancel the write: stop and reap the indexing processes (Whoosh's ``cancel`` only flags
        its own copies of them, leaving the processes waiting for work and the writer unable to exit),
        then discard the new segment."""
        try:
            processes.stop(self.tasks)
        finally:
            SegmentWriter.cancel(self)

    def _wait_for_tasks(self) -> None:
        """Wait for the indexing processes; when one fails, stop the others (a process that died
        holding the job queue's lock would leave them waiting for ever)."""
        while any(task.is_alive() for task in self.tasks):
            if any(task.exitcode not in (None, 0) for task in self.tasks):
                for task in self.tasks:
                    if task.is_alive():
                        task.terminate()
                for task in self.tasks:
                    task.join()
                return
            for task in self.tasks:
                task.join(timeout=0.05)

    def _commit(self, mergetype, optimize, merge) -> None:
        if not self.multisegment:
            super()._commit(mergetype, optimize, merge)
            return
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self.jobqueue.put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        self._wait_for_tasks()
        results = []
        for task in self.tasks:
            try:
                if task.exitcode != 0:
                    raise queue.Empty
                results.append(self.resultqueue.get(timeout=RESULT_TIMEOUT))
            except queue.Empty:
                self.cancel()
                raise IndexingProcessFailed(
                    f"an indexing process ended (exit code {task.exitcode}) without its segment, so nothing "
                    "of this batch reached the index; run the command again (documents already stored are "
                    "indexed first)"
                ) from None
        finalsegments += [segment for _, _, segment in results]
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()
