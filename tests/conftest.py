import atexit
import os
import shutil
import tempfile

# Qt must see this before it is first imported, so every test runs without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Recent files and logs of the app go to a throw-away folder, not the user's.
_home = tempfile.mkdtemp(prefix="netviz-tests-")
atexit.register(shutil.rmtree, _home, ignore_errors=True)
os.environ["XDG_CONFIG_HOME"] = os.path.join(_home, "config")
os.environ["XDG_STATE_HOME"] = os.path.join(_home, "state")
