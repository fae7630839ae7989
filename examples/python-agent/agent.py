#!/usr/bin/env python3
"""A Switchboard agent in plain Python 3: the standard library only (urllib.request, json).

It speaks the HTTP agent protocol (see the README's "HTTP agents" section):

    register      POST /api/v1/agents/register           -> agentId, heartbeat interval, lease
    claim         POST /api/v1/agents/<id>/claim?wait=20  (long-poll: waits for work)
    accept        POST /api/v1/tasks/<task>/accept        {attempt}
    progress      POST /api/v1/tasks/<task>/progress      {attempt, percent?, message?, logs: [...]}
    complete      POST /api/v1/tasks/<task>/complete      {attempt, result}
    fail          POST /api/v1/tasks/<task>/fail          {attempt, error, retryable}
    heartbeat     POST /api/v1/agents/<id>/heartbeat      {taskIds} -> {cancel: [...]}
    drain / stop  POST /api/v1/agents/<id>/drain, /stop   (on SIGTERM / Ctrl-C)

Every report carries the task's `attempt`: it is the fencing token, and a report for an attempt
that is no longer current is refused (409 STALE_ATTEMPT) - the task was given to another agent.

A task with a `command` runs under `sh -c` with its output streamed into the task's log; a task
without one is handled in Python (here: a word count of `payload.text`, or the sum of
`payload.numbers`).

    python3 agent.py --server http://localhost:3000 --token "$AGENT_TOKEN" --name py-1 \
        --capability python --slots 2
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code


class Client:
    """JSON over HTTP with a bearer token; honours Retry-After on 429 and 503."""

    def __init__(self, server, token):
        self.base = server.rstrip("/")
        self.token = token

    def post(self, path, body=None, timeout=30):
        data = json.dumps(body if body is not None else {}).encode("utf-8")
        for attempt in range(6):
            req = urllib.request.Request(
                self.base + path,
                data=data,
                method="POST",
                headers={"authorization": "Bearer " + self.token, "content-type": "application/json"},
            )
            try:
                with urllib.request.urlopen(req, timeout=timeout) as res:
                    text = res.read().decode("utf-8")
                    return json.loads(text) if text else {}
            except urllib.error.HTTPError as e:
                text = e.read().decode("utf-8", "replace")
                if e.code in (429, 503) and attempt < 5:
                    time.sleep(float(e.headers.get("retry-after") or 1))
                    continue
                try:
                    err = json.loads(text)["error"]
                    raise ApiError(e.code, err.get("code"), err.get("message")) from None
                except (ValueError, KeyError, TypeError):
                    raise ApiError(e.code, "HTTP", text[:200]) from None
        raise ApiError(503, "UNAVAILABLE", "the server kept asking to retry later")


class Agent:
    def __init__(self, client, card):
        self.client = client
        self.card = card
        self.agent_id = None
        self.heartbeat_s = 2.0
        self.running = {}  # taskId -> {"attempt": n, "proc": Popen | None, "canceled": bool}
        self.lock = threading.Lock()
        self.slots = threading.Semaphore(card["slots"])
        self.stopping = threading.Event()

    # ---- life cycle ----

    def register(self):
        r = self.client.post("/api/v1/agents/register", self.card)
        self.agent_id = r["agentId"]
        self.heartbeat_s = max(0.2, r["heartbeatIntervalMs"] / 1000.0)
        log(f"registered as {self.card['name']} ({self.agent_id}); heartbeat every {self.heartbeat_s:.1f} s")

    def run(self):
        """Claims in a thread; the main thread waits for SIGTERM/SIGINT, then drains and stops."""
        self.register()
        threading.Thread(target=self.heartbeat_loop, daemon=True).start()
        threading.Thread(target=self.claim_loop, daemon=True).start()
        while not self.stopping.wait(0.5):
            pass
        self.shutdown()

    def claim_loop(self):
        while not self.stopping.is_set():
            self.slots.acquire()  # claim only when a slot is free
            if self.stopping.is_set():
                self.slots.release()
                break
            try:
                tasks = self.client.post(f"/api/v1/agents/{self.agent_id}/claim?wait=20", timeout=40)["tasks"]
            except (ApiError, OSError) as e:
                self.slots.release()
                if isinstance(e, ApiError) and e.code == "NOT_FOUND":
                    self.register()  # the server forgot us (e.g. an operator did): register again
                else:
                    log(f"claim failed: {e}; retrying in 1 s")
                    time.sleep(1)
                continue
            if not tasks:
                self.slots.release()
                continue
            for i, task in enumerate(tasks):
                with self.lock:
                    already = task["taskId"] in self.running
                if already:
                    # A claim answers with work assigned but not yet accepted: this one we took a
                    # moment ago and are starting. Running it twice would run the command twice.
                    if i == 0:
                        self.slots.release()
                    continue
                if self.stopping.is_set() or (i > 0 and not self.slots.acquire(blocking=False)):
                    # More than we have room for (a re-delivery): hand it back untouched.
                    self.client.post(f"/api/v1/tasks/{task['taskId']}/release", {"attempt": task["attempt"], "reason": "no free slot"})
                    continue
                with self.lock:
                    self.running[task["taskId"]] = {"attempt": task["attempt"], "proc": None, "canceled": False}
                threading.Thread(target=self.work, args=(task,), daemon=True).start()

    def heartbeat_loop(self):
        while True:
            time.sleep(self.heartbeat_s)
            with self.lock:
                ids = list(self.running.keys())
            try:
                r = self.client.post(f"/api/v1/agents/{self.agent_id}/heartbeat", {"taskIds": ids}, timeout=10)
            except (ApiError, OSError) as e:
                log(f"heartbeat failed: {e}")
                continue
            for c in r.get("cancel", []):
                self.cancel(c["taskId"], c.get("reason", "canceled"))

    def cancel(self, task_id, reason):
        with self.lock:
            entry = self.running.get(task_id)
            if not entry:
                return
            entry["canceled"] = True
            proc = entry["proc"]
        log(f"task {task_id}: stopping ({reason})")
        if proc and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def shutdown(self):
        log("draining: finishing running tasks, taking no new ones")
        try:
            self.client.post(f"/api/v1/agents/{self.agent_id}/drain")
        except (ApiError, OSError):
            pass
        deadline = time.time() + 30
        while time.time() < deadline:
            with self.lock:
                if not self.running:
                    break
            time.sleep(0.1)
        try:
            self.client.post(f"/api/v1/agents/{self.agent_id}/stop")
        except (ApiError, OSError):
            pass
        log("stopped")

    # ---- one task ----

    def work(self, task):
        task_id, attempt = task["taskId"], task["attempt"]
        try:
            self.client.post(f"/api/v1/tasks/{task_id}/accept", {"attempt": attempt})
            log(f"task {task_id} (attempt {attempt}): {task['title']}")
            if task.get("command"):
                result = self.run_command(task)
            else:
                result = handle_payload(task.get("payload"))
            with self.lock:
                canceled = self.running[task_id]["canceled"]
            if not canceled:
                self.client.post(f"/api/v1/tasks/{task_id}/complete", {"attempt": attempt, "result": result})
        except TaskFailed as e:
            self.report_failure(task_id, attempt, str(e), e.retryable)
        except ApiError as e:
            if e.code != "STALE_ATTEMPT":  # stale: the task moved on without us; nothing to report
                log(f"task {task_id}: {e}")
        except Exception as e:  # a bug in a handler: the task fails, the agent lives on
            self.report_failure(task_id, attempt, f"{type(e).__name__}: {e}", True)
        finally:
            with self.lock:
                self.running.pop(task_id, None)
            self.slots.release()

    def report_failure(self, task_id, attempt, error, retryable):
        with self.lock:
            entry = self.running.get(task_id)
            if entry and entry["canceled"]:
                return
        try:
            self.client.post(f"/api/v1/tasks/{task_id}/fail", {"attempt": attempt, "error": error[:8000], "retryable": retryable})
        except ApiError as e:
            log(f"task {task_id}: could not report the failure: {e}")

    def run_command(self, task):
        task_id, attempt = task["taskId"], task["attempt"]
        env = dict(os.environ, SWITCHBOARD_TASK_ID=task_id, SWITCHBOARD_ATTEMPT=str(attempt), SWITCHBOARD_PAYLOAD=json.dumps(task.get("payload")))
        # The server's trace context for this attempt (when it traces), as OTel's CLI tools expect it.
        env.pop("TRACESTATE", None)
        if task.get("traceparent"):
            env["TRACEPARENT"] = task["traceparent"]
        else:
            env.pop("TRACEPARENT", None)
        proc = subprocess.Popen(
            ["sh", "-c", task["command"]],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group, so a cancel stops everything it started
            text=True,
            errors="replace",
        )
        with self.lock:
            self.running[task_id]["proc"] = proc
        batch, last_flush, tail = [], time.time(), []
        for line in proc.stdout:
            line = line.rstrip("\n")
            batch.append({"stream": "stdout", "line": line})
            tail = (tail + [line])[-5:]
            if len(batch) >= 50 or time.time() - last_flush > 0.25:
                self.client.post(f"/api/v1/tasks/{task_id}/progress", {"attempt": attempt, "logs": batch})
                batch, last_flush = [], time.time()
        code = proc.wait()
        if batch:
            self.client.post(f"/api/v1/tasks/{task_id}/progress", {"attempt": attempt, "logs": batch})
        if code != 0:
            raise TaskFailed(f"exit code {code}" + (f": {tail[-1]}" if tail else ""), retryable=True)
        return {"exitCode": 0, "lastLine": tail[-1] if tail else None}


class TaskFailed(Exception):
    def __init__(self, message, retryable=True):
        super().__init__(message)
        self.retryable = retryable


def handle_payload(payload):
    """Work done in Python itself, for tasks that carry data instead of a command."""
    if isinstance(payload, dict) and isinstance(payload.get("text"), str):
        return {"words": len(payload["text"].split())}
    if isinstance(payload, dict) and isinstance(payload.get("numbers"), list):
        return {"sum": sum(float(n) for n in payload["numbers"])}
    raise TaskFailed("this agent handles payloads with `text` (word count) or `numbers` (sum)", retryable=False)


def log(message):
    print(f"[python-agent] {message}", file=sys.stderr, flush=True)


def main():
    p = argparse.ArgumentParser(description="A Switchboard agent in plain Python (HTTP protocol).")
    p.add_argument("--server", default=os.environ.get("SWITCHBOARD_SERVER", "http://127.0.0.1:3000"))
    p.add_argument("--token", default=os.environ.get("SWITCHBOARD_TOKEN"), help="an agent token (scope agent)")
    p.add_argument("--name", required=True)
    p.add_argument("--capability", action="append", default=[], help="name or name:level, repeatable")
    p.add_argument("--label", action="append", default=[], help="key=value, repeatable")
    p.add_argument("--slots", type=int, default=1)
    args = p.parse_args()
    if not args.token:
        p.error("--token (or SWITCHBOARD_TOKEN) is required")
    card = {
        "name": args.name,
        "capabilities": args.capability,
        "labels": dict(kv.split("=", 1) for kv in args.label),
        "slots": args.slots,
        "version": "python-example-1",
        "kind": "http",
    }
    agent = Agent(Client(args.server, args.token), card)

    def on_signal(_sig, _frame):
        agent.stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    agent.run()


if __name__ == "__main__":
    main()
