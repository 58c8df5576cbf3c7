"""HTTP benchmark: what a request costs beyond its work, measured with wrk in one run against a
bare FastAPI + asyncpg app doing the same work (benchmarks/bare/app.py), and what the gateway adds.

    python -m benchmarks.http [--seconds 8] [--connections 20] [--profile DIR]

The whole stack runs as `sbe run` on PostgreSQL. For each of two endpoints,
- read:  GET /api/v1/buildings/{id} (a small JSON document from the database);
- push:  POST /api/v1/enterprise-movements (one new record per request, each stored),
wrk loads three servers:
- bare: the baseline app on the same database (one SELECT; one INSERT);
- direct: the registry's own port (with the principal header the gateway would sign; the
  signature covers each push's body, so those requests are signed beforehand, one by one, and
  replayed by wrk);
- gateway: through the gateway with a district's API key (key check, per-key rate limit, audit,
  metrics, proxying all on; the limit set high enough not to refuse).
Prints requests/s and p50/p99 latency of each, and the ratios the issue sets as goals: registry
read ≥ 0.5× bare with its p50 within 2 ms of bare's; gateway ≥ 0.7× direct. Any response that is
not 2xx makes the run fail.

With --profile DIR, py-spy samples the registry through each loaded direct run and the gateway
through each loaded gateway run (stacks in DIR/<endpoint>-<process>.txt, flamegraph.pl's input),
and the run prints where the time went: each layer's share of the samples (the server, the
middleware, FastAPI's routing and dependencies, the ORM, the driver, validation and
serialisation, the gateway's HTTP client, the process's own code).
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's name is the standard library's `http`: keep its folder off the import path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import httpx  # noqa: E402
import orjson  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.profiling import layers_of, start_sampler  # noqa: E402
from benchmarks.wrk import Run, cpu_seconds, process_of, wrk  # noqa: E402
from shared import Principal, Role  # noqa: E402
from shared.edge import PRINCIPAL_HEADER, sign_principal  # noqa: E402
from tests import fixtures  # noqa: E402
from tests.live import LiveStack, launch  # noqa: E402
from tests.support import free_port, pg_dsn, pg_url, scratch_database  # noqa: E402

# (endpoint, route, connections) → the run
Results = dict[tuple[str, str, int], Run]
BUILDING = "bench-gw-1"
ROUTES = ("bare", "direct", "gateway")
# Single-record pushes on the registry's own port, measured on this machine before the
# per-request cuts (the figure): the push goal is relative to it.
PUSH_BEFORE = 193
DISTRICT = "wuzhong"

# One new movement of a new enterprise per request (distinct 统一社会信用代码, check character
# computed as GB 32100-2015 says): wrk's threads each number their own records.
PUSH_SCRIPT = """
local ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
local WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
local function uscc(n)
  local first17 = string.format("91320500%%09d", n)
  local total = 0
  for i = 1, 17 do
    local value = string.find(ALPHABET, string.sub(first17, i, i), 1, true) - 1
    total = total + value * WEIGHTS[i]
  end
  local check = (31 - total %% 31) %% 31
  return first17 .. string.sub(ALPHABET, check + 1, check + 1)
end
local counter = 1
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
function init(args)
  seq = 0
  prefix = args[1]
  base = tonumber(args[2])
end
function request()
  seq = seq + 1
  local body = string.format(
    '{"records":[{"record_id":"%%s-%%d-%%d","uscc":"%%s","enterprise_name":"压测企业",'
    .. '"building_id":"%(building)s","kind":"move_in","date":"2023-03-01"}]}',
    prefix, tid, seq, uscc(base + tid * 10000000 + seq))
  return wrk.format("POST", nil, nil, body)
end
"""


# The direct pushes: each request carries its own signature (it covers the body's digest), made
# in Python just before the run and read by each wrk thread from its own file.
PRESIGNED_SCRIPT = """
local counter = 1
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
function init(args)
  requests = {}
  for line in io.lines(args[1] .. "-" .. tid) do
    local header, body = line:match("([^\t]*)\t(.*)")
    requests[#requests + 1] = wrk.format(
      "POST", nil, {["x-sbe-principal"] = header, ["Content-Type"] = "application/json"}, body)
  end
  seq = 0
