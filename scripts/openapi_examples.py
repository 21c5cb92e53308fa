#!/usr/bin/env python3
"""Captures the OpenAPI document's examples from a running server.

Drives every REST operation once with a realistic request (a dataset, a run against the simulator,
a comparison of two runs, a provider, a user, an API key...) and writes each request body and the
server's real answer, keyed by operationId, to src/main/resources/META-INF/openapi-examples.json,
which OpenApiExamples puts into /openapi. Lists are cut to two entries, long text is shortened and
secrets are masked, so the file stays readable. Rerun after changing a view or a request type:

    mvn liberty:run            # in another shell, or the README's run command
    python3 scripts/openapi_examples.py [--base http://localhost:9080]
"""
import argparse, json, os, sys, time, urllib.error, urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench"))
import ltb_auth  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "META-INF",
                   "openapi-examples.json")
SECRET_KEYS = {"accessToken", "refreshToken", "key", "secret", "apiKey"}

examples = {}


def call(base, method, path, body=None, auth=True, raw=False):
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if auth:
        headers.update(ltb_auth.headers(base))
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            text = r.read().decode()
            status = r.status
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{method} {path}: {e.code} {e.read().decode()[:500]}")
    if raw:
        return status, text
    return status, (json.loads(text) if text else None)


