"""`pip install change-guard` without the demo extra: moto is never imported, the CLI works,
and `guard demo` says in one line what to install."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Run first in each child: any `import moto` (or a submodule) fails as it would without the extra.
NO_MOTO = textwrap.dedent(
    """
    import importlib.abc, sys

    class NoMoto(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "moto" or name.startswith("moto."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NoMoto())
    """
)


def _without_moto(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_MOTO + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_hook_really_blocks_moto():
    """Not a vacuous check: moto is installed here, and the hook makes importing it fail."""
    result = _without_moto(
        """
        try:
            import moto.server
        except ModuleNotFoundError:
            print("blocked")
        """
    )
    assert result.stdout.strip() == "blocked", result.stderr


def test_every_guard_module_imports_without_moto():
    result = _without_moto(
        """
        import importlib, pkgutil, sys
        import guard

        # guard/__main__.py runs the CLI when imported (python -m guard); its import is guard.cli.
        walked = pkgutil.walk_packages(guard.__path__, "guard.")
        names = [m.name for m in walked if m.name != "guard.__main__"]
        for name in names:
            importlib.import_module(name)
        assert not [m for m in sys.modules if m == "moto" or m.startswith("moto.")]
        print(len(names))
        """
    )
    assert result.returncode == 0, result.stderr
    # Every stage package and the demo were walked, not an empty list.
    assert int(result.stdout) >= 40, result.stdout


def test_help_works_and_demo_says_what_to_install():
    result = _without_moto(
        """
        import sys
        from guard.cli import run

        for args in (["--help"], ["demo", "--help"]):
            code = run(args)
            assert code == 0, (args, code)
        sys.exit(run(["demo"]))
        """
    )
    assert "Usage: guard [OPTIONS] COMMAND" in result.stdout
    assert "Usage: guard demo [OPTIONS]" in result.stdout
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "pip install 'change-guard[demo]'" in lines[0]
