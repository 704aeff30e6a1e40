#!/usr/bin/env python3
"""A scripted OpenAI-compatible chat server for trying `tune --strategy llm`
end to end without an LLM (manual use; the unit tests use the C++ mock).

It recognises each agent role by its prompt's task line and answers with
valid JSON built from what the prompt shows: the first loop the digest names,
knob edits from a fixed list (one unknown knob first, to exercise the repair
path), and keep/rollback by the measured interval. It calls one tool per
role when tools are offered. Nothing here is a model: it only lets the
plumbing (tools, validation, repairs, recording, replay) run on a real
program.

    python3 mock_llm_server.py PORT
"""
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

EDITS = [
    {"bogus-knob": 1},
    {"unroll-threshold": 600},
    {"enable-loopinterchange": True},
    {"unroll-threshold": 1000},
    {"polly": True},
    {"inline-threshold": 500},
    {"vectorize-slp": False},
    {"enable-unroll-and-jam": True},
    {"unroll-runtime": False},
]
STATE = {"next_edit": 0, "calls": 0}


def reply(content=None, tool=None):
    msg = {"role": "assistant", "content": content}
    finish = "stop"
    if tool:
        STATE["calls"] += 1
        msg["content"] = None
        msg["tool_calls"] = [{"id": "call_%d" % STATE["calls"], "type": "function",
                              "function": {"name": tool[0], "arguments": json.dumps(tool[1])}}]
        finish = "tool_calls"
    return {"id": "mock", "object": "chat.completion", "model": "mock",
            "choices": [{"index": 0, "message": msg, "finish_reason": finish}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}


def answer(req):
    msgs = req["messages"]
    user = next(m["content"] for m in msgs if m["role"] == "user")
    tools = bool(req.get("tools"))
    answered_tool = any(m["role"] == "tool" for m in msgs)
    # The digest text lists regions as "#1 function NAME" / "#2 loop F:L0".
    regions = re.findall(r"^#\d+ (?:function|loop) (\S+)", user, re.M)
    region = regions[0] if regions else None
    if "Task: rank the regions" in user:
        if region is None:
            return reply('{"regions": []}')
        if tools and not answered_tool:
            return reply(tool=("get_remarks", {"region": region}))
        return reply(json.dumps({"regions": [{"name": region, "reason": "the hottest loop"}]}))
    if "Task: for each selected region" in user:
        if tools and not answered_tool and region:
            return reply(tool=("get_features", {"region": region}))
        return reply(json.dumps({"bottlenecks": [{"region": region, "bottleneck": "loop body",
                                                  "evidence": "features", "falsified_by": "none"}]}))
    if "Task: propose up to" in user:
        if tools and not answered_tool:
            return reply(tool=("get_measurements", {}))
        count = int(re.search(r"propose up to (\d+)", user).group(1))
        base = re.search(r"The base \(.*?\):\n(\S+) (\{.*\})", user)
        base_knobs = {}
        if base and base.group(1) != "-O3":
            base_knobs = json.loads(base.group(2)).get("knobs", {})
        props = []
        for _ in range(count):
            edit = EDITS[STATE["next_edit"] % len(EDITS)]
            STATE["next_edit"] += 1
            knobs = dict(base_knobs)
            knobs.update(edit)
            props.append({"config": {"knobs": knobs}, "rationale": "try %s" % list(edit)[0]})
        return reply("```json\n" + json.dumps({"proposals": props}) + "\n```")
    if "Task: decide whether to keep" in user:
        decisions = []
        for h, lo in re.findall(r"- ([0-9a-f]{12}): ok, speedup [\d.]+ \[([\d.]+),", user):
            keep = float(lo) > 1.0
            decisions.append({"config": h, "action": "keep" if keep else "rollback",
                              "reason": "interval low end %s" % lo})
        return reply(json.dumps({"decisions": decisions}))
    return reply("{}")


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        out = json.dumps(answer(json.loads(body))).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
