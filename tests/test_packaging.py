"""A plain (non-editable) install ships everything mailbot reads at run time."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_templates_migrations_and_demo_inbox(tmp_path):
    """The wheel holds the default templates, the Alembic revisions and the demo's sample mail."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("mailbot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").rglob("*.j2"):
        assert f"mailbot/templates/{template.relative_to(ROOT / 'templates')}" in names
    assert "mailbot/adapters/migrations/env.py" in names
    assert any(n.startswith("mailbot/adapters/migrations/versions/0001") for n in names)
    assert "mailbot/demo_inbox/0001.eml" in names
    assert not any("__pycache__" in n or n.startswith("tests/") for n in names)
