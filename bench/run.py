"""Benchmark CircleShare the way production runs it, and print each endpoint's cost as a ratio to the floor.

On a database filled by `manage.py generate_scale_data`, this script:

1. prepares what the requests need, in-process: the person in the most busy
   circles, a bearer token and a browser session for them, a staff session, a
   cursor 500 pages deep (taken by walking the timeline), a post with 50
   comments, and the SQL queries each request costs;
2. starts gunicorn with 2 workers (DEBUG off, static files collected);
3. warms every endpoint up, then drives each with `wrk` in short bursts, each
   right after a burst of the floor (`GET /api/v1/me/`), over several rounds,
   so that a machine whose speed drifts moves both sides of a ratio alike;
   prints requests per second, p50, p99, the ratio of its p50 to the floor's
   and its SQL queries, checks the targets, and writes it all as JSON.

    .venv/bin/python bench/run.py --database-url sqlite:///data/bench/1m.sqlite3
    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/bench_1m

It exits with status 1 when a target is missed. See docs/PERFORMANCE.md.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
FLOOR = "me"
WRITE_LIMITS = "post_create_user=100000000/h,comment_create_user=100000000/h"
BENCH_POSTS = ["Comments arrive here.", "A post with fifty comments.", "Benchmark post"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a database filled by generate_scale_data")
    parser.add_argument("--redis-url", default="", help="cache and abuse limits, as in production (optional)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint, over all rounds")
    parser.add_argument("--rounds", type=int, default=10, help="bursts per endpoint, each beside one of the floor")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per endpoint")
    parser.add_argument("--connections", type=int, default=2, help="concurrent connections (2 workers)")
    parser.add_argument("--depth", type=int, default=500, help="how many timeline pages deep to walk")
    parser.add_argument("--json", type=Path, help="where to write the results (default bench/results/…)")
    parser.add_argument("--only", nargs="*", help="run only these endpoints (the floor always runs)")
    return parser.parse_args()


def server_environment(args) -> dict:
    return {
        **os.environ,
        "ENV_FILE": "",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "False",
        "HTTPS": "False",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "TASK_BACKEND": "immediate",
        "LOG_LEVEL": "WARNING",
        # The write endpoints are driven far beyond any person's abuse limits.
        "RATE_LIMITS": WRITE_LIMITS,
    }


def prepare(args) -> dict:
    """Everything the requests need, and the SQL queries each costs, measured in-process."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from accounts import services as accounts
    from accounts.models import User
    from timeline import services
    from timeline.models import Comment, Membership, Post, PostAudience

    if not User.objects.filter(email__endswith="@scale.example").exists():
        sys.exit("This database has no scale data: run `manage.py generate_scale_data` on it first.")

    # What earlier runs wrote goes first, so that every run measures the same timelines.
    Post.objects.filter(body__in=BENCH_POSTS).delete()
    print("Preparing: finding the person in the most busy circles …", flush=True)
    posts_in = dict(PostAudience.objects.values_list("circle").annotate(n=Count("pk")).order_by())
    circles_of = {}
    for user_id, circle_id in Membership.objects.filter(user__email__endswith="@scale.example").values_list(
        "user", "circle"
    ):
        circles_of.setdefault(user_id, []).append(circle_id)
    viewer_id = max(circles_of, key=lambda pk: sum(posts_in.get(circle, 0) for circle in circles_of[pk]))
    viewer = User.objects.get(pk=viewer_id)
    circle_id = max(circles_of[viewer_id], key=lambda pk: posts_in.get(pk, 0))
    token = accounts.token_create(user=viewer)
    # The writes come from someone who shares no circle with the viewer, so
    # that they do not change the timelines being measured.
    mine = set(circles_of[viewer_id])
    writer_id = next(pk for pk, circles in circles_of.items() if not mine & set(circles))
    writer = User.objects.get(pk=writer_id)
    writer_circle = circles_of[writer_id][0]
    writer_post = services.post_create(author=writer, body=BENCH_POSTS[0], circle_ids=[writer_circle])
    writer_token = accounts.token_create(user=writer)
    staff, _ = User.objects.get_or_create(
        email="bench-staff@scale.example", defaults={"name": "Bench staff", "is_staff": True, "is_superuser": True}
    )

    def session_of(person):
        client = Client(HTTP_HOST=HOST)
        client.force_login(person)
        return client.cookies["sessionid"].value

    api = APIClient(HTTP_HOST=HOST)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    print(f"Preparing: walking {args.depth} pages down {viewer.email}'s home timeline …", flush=True)
    url = "/api/v1/timeline/"
    for _ in range(args.depth - 1):
        url = api.get(url).json()["next"]
        if not url:
            sys.exit(f"The timeline has fewer than {args.depth} pages: generate more posts.")
    deep = url.removeprefix(f"http://{HOST}")

    post = services.post_create(author=viewer, body=BENCH_POSTS[1], circle_ids=[circle_id])
    commenters = list(Membership.objects.filter(circle_id=circle_id).values_list("user", flat=True))
    Comment.objects.bulk_create(
        Comment(post=post, author_id=commenters[n % len(commenters)], body=f"Comment {n}") for n in range(50)
    )

    bearer = {"Authorization": f"Bearer {token}"}
    json_body = {"Authorization": f"Bearer {writer_token}", "Content-Type": "application/json"}
    browser = {"Cookie": f"sessionid={session_of(viewer)}"}
    admin = {"Cookie": f"sessionid={session_of(staff)}"}
    endpoints = [
        ("me", "GET", "/api/v1/me/", bearer, None),
        ("timeline page 1", "GET", "/api/v1/timeline/", bearer, None),
        (f"timeline page {args.depth}", "GET", deep, bearer, None),
        ("circle timeline", "GET", f"/api/v1/circles/{circle_id}/posts/", bearer, None),
        ("post", "GET", f"/api/v1/posts/{post.pk}/", bearer, None),
        ("post's 50 comments", "GET", f"/api/v1/posts/{post.pk}/comments/?page_size=50", bearer, None),
        ("create post", "POST", "/api/v1/posts/", json_body, {"body": BENCH_POSTS[2], "circle_ids": [writer_circle]}),
        (
            "create comment",
            "POST",
            f"/api/v1/posts/{writer_post.pk}/comments/",
            json_body,
            {"body": "Benchmark comment"},
        ),
        ("home page (browser)", "GET", "/", browser, None),
        ("admin: posts", "GET", "/admin/timeline/post/", admin, None),
        ("admin: comments", "GET", "/admin/timeline/comment/", admin, None),
        ("admin: users", "GET", "/admin/accounts/user/", admin, None),
    ]
    if args.only:
        endpoints = [e for e in endpoints if e[0] == FLOOR or e[0] in args.only]

    print("Preparing: counting each request's SQL queries …", flush=True)
    results = []
    for name, method, path, headers, body in endpoints:
        client = Client(HTTP_HOST=HOST)
        extra = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in headers.items()}
        if "Cookie" in headers:
            client.cookies.load(headers["Cookie"])
            del extra["HTTP_COOKIE"]
        extra.pop("HTTP_CONTENT_TYPE", None)
        with CaptureQueriesContext(connection) as queries:
            if method == "GET":
                response = client.get(path, **extra)
            else:
                response = client.post(path, json.dumps(body), content_type="application/json", **extra)
        if response.status_code >= 400:
            sys.exit(f"{name}: {method} {path} answered {response.status_code}")
        results.append(
            {
                "name": name,
                "method": method,
                "path": path,
                "headers": headers,
                "body": body,
                "queries": len(queries),
                "read": method == "GET",
            }
        )
    return {
        "database": connection.vendor,
        "posts": _count("timeline_post"),
        "viewer": {"email": viewer.email, "circles": len(circles_of[viewer_id])},
        "endpoints": results,
    }


