"""All configuration in one place: :class:`Settings` with the ``HARMGRAPH_`` prefix.

Built by :func:`get_settings`, never at import time.

>>> s = Settings(store="memory")
>>> s.store_is_memory
True
>>> s.query_timeout
10.0
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The repository root (ontology/, shapes/, data/ live here).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_store() -> str:
    return str(Path(user_data_dir("harmgraph")) / "store")


class Settings(BaseSettings):
    """harmgraph's settings; each field reads ``HARMGRAPH_<FIELD>`` from the environment."""

    model_config = SettingsConfigDict(env_prefix="HARMGRAPH_", extra="ignore")

    #: Store location: a directory path, ``memory`` for an in-memory store, or the
    #: ``http(s)://`` base URL of a SPARQL engine (see docs/deploy.md).
    store: str = ""
    #: Remote store: SPARQL query endpoint (default: ``{store}/query``, Oxigraph server's).
    store_query_url: str = ""
    #: Remote store: SPARQL update endpoint (default: ``{store}/update``).
    store_update_url: str = ""
    #: Remote store: Graph Store Protocol endpoint (default: ``{store}/store``).
    store_gsp_url: str = ""
    #: Remote store: HTTP basic-auth user and password (or userinfo in the store URL).
    store_user: str = ""
    store_password: str = ""
    #: Remote store: the engine's default graph already is the union of its named graphs
    #: (Virtuoso, GraphDB, Neptune; ``oxigraph serve --union-default-graph``).
    store_union_default_graph: bool = False
    #: Remote store: the engine's dialect, for the few places where engines differ
    #: (:mod:`graph.remote_dialect`): ``""`` (standard SPARQL 1.1) or ``"virtuoso"``.
    store_engine: Literal["", "virtuoso"] = ""
    #: Remote store: HTTP authentication scheme of the user and password (Virtuoso's
    #: ``/sparql-auth`` asks for ``digest``).
    store_auth: Literal["basic", "digest"] = "basic"
    #: Base IRI under which this server answers for resources.
    base_iri: str = "https://w3id.org/harmgraph/"
    #: SPARQL query time limit, seconds.
    query_timeout: float = 10.0
    #: Maximum rows in one SPARQL result.
    max_rows: int = 10_000
    #: Bearer token for writes; empty means writes are off.
    write_token: str = ""
    #: IRIs that SPARQL SERVICE and LOAD may reach; everything else is refused (403).
    service_allowlist: list[str] = []
    #: Query worker processes (on-disk store) or threads (in-memory store).
    query_workers: int = 2
    #: Largest accepted upload or import body, bytes.
    max_upload_bytes: int = 20 * 1024 * 1024
    #: Most nodes a network or path view draws; larger views are capped with a notice.
    max_view_nodes: int = 300
    #: Incidents an entity page lists per role (the newest; the rest are paged).
    entity_role_page: int = 50
    #: Links to a resource its page lists per property (the newest; the rest are paged).
    entity_links_page: int = 20
    #: Longest path the path finder looks for, in party-to-party steps.
    max_path_hops: int = 4
    #: Requests the server works on at once; more wait in line (api.limits).
    max_concurrent_requests: int = 32
    #: Requests that may wait for a slot (each at most query_timeout); beyond: 503.
    max_queued_requests: int = 64
    #: Longest SPARQL query text accepted, characters (updates: max_upload_bytes).
    max_query_length: int = 100_000
    #: Deepest bracket nesting accepted in SPARQL text (the parser crashes at thousands).
    max_query_depth: int = 100
    #: Where the bundled data lives.
    data_dir: Path = PROJECT_ROOT / "data"
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    shapes_dir: Path = PROJECT_ROOT / "shapes"

    @property
    def store_location(self) -> str:
        """The effective store location (the per-user data directory when unset)."""
        return self.store or _default_store()

    @property
    def store_is_remote(self) -> bool:
        """Whether the store is a SPARQL engine reached over HTTP (:mod:`graph.remote`)."""
        return self.store_location.startswith(("http://", "https://"))

    @property
    def store_is_memory(self) -> bool:
        """Whether the store is in memory (tests, throw-away sessions)."""
        return self.store_location == "memory"


def get_settings(**overrides: object) -> Settings:
    """Build the settings from the environment, with explicit overrides on top.

    >>> get_settings(max_rows=5).max_rows
    5
    """
    return Settings(**overrides)  # type: ignore[arg-type]
