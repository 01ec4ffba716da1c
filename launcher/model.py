"""Train the Rasa model only when its training data or configuration changed.

The model file is named after a hash of everything that shapes it, so an unchanged
project reuses the model it trained before: `models/assistant-<hash>.tar.gz`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from settings import REPO_ROOT

__all__ = ["training_inputs", "model_path", "ensure_model", "rasa_env", "RASA_BIN"]

RASA_BIN = REPO_ROOT / ".venv-rasa" / "bin" / "rasa"
MODELS_DIR = REPO_ROOT / "models"
# rasa_ext modules that only serve conversations (channel, tracker store, action calls):
# no model component imports them, so changing them must not cost a retraining.
SERVING_ONLY = frozenset(
    {"channel.py", "payloads.py", "tracker_store.py", "eviction.py", "action_response.py"}
)


def training_inputs(root: Path = REPO_ROOT) -> list[Path]:
    """Every file whose content shapes the trained model, in a stable order."""
    files = [root / "config.yml", root / "domain.yml"]
    files += sorted(p for p in (root / "nlu_data").rglob("*") if p.is_file())
    files += sorted(
        p for p in (root / "rasa_ext").rglob("*.py") if p.is_file() and p.name not in SERVING_ONLY
    )
    files += sorted(p for p in (root / "vntext").rglob("*.py") if p.is_file())
    # The code entity extractor finds dossier codes with the status client's grammar.
    files.append(root / "status_client" / "codes.py")
    return files


def model_path(config: str = "config.yml", root: Path = REPO_ROOT) -> Path:
    """Where the model for the current inputs lives (whether or not it exists yet)."""
    digest = hashlib.sha256(config.encode())
    for path in training_inputs(root):
        if path.name == "config.yml" and config != "config.yml":
            path = root / config
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    stem = Path(config).stem.replace("config", "assistant") or "assistant"
    return MODELS_DIR / f"{stem}-{digest.hexdigest()[:16]}.tar.gz"


def rasa_env() -> dict[str, str]:
    """The environment for Rasa processes: repo code importable, no telemetry."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def training_args(config: str = "config.yml") -> list[str]:
    """The arguments naming the model's inputs (`rasa train`, `rasa data validate`)."""
    return ["--config", config, "--domain", "domain.yml", "--data", "nlu_data"]


def train_command(out: Path | str, name: str, config: str = "config.yml") -> list[str]:
    """`rasa train` of the inputs into `out/<name>.tar.gz`."""
    return [
        str(RASA_BIN),
        "train",
        *training_args(config),
        "--out",
        str(out),
        "--fixed-model-name",
        name,
    ]


def ensure_model(config: str = "config.yml") -> Path:
    """Return the model for the current inputs, training it first if it is missing."""
    target = model_path(config)
    if target.exists():
        return target
    MODELS_DIR.mkdir(exist_ok=True)
    command = train_command(MODELS_DIR, target.name.removesuffix(".tar.gz"), config)
    # Stdout carries only the model's path (`rasa test --model $(python -m launcher.model)`).
    print(f"Training the Rasa model ({target.name}); inputs changed.", file=sys.stderr, flush=True)
    subprocess.run(command, cwd=REPO_ROOT, env=rasa_env(), check=True, stdout=sys.stderr)
    return target


if __name__ == "__main__":
    config_file = sys.argv[1] if len(sys.argv) > 1 else "config.yml"
    print(ensure_model(config_file))