def _count(table) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env, log) -> tuple[subprocess.Popen, str]:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "circleshare.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
        + ["--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=1)
            return server, url
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    sys.exit(f"gunicorn did not start; see {log.name}")


WRK_SCRIPT = """
wrk.method = {method}
wrk.body = {body}
{headers}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, "bad_status": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for this ASCII content


def drive(url, endpoint, seconds, connections, workdir) -> dict:
    headers = "\n".join(
        f"wrk.headers[{lua_string(key)}] = {lua_string(value)}" for key, value in endpoint["headers"].items()
    )
    body = lua_string(json.dumps(endpoint["body"])) if endpoint["body"] is not None else "nil"
    script = workdir / "request.lua"
    script.write_text(WRK_SCRIPT.format(method=lua_string(endpoint["method"]), body=body, headers=headers))
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script)]
    output = subprocess.run([*command, url + endpoint["path"]], capture_output=True, text=True, check=True).stdout
    line = next((line for line in output.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"wrk gave no result for {endpoint['name']}:\n{output}")
    run = json.loads(line.removeprefix("RESULT "))
    if not run["p50_us"]:
        sys.exit(f"wrk measured no latency for {endpoint['name']}:\n{output}")
    return {
        "seconds": run["duration_us"] / 1e6,
        "p50_ms": run["p50_us"] / 1000,
        "p99_ms": run["p99_us"] / 1000,
        "requests": run["requests"],
        "errors": run["errors"] + run["bad_status"],
    }


def measure(url, endpoints, args, workdir):
    """Drive each endpoint in `args.rounds` bursts, each right after a burst of the floor; add the figures.

    An endpoint's ratio is the median over its bursts of its p50 divided by
    the p50 of the floor burst just before it: measured seconds apart, both
    see the machine at the same speed (seen here: the floor's p50 moved by
    half between runs a minute apart).
    """
    floor, *others = endpoints
    seconds = max(1, round(args.duration / args.rounds))
    bursts = {endpoint["name"]: [] for endpoint in endpoints}
    for number in range(1, args.rounds + 1):
        print(f"Measuring, round {number} of {args.rounds} ({seconds} s bursts) …", flush=True)
        for endpoint in others:
            base = drive(url, floor, seconds, args.connections, workdir)
            burst = drive(url, endpoint, seconds, args.connections, workdir)
            bursts[floor["name"]].append({**base, "ratio": 1.0})
            bursts[endpoint["name"]].append({**burst, "ratio": burst["p50_ms"] / base["p50_ms"]})
    for endpoint in endpoints:
        runs = bursts[endpoint["name"]]
        endpoint.update(
            rps=sum(run["requests"] for run in runs) / sum(run["seconds"] for run in runs),
            p50_ms=statistics.median(run["p50_ms"] for run in runs),
            p99_ms=statistics.median(run["p99_ms"] for run in runs),
            ratio=statistics.median(run["ratio"] for run in runs),
            errors=sum(run["errors"] for run in runs),
            bursts=runs,
        )


def check_targets(results, depth) -> list[tuple[str, bool]]:
    by_name = {r["name"]: r for r in results["endpoints"]}

    def ratio(name, to=FLOOR):
        return by_name[name]["ratio"] / by_name[to]["ratio"] if name in by_name and to in by_name else None

    targets = [
        ("home timeline page 1 p50 ≤ 3× the floor", ratio("timeline page 1"), 3),
        (f"page {depth} p50 ≤ 1.2× page 1", ratio(f"timeline page {depth}", "timeline page 1"), 1.2),
        ("creating a post p50 ≤ 3× the floor", ratio("create post"), 3),
        ("browser home page p50 ≤ 4× the floor", ratio("home page (browser)"), 4),
        *((f"{name} p50 ≤ 5× the floor", ratio(name), 5) for name in by_name if name.startswith("admin:")),
    ]
    checks = [(f"{label}: {value:.2f}", value <= limit) for label, value, limit in targets if value is not None]
    reads = [r for r in results["endpoints"] if r["read"]]
    worst = max(reads, key=lambda r: r["queries"])
    label = f"every read within 10 SQL queries: most is {worst['queries']} ({worst['name']})"
    checks.append((label, worst["queries"] <= 10))
    failed = [r["name"] for r in results["endpoints"] if r["errors"]]
    checks.append((f"no failed requests{': ' + ', '.join(failed) if failed else ''}", not failed))
    return checks


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("The benchmark drives load with wrk: install it (Debian: apt-get install wrk).")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    env = server_environment(args)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "circleshare.settings")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    results = prepare(args)
    workdir = Path(tempfile.mkdtemp(prefix="circleshare-bench-"))
    with open(workdir / "gunicorn.log", "w") as log:
        server, url = start_server(env, log)
        try:
            for endpoint in results["endpoints"]:
                print(f"Warming up {endpoint['name']} …", flush=True)
                drive(url, endpoint, args.warmup, args.connections, workdir)
            measure(url, results["endpoints"], args, workdir)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    for endpoint in results["endpoints"]:
        del endpoint["headers"]  # they hold a live token and sessions
    results.update(connections=args.connections, duration=args.duration, rounds=args.rounds, workers=2)
    report(results, args)


def report(results, args):
    print(
        f"\n{results['database']}, {results['posts']:,} posts; viewer in {results['viewer']['circles']} circles; "
        f"gunicorn 2 workers, wrk {results['connections']} connections, {results['duration']} s each "
        f"in {results['rounds']} bursts, each beside one of the floor\n"
    )
    print(f"{'endpoint':<24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'× floor':>9}{'queries':>9}")
    for r in results["endpoints"]:
        print(
            f"{r['name']:<24}{r['rps']:>9.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['ratio']:>9.2f}{r['queries']:>9}"
        )
    checks = check_targets(results, args.depth)
    results["targets"] = [{"target": label, "met": met} for label, met in checks]
    print("\nTargets:")
    for label, met in checks:
        print(f"  {'met   ' if met else 'MISSED'} {label}")
    path = args.json or ROOT / "bench" / "results" / f"{results['database']}-{results['posts']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2))
    print(f"\nResults written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if not all(met for _, met in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()
