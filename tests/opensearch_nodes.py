"""Real OpenSearch nodes on 127.0.0.1 for the tests and benchmarks: fetched by the project, started, stopped.

``tests/opensearch/fetch.sh`` brings the integration-test distribution and the analysis-common module from
Maven (cached in ``~/.m2``, unpacked under ``.cache/opensearch/``). ``start_cluster`` starts one or more nodes
with free ports, a small heap, security off (the distribution has no security plugin) and data, logs and
configuration in a temporary folder, and waits until the cluster has formed. OpenSearch refuses to run as
root, so under root the nodes run as ``nobody``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FETCH_SCRIPT = ROOT / "tests" / "opensearch" / "fetch.sh"
HEAP = "-Xms256m -Xmx512m"
START_TIMEOUT = 180.0


class NodeUnavailable(RuntimeError):
    """OpenSearch cannot be fetched or started here; the message says why (tests skip with it)."""


def java_home() -> str | None:
    """A Java 17 home: ``OPENSEARCH_JAVA_HOME``/``JAVA_HOME`` if set, else the one ``java`` on PATH lives in."""
    for name in ("OPENSEARCH_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(name):
            return os.environ[name]
    java = shutil.which("java")
    if java is None:
        return None
    return str(Path(java).resolve().parent.parent)


def node_home() -> Path:
    """The unpacked node, fetched on first use (raises ``NodeUnavailable`` without Java or Maven)."""
    if java_home() is None:
        raise NodeUnavailable("Java is not installed: OpenSearch tests need Java 17")
    if shutil.which("mvn") is None:
        raise NodeUnavailable("Maven (mvn) is not installed: it fetches OpenSearch for the tests")
    done = subprocess.run(["bash", str(FETCH_SCRIPT)], capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise NodeUnavailable(f"fetching OpenSearch failed: {done.stderr.strip()[-500:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(url: str, method: str = "GET", timeout: float = 5.0) -> dict:
    """GET (or another method on) a node's REST address; the JSON answer."""
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only
        return json.loads(response.read().decode("utf-8"))


@dataclass
class Node:
    """One OpenSearch process: its name, ports, folder and process."""

    name: str
    http_port: int
    transport_port: int
    folder: Path
    process: subprocess.Popen | None = None
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The node's REST address."""
        return f"http://127.0.0.1:{self.http_port}"

    def start(self) -> None:
        """Start the process (data kept from a previous run of the same node)."""
        log = open(self.folder / "console.log", "ab")  # noqa: SIM115 - kept open for the process's lifetime
        self.process = subprocess.Popen(
            self.args, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder, start_new_session=True
        )
        log.close()

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the process (SIGTERM, then SIGKILL) and wait for it."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass

    def alive(self) -> bool:
        """True while the process runs."""
        return self.process is not None and self.process.poll() is None

    def console_tail(self, chars: int = 1500) -> str:
        """The end of the node's console output (for error messages)."""
        path = self.folder / "console.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


@dataclass
class Cluster:
    """Nodes started together; ``urls`` for the client."""

    nodes: list[Node]
    folder: Path

    @property
    def urls(self) -> list[str]:
        """REST addresses of all nodes."""
        return [node.url for node in self.nodes]

    def wait(self, status: str = "yellow", nodes: int | None = None, timeout: float = START_TIMEOUT) -> dict:
        """Wait until the cluster reports ``status`` (or better) with ``nodes`` nodes; its health."""
        wanted = nodes if nodes is not None else len(self.nodes)
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            for node in self.nodes:
                if not node.alive():
                    continue
                try:
                    health = http_json(
                        f"{node.url}/_cluster/health?wait_for_status={status}&wait_for_nodes={wanted}&timeout=5s"
                    )
                except (OSError, urllib.error.URLError, ValueError) as exc:
                    last = exc
                    continue
                if not health.get("timed_out"):
                    return health
                last = health
            if not any(node.alive() for node in self.nodes):
                tails = "\n".join(node.console_tail() for node in self.nodes)
                raise NodeUnavailable(f"OpenSearch exited while starting:\n{tails}")
            time.sleep(1.0)
        raise NodeUnavailable(f"OpenSearch did not become {status} in {timeout:.0f}s: {last!r}")

    def stop(self) -> None:
        """Stop every node and remove the cluster's folder."""
        for node in self.nodes:
            node.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _jvm_options(home: Path, folder: Path) -> str:
    """The distribution's jvm.options with its relative log and dump paths pointed into ``folder``."""
    text = (home / "config" / "jvm.options").read_text()
    text = re.sub(r"^.*gc\.log.*$", "", text, flags=re.MULTILINE)  # no GC log files
    text = text.replace("-XX:HeapDumpPath=data", f"-XX:HeapDumpPath={folder}")
    return text.replace("-XX:ErrorFile=logs/", f"-XX:ErrorFile={folder}/")


def start_cluster(count: int = 1, name: str = "migsearch-test", settings: dict | None = None) -> Cluster:
    """Start ``count`` nodes forming one cluster on 127.0.0.1 and wait for them; raises ``NodeUnavailable``.

    ``settings``: more node settings (``-E`` options), e.g. a tiny write queue for back-pressure tests."""
    extra = dict(settings or {})
    home = node_home()
    folder = Path(tempfile.mkdtemp(prefix="migsearch-opensearch-"))
    as_nobody = os.geteuid() == 0
    ports = [(free_port(), free_port()) for _ in range(count)]
    seeds = ",".join(f"127.0.0.1:{transport}" for _, transport in ports)
    names = [f"node-{i + 1}" for i in range(count)]
    nodes: list[Node] = []
    for node_name, (http_port, transport_port) in zip(names, ports, strict=True):
        node_dir = folder / node_name
        config = node_dir / "config"
        shutil.copytree(home / "config", config)
        (config / "jvm.options").write_text(_jvm_options(home, node_dir))
        for sub in ("data", "logs", "tmp"):
            (node_dir / sub).mkdir(parents=True)
        node_settings = {
            "cluster.name": name,
            "node.name": node_name,
            "path.data": node_dir / "data",
            "path.logs": node_dir / "logs",
            "network.host": "127.0.0.1",
            "http.port": http_port,
            "transport.port": transport_port,
            "action.auto_create_index": "false",
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            **extra,
        }
        if count == 1:
            node_settings["discovery.type"] = "single-node"
        else:
            node_settings["discovery.seed_hosts"] = seeds
            node_settings["cluster.initial_cluster_manager_nodes"] = ",".join(names)
        args = [str(home / "bin" / "opensearch"), *(f"-E{key}={value}" for key, value in node_settings.items())]
        if as_nobody:
            args = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *args]
        env = {
            **os.environ,
            "OPENSEARCH_JAVA_HOME": java_home() or "",
            "OPENSEARCH_PATH_CONF": str(config),
            "OPENSEARCH_JAVA_OPTS": HEAP,
            "OPENSEARCH_TMPDIR": str(node_dir / "tmp"),
        }
        env.pop("JAVA_TOOL_OPTIONS", None)
        nodes.append(Node(node_name, http_port, transport_port, node_dir, args=args, env=env))
    if as_nobody:
        os.chmod(folder, 0o755)
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, 65534, 65534)
    cluster = Cluster(nodes, folder)
    for node in nodes:
        node.start()
    try:
        cluster.wait()
    except BaseException:
        cluster.stop()
        raise
    return cluster
