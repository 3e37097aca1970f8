"""What the chaos run found, as failures (the exit status) and as a summary for a person."""

from __future__ import annotations

from typing import Any


def failures(figures: dict[str, Any]) -> list[str]:
    """One sentence per thing that must not happen; empty when the run is clean."""
    crash, tamper = figures["crash"], figures["tamper"]
    out = []
    if crash["lost"]:
        out.append(f"{len(crash['lost'])} acknowledged saves lost: {crash['lost'][:5]}")
    if crash["garbled"]:
        out.append(f"{len(crash['garbled'])} saves do not decrypt: {crash['garbled'][:5]}")
    if crash["partial"]:
        out.append(f"half-written saves: {crash['partial']}")
    if crash["integrity"] != "ok":
        out.append(f"PRAGMA integrity_check: {crash['integrity']}")
    for path in ("serial", "parallel"):
        seen = crash["verify"][path]
        if not seen["ok"]:
            out.append(
                f"audit verify ({path}) after the crashes: {seen['problem']} at {seen['seq']}"
            )
    for name, c in sorted(tamper["per_class"].items()):
        if c["kind"] == "window":
            continue
        if c["detected"] < c["tried"]:
            out.append(f"{name}: {c['tried'] - c['detected']} of {c['tried']} undetected")
        if c["paths_disagree"]:
            out.append(f"{name}: the two verify paths disagree {c['paths_disagree']} times")
    return out


def summary(figures: dict[str, Any]) -> str:
    crash, tamper = figures["crash"], figures["tamper"]
    verify = crash["verify"]
    said = {
        p: "intact" if verify[p]["ok"] else verify[p]["problem"] for p in ("serial", "parallel")
    }
    lines = [
        f"chaos run, seed {figures['seed']}, {figures['writers']} writers, "
        f"{figures['seconds']:.0f} s",
        f"crash: {crash['kills']} SIGKILLs survived in {crash['seconds']:.0f} s, one every "
        f"{figures['pace']:g} s on average ({crash['restarts']} restarts, checkpoints at "
        f"{crash['checkpoints']})",
        f"  {crash['kills_holding_lock']} of them inside a write transaction (after BEGIN "
        "IMMEDIATE returned, before its COMMIT ended)",
        f"  {crash['acknowledged']} saves acknowledged, {len(crash['lost'])} lost, "
        f"{len(crash['garbled'])} not decrypting; {crash['saved_unacknowledged']} committed but "
        f"killed before acknowledging (kept); {crash['cases_in_file']} cases, "
        f"partial: {crash['partial'] or 'none'}; integrity {crash['integrity']}; "
        f"{crash['save_errors']} saves refused cleanly",
        f"  audit verify over {verify['events']} events: one process {said['serial']}, "
        f"two processes {said['parallel']}",
        f"tamper: {tamper['mutations']} mutations in {tamper['seconds']:.0f} s"
        + (
            ""
            if tamper["signed_trail"] is not False
            else " (trail not signed per user: the 'signatures' classes were not drawn)"
        ),
        f"  {'class':<40} {'kind':<10} {'tried':>5} {'found':>5} {'named':>5}  problems",
    ]
    for name, c in sorted(tamper["per_class"].items(), key=lambda kv: (kv[1]["kind"], kv[0])):
        problems = ", ".join(f"{k} {v}" for k, v in sorted(c["problems"].items()))
        lines.append(
            f"  {name:<40} {c['kind']:<10} {c['tried']:>5} {c['detected']:>5} {c['named']:>5}"
            f"  {problems}"
        )
    window = [c for c in tamper["per_class"].values() if c["kind"] == "window"]
    if window:
        lines.append(
            f"  window (the design's stated limit, not counted): "
            f"{sum(c['tried'] - c['detected'] for c in window)} undetected"
        )
    undetected = [t for t in tamper["notable"] if not t["detected"] and t["kind"] != "window"]
    for t in undetected[:20]:
        lines.append(f"  UNDETECTED {t['class']}: {t['what']}")
    lines.append("FAILED: " + "; ".join(figures["failures"]) if figures["failures"] else "OK")
    return "\n".join(lines)
