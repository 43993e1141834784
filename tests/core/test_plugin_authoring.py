"""What an outside author gets: a scaffold that works and a pytest plugin for their tests.

Both run the way an author runs them: the package is pip-installed into a
private folder (like tests/support/plugins.py does), then its own tests run
in a separate pytest process where the only help is the platform's pytest
plugin, loaded through its ``pytest11`` entry point.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.plugins.scaffolding import scaffold_plugin
from tests.support.plugins import SAMPLE_SOURCE, TARGET
from tests.test_layering import core_attribute_uses, imports_of


def run_author_tests(project: Path, plugin_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}  # never the suite's own database
    env["PYTHONPATH"] = str(plugin_path)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-W", "error::pytest.PytestConfigWarning"],
        cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False,
    )


def test_the_sample_plugin_is_tested_with_the_platform_pytest_plugin_only():
    assert list(SAMPLE_SOURCE.rglob("conftest.py")) == []
    result = run_author_tests(SAMPLE_SOURCE, TARGET)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout


def test_a_scaffolded_plugin_passes_its_own_tests_and_the_contract_as_generated(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["plugins", "new", "influence_map", "--into", str(tmp_path),
                                 "--title", "Stakeholder influence map"])
    assert result.exit_code == 0, result.output
    project = tmp_path / "designing-clusters-influence-map"
    expected = {"pyproject.toml", "dc_influence_map/plugin.py", "dc_influence_map/views.py", "dc_influence_map/models.py",
                "dc_influence_map/templates/influence_map/index.html",
                "dc_influence_map/migrations/versions/0001_influence_map_first_tables.py", "tests/test_influence_map.py"}
    assert expected <= {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}
    for source in project.rglob("*.py"):  # it imports core only through core.api
        assert [n for _, n in imports_of(source) if n.startswith("core") and not n.startswith("core.api")] == []
        assert core_attribute_uses(source) == []
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(project)], check=True, capture_output=True)
    outcome = run_author_tests(project, target)
    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    assert "6 passed" in outcome.stdout
    assert "test_the_plugin_honours_the_platform_contract" in (project / "tests" / "test_influence_map.py").read_text()


def test_plugins_new_refuses_a_bad_slug_and_an_existing_folder(app, tmp_path):
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["plugins", "new", "Influence-Map", "--into", str(tmp_path)])
    assert bad.exit_code != 0 and "slug 'Influence-Map' is not valid" in bad.output
    scaffold_plugin("twice", tmp_path)
    again = runner.invoke(args=["plugins", "new", "twice", "--into", str(tmp_path)])
    assert again.exit_code != 0 and "already exists" in again.output