def tidy(value, key=None):
    """Two entries per list, text cut to 160 characters, secrets masked."""
    if isinstance(value, dict):
        return {k: tidy(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [tidy(v) for v in value[:2]]
    if isinstance(value, str):
        if key in SECRET_KEYS and len(value) > 12:
            return value[:8] + "…"
        return value if len(value) <= 160 else value[:160] + "…"
    return value


def record(op, request=None, response=None):
    entry = {}
    if request is not None:
        entry["request"] = tidy(request)
    if response is not None:
        entry["response"] = tidy(response)
    examples[op] = entry


def post_text(base, path, text, content_type):
    headers = {"Content-Type": content_type, "Accept": "application/json"}
    headers.update(ltb_auth.headers(base))
    req = urllib.request.Request(base + path, data=text.encode(), method="POST", headers=headers)
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def op(base, op_id, method, path, body=None, auth=True):
    status, answer = call(base, method, path, body, auth)
    record(op_id, body, answer)
    return answer


def wait_ended(base, run):
    for _ in range(600):
        _, r = call(base, "GET", f"/api/v1/benchmarks/{run}")
        if r["status"] in ("completed", "failed", "cancelled"):
            return r
        time.sleep(0.2)
    raise SystemExit(f"run {run} did not end")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default=os.environ.get("LTB_BASE", "http://localhost:9080"))
    base = ap.parse_args().base
    suffix = time.strftime("%H%M%S")

    login = {"username": os.environ.get("LTB_ADMIN_USER", "admin"),
             "password": os.environ.get("LTB_ADMIN_PASSWORD", "admin-dev-only")}
    tokens = op(base, "AuthResource_login", "POST", "/api/v1/auth/login", login, auth=False)
    refresh = {"refreshToken": tokens["refreshToken"]}
    tokens = op(base, "AuthResource_refresh", "POST", "/api/v1/auth/refresh", refresh, auth=False)
    record("AuthResource_logout", {"refreshToken": tokens["refreshToken"]})
    op(base, "AuthResource_me", "GET", "/api/v1/auth/me")
    op(base, "AuthResource_jwks", "GET", "/api/v1/auth/jwks", auth=False)
    key = op(base, "AuthResource_createApiKey", "POST", "/api/v1/auth/apikey",
             {"name": "ci-nightly", "role": "user"})
    op(base, "AuthResource_apiKeys", "GET", "/api/v1/auth/apikey")
    call(base, "DELETE", f"/api/v1/auth/apikey/{key['id']}")

    dataset = {
        "name": f"capitals-{suffix}",
        "description": "Capital cities, answered in one word",
        "promptTemplate": "What is the capital of {{country}}? Reply with the city name only.",
        "assertions": [{"type": "equals"},
                       {"type": "latency", "threshold": 1000, "metric": "fast-enough"}],
        "tags": ["geography", "smoke"],
        "testCases": [
            {"id": "fr", "vars": {"country": "France"}, "expected": "Paris"},
            {"id": "jp", "vars": {"country": "Japan"}, "expected": "Tokyo"},
            {"id": "ke", "vars": {"country": "Kenya"}, "expected": "Nairobi"},
        ],
    }
    ds = op(base, "DatasetResource_create", "POST", "/api/v1/datasets", dataset)
    csv = "country,expected\nFrance,Paris\nJapan,Tokyo\n"
    imported = post_text(base, f"/api/v1/datasets/import?name=capitals-csv-{suffix}"
                         "&promptTemplate=What%20is%20the%20capital%20of%20%7B%7Bcountry%7D%7D%3F",
                         csv, "text/csv")
    record("DatasetResource_importFile", None, imported)
    call(base, "DELETE", f"/api/v1/datasets/{imported['id']}")
    op(base, "DatasetResource_list", "GET", "/api/v1/datasets?limit=2")
    op(base, "DatasetResource_get", "GET", f"/api/v1/datasets/{ds['id']}")
    op(base, "DatasetResource_testCases", "GET", f"/api/v1/datasets/{ds['id']}/test-cases?limit=2")
    op(base, "DatasetResource_share", "PUT", f"/api/v1/datasets/{ds['id']}/sharing",
       {"group": "ml-platform"})

    def run(name, model):
        options = {"answer": "expected", "accuracy": "0.7", "latencyMs": "120"} if model == "oracle" else {"latencyMs": "90"}
        body = {"name": name, "datasetId": ds["id"], "concurrency": 4, "partitions": 1,
                "targets": [{"provider": "simulator", "model": model, "options": options}],
                "tags": ["nightly"]}
        return body, call(base, "POST", "/api/v1/benchmarks", body)[1]

    body, created = run(f"capitals-oracle-{suffix}", "oracle")
    record("BenchmarkResource_create", body, created)
    baseline = wait_ended(base, created["id"])
    _, candidate = run(f"capitals-echo-{suffix}", "echo")
    wait_ended(base, candidate["id"])
    op(base, "BenchmarkResource_share", "PUT", f"/api/v1/benchmarks/{baseline['id']}/sharing",
       {"group": "ml-platform"})
    op(base, "BenchmarkResource_get", "GET", f"/api/v1/benchmarks/{baseline['id']}")
    op(base, "BenchmarkResource_list", "GET", "/api/v1/benchmarks?limit=2")
    slow = {"name": f"slow-{suffix}", "datasetId": ds["id"], "concurrency": 1, "partitions": 1,
            "targets": [{"provider": "simulator", "model": "oracle",
                         "options": {"latencyMs": "5000"}}]}
    _, s = call(base, "POST", "/api/v1/benchmarks", slow)
    time.sleep(1)
    op(base, "BenchmarkResource_cancel", "POST", f"/api/v1/benchmarks/{s['id']}/cancel")
    wait_ended(base, s["id"])
    for attempt in range(60):  # the batch job settles a moment after the run shows cancelled
        try:
            op(base, "BenchmarkResource_restart", "POST", f"/api/v1/benchmarks/{s['id']}/restart")
            break
        except SystemExit:
            if attempt == 59:
                raise
            time.sleep(0.5)
    call(base, "POST", f"/api/v1/benchmarks/{s['id']}/cancel")

    page = op(base, "ResultResource_query", "GET",
              f"/api/v1/results?runId={baseline['id']}&limit=2")
    op(base, "ResultResource_get", "GET", f"/api/v1/results/{page['items'][0]['id']}")
    op(base, "ResultResource_export", "POST", "/api/v1/results/export",
       {"format": "json", "runId": baseline["id"]})
    op(base, "CompareResource_compare", "POST", "/api/v1/compare",
       {"baseline": {"runId": baseline["id"]}, "candidate": {"runId": candidate["id"]},
        "cases": "regressions", "limit": 2})

    op(base, "EvaluationResource_evaluate", "POST", "/api/v1/evaluate",
       {"prompt": "What is the capital of France? Answer in one word.", "output": "Paris.",
        "expected": "Paris", "latencyMs": 420,
        "assertions": [{"type": "icontains", "value": "paris"},
                       {"type": "rouge-l", "threshold": 0.5},
                       {"type": "latency", "threshold": 1000}]})
    op(base, "JudgeResource_judges", "GET", "/api/v1/evaluation/judges")
    op(base, "JudgeResource_cache", "GET", "/api/v1/evaluation/cache")
    op(base, "JudgeResource_clear", "DELETE", "/api/v1/evaluation/cache")
    # No provider here computes embeddings (the simulator does not): this one is written by hand
    # in the shape of EmbeddingsView, with vectors cut to four dimensions.
    record("EmbeddingResource_embed",
           {"provider": "openai", "texts": ["Paris is the capital of France.", "Tokyo"]},
           {"model": "text-embedding-3-small", "dimensions": 1536,
            "vectors": [[0.0123, -0.0456, 0.0078, 0.0311], [-0.0201, 0.0149, 0.0335, -0.0087]]})

    op(base, "ProviderResource_list", "GET", "/api/v1/providers")
    op(base, "ProviderResource_get", "GET", "/api/v1/providers/simulator")
    op(base, "ProviderResource_models", "GET", "/api/v1/providers/simulator/models")
    op(base, "ProviderResource_health", "POST", "/api/v1/providers/simulator/health")
    provider = {"name": f"llamacpp-{suffix}", "adapter": "openai",
                "baseUrl": "http://localhost:8081/v1", "models": ["qwen2.5-0.5b-instruct"],
                "timeoutMs": 120000}
    op(base, "ProviderResource_register", "POST", "/api/v1/providers", provider)
    call(base, "DELETE", f"/api/v1/providers/{provider['name']}")

    user = op(base, "UserResource_create", "POST", "/api/v1/users",
              {"username": f"dana-{suffix}", "password": "correct horse battery staple",
               "role": "user", "email": f"dana-{suffix}@example.com"})
    op(base, "UserResource_update", "PATCH", f"/api/v1/users/{user['id']}", {"role": "viewer"})
    op(base, "UserResource_list", "GET", "/api/v1/users")
    op(base, "ServerResource_list", "GET", "/api/v1/servers")
    op(base, "SettingsResource_put", "PUT", "/api/v1/settings",
       {"defaultConcurrency": 8, "defaultTimeoutMs": 60000, "reset": ["defaultPartitions"]})
    op(base, "SettingsResource_get", "GET", "/api/v1/settings")
    call(base, "PUT", "/api/v1/settings",
         {"reset": ["defaultConcurrency", "defaultTimeoutMs"]})
    op(base, "AuditResource_list", "GET", "/api/v1/audit?limit=2")

    with open(OUT, "w") as f:
        json.dump(dict(sorted(examples.items())), f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{len(examples)} operations written to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