end
function request()
  seq = seq + 1
  return requests[(seq - 1) % #requests + 1]
end
"""
PRESIGNED_PER_THREAD = 20_000


def presign(
    principal: Principal, secret: str, path: str, prefix: str, base: int, stem: Path
) -> None:
    """Write each wrk thread's file of signed pushes (new records, new enterprises)."""
    for tid in (1, 2):
        lines = []
        for seq in range(1, PRESIGNED_PER_THREAD + 1):
            body = orjson.dumps(
                {
                    "records": [
                        fixtures.movement(
                            record_id=f"{prefix}-{tid}-{seq}",
                            uscc=fixtures.uscc(base + tid * 10_000_000 + seq),
                            enterprise_name="压测企业",
                            building_id=BUILDING,
                        )
                    ]
                }
            )
            header = sign_principal(principal, secret, "POST", path, body=body)
            lines.append(f"{header}\t{body.decode()}")
        Path(f"{stem}-{tid}").write_text("\n".join(lines) + "\n")


def signed(principal: Principal, secret: str, method: str, path: str) -> dict[str, str]:
    """The header the gateway adds (valid for a few minutes: sign just before each run)."""
    return {PRINCIPAL_HEADER: sign_principal(principal, secret, method, path)}


def start_bare(dsn: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The baseline app on a free port, with a movement table of the registry's shape."""
    import asyncpg

    async def table() -> None:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS bare_movement (record_id text PRIMARY KEY, uscc text,"
                " enterprise_name text, building_id text, kind text, date date,"
                " received_at timestamptz)"
            )
        finally:
            await conn.close()

    asyncio.run(table())
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--app-dir", str(ROOT / "benchmarks" / "bare"),
         "--port", str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
         "--log-level", "warning", "--backlog", "2048"],
        env={**os.environ, "BARE_DSN": dsn},
        stderr=log.open("a"),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(f"{url}/api/v1/buildings/{BUILDING}", timeout=1).raise_for_status()
            return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the bare app did not start")


def prepare(stack: LiveStack) -> str:
    """A district key and one building of its district; returns the key."""
    admin = {"Authorization": f"Bearer {stack.admin_key}"}
    with httpx.Client(base_url=stack.gateway_url, timeout=30) as http:
        issued = http.post(
            "/api/v1/auth/keys",
            json={"role": "district", "district_id": DISTRICT, "label": "benchmark"},
            headers=admin,
        )
        issued.raise_for_status()
        key = str(issued.json()["key"])
        created = http.post(
            "/api/v1/buildings",
            json=fixtures.building(id=BUILDING, district_id=DISTRICT),
            headers={"Authorization": f"Bearer {key}"},
        )
        created.raise_for_status()
    return key


async def measure_in_scratch_database(options: argparse.Namespace) -> Results:
    async with scratch_database("sbe_bench_http") as database:
        return await asyncio.to_thread(measure, options, database)


def measure(options: argparse.Namespace, database: str) -> Results:
    """Every run against one `sbe run` on `database`."""
    work = Path(tempfile.mkdtemp(prefix="sbe-bench-http-"))
    env = {
        "SBE_DATABASE_URL": pg_url(database),
        # Limits stay on, high enough that the benchmark measures them without meeting them.
        "SBE_RATE_LIMIT_PER_SECOND": "1000000",
        "SBE_RATE_LIMIT_BURST": "1000000",
        "SBE_CLIENT_RATE_LIMIT_PER_SECOND": "1000000",
        "SBE_CLIENT_RATE_LIMIT_BURST": "1000000",
        "SBE_LOG_LEVEL": "WARNING",
    }
    stack = launch(work / "data", work / "stack.log", env)
    bare: subprocess.Popen[bytes] | None = None
    try:
        key = prepare(stack)
        bare, bare_url = start_bare(pg_dsn(database), work / "bare.log")
        secret = (work / "data" / "internal_secret").read_text().strip()  # written by `sbe run`
        principal = Principal(
            key_id="benchmark", role=Role.district, district_id=DISTRICT, label="benchmark"
        )
        registry = f"http://127.0.0.1:{stack.port('registry')}"
        bearer = {"Authorization": f"Bearer {key}"}
        script = work / "push.lua"
        script.write_text(PUSH_SCRIPT % {"building": BUILDING})
        presigned = work / "presigned.lua"
        presigned.write_text(PRESIGNED_SCRIPT)
        read_path = f"/api/v1/buildings/{BUILDING}"
        push_path = "/api/v1/enterprise-movements"
        gateway_pid = process_of("gateway")
        results: Results = {}
        runs = 0

        def run(base: str, path: str, lua: Path | None, seconds: int, connections: int) -> Run:
            """One wrk run: its own record ids and enterprises, a freshly signed header."""
            nonlocal runs
            runs += 1
            args = [f"run-{runs}", str(runs * 10_000_000)] if lua else None
            if base == bare_url:
                return wrk(base + path, {}, seconds, connections, lua, args)
            if base == registry and lua is not None:
                stem = work / f"signed-{runs}"
                presign(principal, secret, path, f"run-{runs}", runs * 10_000_000, stem)
                return wrk(base + path, {}, seconds, connections, presigned, [str(stem)])
            headers = signed(principal, secret, "GET", path) if base == registry else bearer
            return wrk(base + path, headers, seconds, connections, lua, args)

        # Under load (throughput, where the registry saturates), then one connection at a time
        # (latency: what the gateway adds to a request that does not queue).
        for connections in (options.connections, 1):
            seconds = options.seconds if connections > 1 else max(3, options.seconds // 2)
            for endpoint, path, lua in (("read", read_path, None), ("push", push_path, script)):
                routes = (("bare", bare_url), ("direct", registry), ("gateway", stack.gateway_url))
                for route, base in routes:
                    run(base, path, lua, 2, connections)  # warm-up
                    used = cpu_seconds(gateway_pid)
                    sampler = None
                    if options.profile and route != "bare" and connections > 1:
                        sampled = "registry" if route == "direct" else "gateway"
                        sampler = start_sampler(
                            process_of(sampled), options.profile, f"{endpoint}-{sampled}", seconds
                        )
                    result = run(base, path, lua, seconds, connections)
                    if sampler is not None:
                        sampler.wait(30)
                    if route == "gateway":
                        used = cpu_seconds(gateway_pid) - used
                        result.gateway_cpu_us = used / result.requests * 1e6
                    results[(endpoint, route, connections)] = result
        return results
    finally:
        if bare is not None:
            bare.terminate()
            bare.wait(10)
        stack.stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--profile", metavar="DIR", help="sample the registry with py-spy")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")

    results = asyncio.run(measure_in_scratch_database(options))

    print(f"\nwrk, {options.connections} connections for {options.seconds} s, then 1 connection")
    print(f"{'endpoint':<8} {'route':<8} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for (endpoint, route, connections), run in results.items():
        print(f"{endpoint:<8} {route:<8} {connections:>5} {run.requests_per_second:>9.0f} "
              f"{run.p50_ms:>8.2f} {run.p99_ms:>8.2f}")  # fmt: skip
    print()
    for endpoint in ("read", "push"):
        loaded = {r: results[(endpoint, r, options.connections)] for r in ROUTES}
        single = {r: results[(endpoint, r, 1)] for r in ROUTES}
        to_bare = loaded["direct"].requests_per_second / loaded["bare"].requests_per_second
        p50_gap = loaded["direct"].p50_ms - loaded["bare"].p50_ms
        gateway = loaded["gateway"].requests_per_second / loaded["direct"].requests_per_second
        print(f"{endpoint}: registry/bare throughput {to_bare:.2f}x"
              f"{' (goal >= 0.50x)' if endpoint == 'read' else ''}; "
              f"p50 {p50_gap:+.2f} ms over bare under load"
              f"{' (goal <= 2 ms)' if endpoint == 'read' else ''}, "
              f"{single['direct'].p50_ms - single['bare'].p50_ms:+.2f} ms unloaded")  # fmt: skip
        print(f"      gateway/direct throughput {gateway:.2f}x (goal >= 0.70x); "
              f"p50 added {single['gateway'].p50_ms - single['direct'].p50_ms:+.2f} ms unloaded; "
              f"gateway CPU {loaded['gateway'].gateway_cpu_us:.0f} us/request")  # fmt: skip
    push = results[("push", "direct", options.connections)].requests_per_second
    print(f"push: {push:.0f} req/s direct, {push / PUSH_BEFORE:.2f}x the {PUSH_BEFORE} req/s "
          "measured before the per-request cuts (goal >= 2.5x)")  # fmt: skip
    if options.profile:
        for process, route in (("registry", "direct"), ("gateway", "gateway")):
            for endpoint in ("read", "push"):
                stacks = Path(options.profile) / f"{endpoint}-{process}.txt"
                print(f"\nwhere the {process}'s time went under the loaded {route} {endpoint}:")
                for layer, share in layers_of(stacks).items():
                    print(f"  {share * 100:5.1f}%  {layer}")


if __name__ == "__main__":
    main()
