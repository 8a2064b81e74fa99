"""SPARQL Update through the endpoint: bearer-token check, dataset, one transaction.

Updates are refused unless the request carries ``Authorization: Bearer
<write_token>`` (:func:`api.auth.authorize`, re-exported here); with no token
configured, writes are off. Protocol
``using-graph-uri``/``using-named-graph-uri`` parameters become ``USING`` /
``USING NAMED`` clauses of every ``DELETE``/``INSERT ... WHERE`` operation
(SPARQL 1.1 Protocol §2.2.3); pyoxigraph's Python API has no dataset
argument for updates. The IRIs are checked by :class:`pyoxigraph.NamedNode`
and written in its canonical ``<...>`` form, so they cannot inject syntax.

Every request ends with :func:`graph.versions.change_record` in the same
transaction (:func:`with_record`), so validators (dump and VoID ETags) change
after any update, even one that swaps a triple for another.

>>> with_using("INSERT { ?s ?p 1 } WHERE { ?s ?p 0 }", [19], ["http://g"], [])
'INSERT { ?s ?p 1 } USING <http://g> WHERE { ?s ?p 0 }'
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from api.auth import authorize
from api.sparql.analysis import analyse, check_remote
from api.sparql.lexer import tokenize
from api.sparql.pool import QueryExecutor
from graph.errors import BadRequest, InvalidQuery, StoreError
from graph.store import Store
from graph.versions import change_record

__all__ = ["apply_update", "authorize", "with_record", "with_using"]

_POSITION = re.compile(r"at (\d+):(\d+)")


def with_using(text: str, where_offsets: list[int], default: list[str], named: list[str]) -> str:
    """Insert USING / USING NAMED clauses before each modify operation's WHERE."""
    clause = "".join(f"USING {ox.NamedNode(g)} " for g in default)
    clause += "".join(f"USING NAMED {ox.NamedNode(g)} " for g in named)
    for offset in sorted(where_offsets, reverse=True):
        text = text[:offset] + clause + text[offset:]
    return text


def with_record(text: str, record: str) -> str:
    """``text`` followed by the operation ``record``, as one request (one transaction).

    >>> with_record("INSERT DATA { <a> <b> 1 }", "CLEAR ALL")
    'INSERT DATA { <a> <b> 1 }\\n;\\nCLEAR ALL'
    >>> with_record("PREFIX e: <http://e/> # nothing else", "CLEAR ALL")
    'PREFIX e: <http://e/> # nothing else\\nCLEAR ALL'
    >>> with_record("CLEAR ALL ;", "CLEAR ALL")
    'CLEAR ALL ;\\nCLEAR ALL'
    """
    tokens = list(tokenize(text))
    i = 0  # skip the prologue: BASE <iri> and PREFIX p: <iri> declarations
    while i < len(tokens) and tokens[i].is_word("BASE", "PREFIX"):
        i += 2 if tokens[i].is_word("BASE") else 3
    ends_open = i == len(tokens) or tokens[-1].text == ";"  # ';' needs no second ';'
    return text + ("\n" if ends_open else "\n;\n") + record


def _update_and_record(store: ox.Store, text: str, base_iri: str, prefixes: dict[str, str]) -> None:
    record = change_record()
    try:
        store.update(with_record(text, record), base_iri=base_iri, prefixes=prefixes)
    except SyntaxError:
        # Report the error where the client wrote it: the text alone fails the same
        # way and writes nothing. Were it valid alone, record the change after it.
        store.update(text, base_iri=base_iri, prefixes=prefixes)
        store.update(record)


def _remote_update_and_record(
    store: Store, text: str, base_iri: str, prefixes: dict[str, str]
) -> None:
    record = change_record()
    try:
        store.update(with_record(text, record), base_iri=base_iri, prefixes=prefixes)
    except InvalidQuery as err:
        if err.line is None or err.line <= text.count("\n") + 1:
            raise
        # The engine stopped in the record: report the error where the client wrote
        # it, as _update_and_record does (alone, the text fails and writes nothing).
        store.update(text, base_iri=base_iri, prefixes=prefixes)
        store.update(record)


def apply_update(
    store: ox.Store | Store,
    executor: QueryExecutor,
    text: str,
    *,
    using: list[str],
    using_named: list[str],
    base_iri: str,
    prefixes: dict[str, str],
    allowlist: list[str],
) -> None:
    """Check and run one update request in one transaction (all or nothing).

    ``store`` is the embedded pyoxigraph store, or a remote :class:`~graph.store.Store`
    whose engine applies the request.

    Raises:
        Forbidden: LOAD or SERVICE of a target not on the allow-list.
        BadRequest: using-graph-uri together with USING/WITH in the text.
        InvalidQuery: the update does not parse or cannot be applied.
    """
    analysis = analyse(text, base_iri, prefixes)
    check_remote(analysis, allowlist)
    if using or using_named:
        if analysis.has_using_or_with:
            raise BadRequest(
                "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH"
            )
        text = with_using(text, analysis.modify_where, using, using_named)
    with executor.writing():
        if isinstance(store, Store):  # a remote store: the engine applies the request
            _remote_update_and_record(store, text, base_iri, prefixes)
            return
        try:
            _update_and_record(store, text, base_iri, prefixes)
        except SyntaxError as err:
            where = _POSITION.search(str(err))
            line, column = (int(where[1]), int(where[2])) if where else (None, None)
            raise InvalidQuery(str(err), line=line, column=column) from None
        except RuntimeError as err:  # e.g. CREATE GRAPH of an existing graph
            raise InvalidQuery(f"the update cannot be applied: {err}") from None
        except OSError as err:
            raise StoreError(f"the update could not be written: {err}") from None
